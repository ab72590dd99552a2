package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.out.OwnershipRecord;
import dev.jpyxis.domain.port.out.ProcessIdentity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.CommandOutcome;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("job epilog")
class JobEpilogTest {

    private final ContainerRuntime runtime = mock(ContainerRuntime.class);
    private final RuntimeInvocation invocation = new RuntimeInvocation(Environment.empty(), "/");
    private final PluginConfig jobScope = PluginConfig.parse("container_scope=job");

    JobEpilogTest() {
        when(runtime.traits()).thenReturn(FakeNode.TRAITS);
    }

    private static CommandFailedException failure() {
        return new CommandFailedException(new CommandOutcome.Exited(5, 1), List.of("busy"));
    }

    @Test
    @DisplayName("global scope: nothing to do")
    void globalScope() {
        HookOutcome end = new JobEpilog(PluginConfig.defaults(), runtime, Optional.empty()).run(12, invocation);
        assertEquals(HookOutcome.nothing(), end);
        verifyNoInteractions(runtime);
    }

    @Test
    @DisplayName("job scope: removes exactly the job's containers, named and unnamed")
    void removesTheJobs() {
        when(runtime.names(any())).thenReturn(List.of("pyxis_12_dev", "pyxis_12_12.3", "pyxis_123_x", "pyxis_dev",
                "pyxis_13_13.0"));
        HookOutcome end = new JobEpilog(jobScope, runtime, Optional.empty()).run(12, invocation);
        assertFalse(end.failed());
        verify(runtime).remove(any(), eq("pyxis_12_dev"));
        verify(runtime).remove(any(), eq("pyxis_12_12.3"));
        verify(runtime, never()).remove(any(), eq("pyxis_123_x"));
        verify(runtime, never()).remove(any(), eq("pyxis_dev"));
        assertTrue(end.diagnostics().contains(Diagnostic.verbose("pyxis: epilog: removed container pyxis_12_dev")));
    }

    @Test
    @DisplayName("a failed removal is checked again: gone after all means success")
    void failedButGone() {
        when(runtime.names(any())).thenReturn(List.of("pyxis_12_dev"), List.of());
        doThrow(failure()).when(runtime).remove(any(), anyString());
        HookOutcome end = new JobEpilog(jobScope, runtime, Optional.empty()).run(12, invocation);
        assertFalse(end.failed());
        assertTrue(end.diagnostics().contains(Diagnostic.error("pyxis: epilog: failed to remove container pyxis_12_dev")));
        assertTrue(end.diagnostics().contains(Diagnostic.verbose("pyxis: epilog: no leftover containers")));
        assertTrue(end.diagnostics().indexOf(Diagnostic.verbose("pyxis: epilog: checking for leftover containers"))
                > end.diagnostics().indexOf(Diagnostic.error("pyxis: epilog: failed to remove container pyxis_12_dev")),
                "pyxis says it lists again, after the failure");
    }

    private static CommandFailedException cannotStart() {
        return new CommandFailedException(new CommandOutcome.NotStarted("No such file or directory"), List.of());
    }

    @Test
    @DisplayName("still there after every round of removals, because the user's storage refuses: named, and the node stays in service")
    void stillThereInTheUsersStorage() {
        when(runtime.names(any())).thenReturn(List.of("pyxis_12_dev"));
        doThrow(failure()).when(runtime).remove(any(), anyString());
        HookOutcome end = new JobEpilog(jobScope, runtime, Optional.empty()).run(12, invocation);
        assertFalse(end.failed(), "a user's broken storage does not drain the node");
        verify(runtime, times(JobEpilog.ATTEMPTS)).remove(any(), eq("pyxis_12_dev"));
        List<String> texts = end.diagnostics().stream().map(Diagnostic::text).toList();
        assertTrue(texts.contains("pyxis: epilog: container pyxis_12_dev was not removed"));
        assertTrue(texts.contains("pyxis: epilog: couldn't cleanup pyxis containers for job 12"));
        assertEquals("pyxis: epilog: the node stays in service: enroot ran as the job's user and failed in that"
                + " user's own storage; what job 12 left there stays until the user removes it",
                texts.get(texts.size() - 1));
    }

    @Test
    @DisplayName("a removal that fails once and works on the next round succeeds")
    void removalRetried() {
        when(runtime.names(any())).thenReturn(List.of("pyxis_12_dev"));
        doThrow(failure()).doNothing().when(runtime).remove(any(), anyString());
        HookOutcome end = new JobEpilog(jobScope, runtime, Optional.empty()).run(12, invocation);
        assertFalse(end.failed());
        verify(runtime, times(2)).remove(any(), eq("pyxis_12_dev"));
    }

    @Test
    @DisplayName("a runtime that cannot be started is the node's fault: the epilog fails")
    void runtimeMissingIsTheNodes() {
        when(runtime.names(any())).thenReturn(List.of("pyxis_12_dev"));
        doThrow(cannotStart()).when(runtime).remove(any(), anyString());
        assertTrue(new JobEpilog(jobScope, runtime, Optional.empty()).run(12, invocation).failed());
        when(runtime.names(any())).thenThrow(cannotStart());
        HookOutcome end = new JobEpilog(jobScope, runtime, Optional.empty()).run(12, invocation);
        assertTrue(end.failed());
        List<String> texts = end.diagnostics().stream().map(Diagnostic::text).toList();
        assertEquals("pyxis: couldn't execute enroot command", texts.get(0));
        assertEquals("pyxis: epilog: couldn't get list of existing containers", texts.get(texts.size() - 1));
        verify(runtime, times(2)).names(any()); // once per run: a runtime that cannot start is not retried
    }

    @Test
    @DisplayName("the list fails each time in the user's storage: the last failure is logged, and the node stays in service")
    void listFails() {
        when(runtime.names(any())).thenThrow(failure());
        HookOutcome end = new JobEpilog(jobScope, runtime, Optional.empty()).run(12, invocation);
        assertFalse(end.failed());
        verify(runtime, times(JobEpilog.ATTEMPTS)).names(any());
        List<String> texts = end.diagnostics().stream().map(Diagnostic::text).toList();
        assertEquals("pyxis: couldn't execute enroot command", texts.get(0));
        assertEquals(1, texts.stream().filter(text -> text.equals("pyxis: couldn't execute enroot command")).count());
        assertTrue(texts.contains("pyxis: epilog: couldn't get list of existing containers"));
        assertTrue(texts.get(texts.size() - 1).startsWith("pyxis: epilog: the node stays in service: "));
    }

    @Test
    @DisplayName("a list that fails once (unreadable output) and then works is retried")
    void listRetried() {
        when(runtime.names(any())).thenThrow(new PyxisException("pyxis: \"enroot list -f\" did not produce any"
                + " usable output")).thenReturn(List.of("pyxis_12_dev"));
        HookOutcome end = new JobEpilog(jobScope, runtime, Optional.empty()).run(12, invocation);
        assertFalse(end.failed());
        verify(runtime).remove(any(), eq("pyxis_12_dev"));
    }

    @Test
    @DisplayName("it reads the plain name list (enroot list), never the process listing (enroot list -f)")
    void plainNameList() {
        when(runtime.names(any())).thenReturn(List.of("pyxis_12_dev"));
        assertFalse(new JobEpilog(jobScope, runtime, Optional.empty()).run(12, invocation).failed());
        verify(runtime, never()).list(any());
        verify(runtime).remove(any(), eq("pyxis_12_dev"));
    }

    @Test
    @DisplayName("the runtime's own lines (the commands it runs) come in order with the epilog's")
    void runtimeLinesInOrder() {
        FakeNode node = new FakeNode();
        node.reportsCommands = true;
        node.addContainer("pyxis_12_dev");
        HookOutcome end = new JobEpilog(jobScope, node, Optional.empty()).run(12, invocation);
        assertEquals(List.of(Diagnostic.verbose("pyxis: running fake command: \"names\""),
                Diagnostic.verbose("pyxis: epilog: removing container pyxis_12_dev"),
                Diagnostic.verbose("pyxis: running fake command: \"remove pyxis_12_dev\""),
                Diagnostic.verbose("pyxis: epilog: removed container pyxis_12_dev")), end.diagnostics());
    }

    @Test
    @DisplayName("the job's ownership records are forgotten")
    void forgetsRecords() {
        FakeNode ledger = new FakeNode();
        ledger.records.add(new OwnershipRecord("pyxis_12_dev", OwnershipRecord.Ownership.JOB, 12, 1, 0, "boot-1",
                new ProcessIdentity(1, 1), Optional.empty()));
        ledger.records.add(new OwnershipRecord("pyxis_13_dev", OwnershipRecord.Ownership.JOB, 13, 1, 0, "boot-1",
                new ProcessIdentity(1, 1), Optional.empty()));
        when(runtime.names(any())).thenReturn(List.of("pyxis_12_dev"));
        new JobEpilog(jobScope, runtime, Optional.of(ledger)).run(12, invocation);
        assertEquals(List.of("pyxis_13_dev"), ledger.records.stream().map(OwnershipRecord::containerName).toList());
    }
}
