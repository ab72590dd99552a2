package dev.jpyxis.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.internal.lifecycle.FakeNode;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.in.EpilogRequest;
import dev.jpyxis.domain.port.in.HookOutcome;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the job epilog in-port")
class JobEpilogServiceTest {

    private final FakeNode node = new FakeNode();
    private final JobEpilogService epilog = new JobEpilogService(node.asNodePorts());

    @Test
    @DisplayName("container_scope=job removes the job's named containers and no other job's")
    void jobScope() {
        node.expectEpilog(12);
        node.addContainer("pyxis_12_dev");
        node.addContainer("pyxis_12_data");
        node.addContainer("pyxis_13_dev");
        HookOutcome outcome = epilog.run(new EpilogRequest(List.of("container_scope=job"), 1000, 12));
        assertFalse(outcome.failed(), outcome.diagnostics().toString());
        assertTrue(node.journal().containsAll(List.of("remove pyxis_12_dev", "remove pyxis_12_data")));
        assertFalse(node.journal().contains("remove pyxis_13_dev"));
        assertTrue(node.epilogTraces().isEmpty(), "the epilog's trace goes once it ran");
    }

    @Test
    @DisplayName("with the default scope the epilog has nothing to do and runs nothing")
    void globalScope() {
        node.addContainer("pyxis_12_dev");
        assertEquals(HookOutcome.nothing(), epilog.run(new EpilogRequest(List.of(), 1000, 12)));
        assertEquals(List.of(), node.journal());
    }

    @Test
    @DisplayName("an unreadable plugstack line fails the epilog with pyxis's lines")
    void unreadableConfiguration() {
        HookOutcome outcome = epilog.run(new EpilogRequest(List.of("container_scope=bogus"), 1000, 12));
        assertTrue(outcome.failed());
        assertEquals(List.of(Diagnostic.error("pyxis: container_scope: invalid value: bogus"),
                Diagnostic.error("pyxis: epilog: failed to parse configuration")), outcome.diagnostics());
    }

    @Test
    @DisplayName("a container the runtime fails to remove is reported; the runtime ran, so the node is not drained")
    void removalFails() {
        node.addContainer("pyxis_12_dev");
        node.fail("remove");
        HookOutcome outcome = epilog.run(new EpilogRequest(List.of("container_scope=job"), 1000, 12));
        assertFalse(outcome.failed());
        assertTrue(outcome.diagnostics().contains(
                Diagnostic.error("pyxis: epilog: container pyxis_12_dev was not removed")));
    }
}
