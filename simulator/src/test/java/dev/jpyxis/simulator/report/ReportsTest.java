package dev.jpyxis.simulator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.simulator.Simulator;
import dev.jpyxis.simulator.scenario.ScenarioLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

@DisplayName("reports of a run: text in words, JSON with fields, an SVG picture")
class ReportsTest {

    private static final SimulationReport FAILED_START = Simulator.run(ScenarioLoader.load("start.yaml", """
            cluster:
              nodes: 2
              plugstack: image_cache=
              images:
                ubuntu:24.04: {}
            actions:
              - srun: -N2 -n2 --container-image=ubuntu:24.04 true
                faults: [start-fails@node2]
                expect: {exit: 1}
            """), 0);

    @Test
    @DisplayName("an action playing a real case gives its record in the JSON report, with the real records' keys")
    void caseRecordInJson() {
        SimulationReport report = Simulator.run(ScenarioLoader.load("case.yaml", """
                cluster:
                  nodes: 2
                  plugstack: image_cache=
                  images:
                    ubuntu:24.04: {}
                actions:
                  - srun: -N2 -n2 --container-image=ubuntu:24.04 true
                    faults: [start-fails@node2]
                    case: start-fails-on-node2
                    expect: {exit: 1}
                """), 0);
        String json = JsonReport.render(report);
        assertTrue(json.contains("\"cases\":[{\"case\":\"start-fails-on-node2\",\"runtime\":\"enroot\",\"exit\":1,"
                + "\"jobs\":[100],\"starts\":{\"node1\":1,\"node2\":1},\"leftovers_removed\":{\"node1\":0,\"node2\":0},"
                + "\"containers_before\":{\"node1\":[],\"node2\":[]},\"containers_after\":{\"node1\":[],\"node2\":[]},"
                + "\"stderr\":[\"pyxis: importing docker image: ubuntu:24.04 (node node2)\","), json);
        assertTrue(json.endsWith(",\"work_dir\":\"/home/alice\"}]}"), json);
    }

    private static List<TimelineEvent> timeline(String node) {
        return FAILED_START.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().timeline();
    }

    @Test
    @DisplayName("a failed start is told in words, with what the runtime printed, where it happened")
    void failedStartInWords() {
        String text = TextReport.render(FAILED_START);
        assertTrue(text.contains("[100.0] task 1 could not start the container: its first process exited with status"
                + " 1: [ERROR] enroot-switchroot: failed to execute: sh\n"), text);
        assertFalse(text.contains("Exited["), text);
        assertTrue(text.contains("[100.0] task 1 failed: pyxis: container start failed with error code: 1\n"), text);
        assertTrue(text.contains("[100.0] runtime: start /run/pyxis/1000/100.0.squashfs\n"), text);
    }

    @Test
    @DisplayName("events carry their step, task, kind and level, and one order shared by the nodes")
    void eventsAreFields() {
        TimelineEvent failed = timeline("node2").stream()
                .filter(e -> e.kind() == TimelineEvent.Kind.CONTAINER_NOT_STARTED).findFirst().orElseThrow();
        assertEquals("100.0", failed.step());
        assertEquals(1, failed.task());
        assertTrue(failed.failure());
        TimelineEvent info = timeline("node1").stream().filter(e -> e.kind() == TimelineEvent.Kind.MESSAGE)
                .filter(e -> "info".equals(e.level())).findFirst().orElseThrow();
        assertFalse(info.failure());
        List<Long> sequences = FAILED_START.nodes().stream().flatMap(n -> n.timeline().stream())
                .map(TimelineEvent::sequence).sorted().toList();
        assertEquals(sequences.size(), sequences.stream().distinct().count(), "one count for every node");
    }

    @Test
    @DisplayName("JSON: each event an object with its fields")
    void json() {
        String json = JsonReport.render(FAILED_START);
        assertTrue(json.contains("{\"sequence\":"), json);
        assertTrue(json.contains(",\"step\":\"100.0\",\"task\":1,\"event\":\"container-not-started\",\"level\":null,"
                + "\"text\":\"task 1 could not start the container: its first process exited with status 1: [ERROR]"
                + " enroot-switchroot: failed to execute: sh\"}"), json);
        assertTrue(json.contains("\"event\":\"message\",\"level\":\"info\",\"text\":\"info: pyxis: starting"
                + " container from squashfs:"), json);
    }

    @Test
    @DisplayName("SVG: well-formed, a band per node, every mark with its event's words")
    void svg() throws Exception {
        String svg = SvgReport.render(List.of(FAILED_START));
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", document.getDocumentElement().getNodeName());
        assertTrue(svg.contains(">node node1</text>") && svg.contains(">node node2</text>"), svg);
        assertTrue(svg.contains("<title>[100.0] task 1 could not start the container"), svg);
        assertTrue(svg.contains(">PASSED start.yaml (seed 0)</text>"), svg);
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot;", SvgReport.escape("a <b> & \"c\""));
    }
}
