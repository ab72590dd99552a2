package dev.jpyxis.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.internal.lifecycle.FakeNode;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.in.EpilogRequest;
import dev.jpyxis.domain.port.in.HookOutcome;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the job epilog in-port")
class JobEpilogServiceTest {

    /** What Slurm gives the epilog process, with a HOME pyxis drops. */
    private static final Environment EPILOG_PROCESS = Environment.of("SLURM_JOB_ID", "12", "SLURM_JOB_UID", "1000",
            "HOME", "/root", "SLURM_SCRIPT_CONTEXT", "epilog_slurmd");

    private final FakeNode node = new FakeNode();
    private final JobEpilogService epilog = new JobEpilogService(node.asNodePorts());

    @Test
    @DisplayName("container_scope=job removes the job's named containers and no other job's")
    void jobScope() {
        node.expectEpilog(12);
        node.addContainer("pyxis_12_dev");
        node.addContainer("pyxis_12_data");
        node.addContainer("pyxis_13_dev");
        HookOutcome outcome = epilog.run(new EpilogRequest(List.of("container_scope=job"), 1000, 12, EPILOG_PROCESS));
        assertFalse(outcome.failed(), outcome.diagnostics().toString());
        assertTrue(node.journal().containsAll(List.of("remove pyxis_12_dev", "remove pyxis_12_data")));
        assertFalse(node.journal().contains("remove pyxis_13_dev"));
        assertTrue(node.epilogTraces().isEmpty(), "the epilog's trace goes once it ran");
    }

    @Test
    @DisplayName("with the default scope the epilog has nothing to do and runs nothing")
    void globalScope() {
        node.addContainer("pyxis_12_dev");
        assertEquals(HookOutcome.nothing(), epilog.run(new EpilogRequest(List.of(), 1000, 12, EPILOG_PROCESS)));
        assertEquals(List.of(), node.journal());
    }

    @Test
    @DisplayName("an unreadable plugstack line fails the epilog with pyxis's lines")
    void unreadableConfiguration() {
        HookOutcome outcome = epilog.run(new EpilogRequest(List.of("container_scope=bogus"), 1000, 12, EPILOG_PROCESS));
        assertTrue(outcome.failed());
        assertEquals(List.of(Diagnostic.error("pyxis: container_scope: invalid value: bogus"),
                Diagnostic.error("pyxis: epilog: failed to parse configuration")), outcome.diagnostics());
    }

    @Test
    @DisplayName("a container the runtime fails to remove is reported; the runtime ran, so the node is not drained")
    void removalFails() {
        node.addContainer("pyxis_12_dev");
        node.fail("remove");
        HookOutcome outcome = epilog.run(new EpilogRequest(List.of("container_scope=job"), 1000, 12, EPILOG_PROCESS));
        assertFalse(outcome.failed());
        assertTrue(outcome.diagnostics().contains(
                Diagnostic.error("pyxis: epilog: container pyxis_12_dev was not removed")));
    }

    @Test
    @DisplayName("the runtime gets the epilog process's environment without HOME, and a PATH only where it has none")
    void runtimeEnvironment() {
        assertEquals(Environment.of("SLURM_JOB_ID", "12", "SLURM_JOB_UID", "1000", "SLURM_SCRIPT_CONTEXT",
                "epilog_slurmd", "PATH", "/usr/local/bin:/usr/bin:/bin"),
                JobEpilogService.runtimeEnvironment(EPILOG_PROCESS));
        assertEquals(Environment.of("PATH", "/opt/bin", "SLURM_JOB_ID", "12"),
                JobEpilogService.runtimeEnvironment(Environment.of("PATH", "/opt/bin", "SLURM_JOB_ID", "12",
                        "HOME", "/root")));
    }

    @Test
    @DisplayName("the runtime commands run with exactly that environment")
    void invocationEnvironment() {
        node.expectEpilog(12);
        node.addContainer("pyxis_12_dev");
        epilog.run(new EpilogRequest(List.of("container_scope=job"), 1000, 12, EPILOG_PROCESS));
        assertEquals(List.of("names", "remove pyxis_12_dev"), node.journal().subList(1, node.journal().size()));
        assertEquals(List.of(JobEpilogService.runtimeEnvironment(EPILOG_PROCESS),
                JobEpilogService.runtimeEnvironment(EPILOG_PROCESS)), node.runtimeEnvironments());
    }
}
