package dev.jpyxis.simulator.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaseRecordsTest {

    private static final String LINE = "{\"case\": \"node-dies-mid-step\", \"runtime\": \"charliecloud\","
            + " \"nodes\": [\"node1\", \"node2\"], \"command\": \"srun -N2 ...\", \"exit\": 143, \"jobs\": [900038],"
            + " \"creates\": {\"node1\": 1}, \"starts\": {\"node1\": 1, \"node2\": 1},"
            + " \"leftovers_removed\": {\"node1\": 0, \"node2\": 0},"
            + " \"containers_before\": {\"node1\": [], \"node2\": []},"
            + " \"containers_after\": {\"node1\": [], \"node2\": [\"pyxis_900038.0\"]},"
            + " \"stderr\": [\"srun: error: Node failure on node2\", \"tab\\there \\u00e9 \\\"quoted\\\"\"],"
            + " \"work_dir\": \"/home/jpxtest/e2e-work\", \"time\": \"2026-12-02T11:05:26\"}";

    @Test
    void aRecordReadsAsTheE2eTestsWroteIt() {
        List<CaseRecord> records = CaseRecords.parse("cases.jsonl", LINE + "\n\n");
        assertEquals(1, records.size());
        CaseRecord record = records.get(0);
        assertEquals("node-dies-mid-step [charliecloud]", record.key());
        assertEquals(143, record.exit());
        assertEquals(List.of(900038L), record.jobs());
        assertEquals(Map.of("node1", 1, "node2", 1), record.starts());
        assertEquals(Map.of("node1", List.of(), "node2", List.of("pyxis_900038.0")), record.containersAfter());
        assertEquals("tab\there \u00e9 \"quoted\"", record.stderr().get(1));
        assertEquals("/home/jpxtest/e2e-work", record.workDir());
    }

    @Test
    void anExitThatIsNoNumberIsNoExit() {
        assertNull(CaseRecords.parse("f", LINE.replace("\"exit\": 143", "\"exit\": \"timeout\"")).get(0).exit());
    }

    @Test
    void aLineThatIsNoRecordIsNamedWithItsFileAndLine() {
        CaseRecords.MalformedRecordException bad = assertThrows(CaseRecords.MalformedRecordException.class,
                () -> CaseRecords.parse("cases.jsonl", LINE + "\n" + LINE.replace("\"starts\"", "\"begins\"")));
        assertTrue(bad.getMessage().startsWith("cases.jsonl:2: expected a case record"), bad.getMessage());
        assertTrue(bad.getMessage().contains("'starts' is missing"), bad.getMessage());
    }
}
