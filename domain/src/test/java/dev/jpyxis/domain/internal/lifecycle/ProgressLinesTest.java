package dev.jpyxis.domain.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.internal.image.ImageReference;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.SetupProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("progress lines while a setup command runs")
class ProgressLinesTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1000 * SECOND);
    private final AtomicLong written = new AtomicLong(7_000_000);
    private final List<String> shown = new ArrayList<>();
    private final SetupProgress terminal = (task, line) -> shown.add(task + " " + line.severity() + " " + line.text());

    private ProgressLines lines(int intervalSeconds) {
        return new ProgressLines(terminal, now::get, written::get, intervalSeconds, "node2");
    }

    /** A command of {@code seconds} seconds writing 3 MB a second, the driver ticking every second. */
    private Runnable command(ProgressLines lines, int seconds) {
        return () -> {
            for (int s = 0; s < seconds; s++) {
                now.addAndGet(SECOND);
                written.addAndGet(3_000_000);
                lines.tick();
            }
        };
    }

    @Nested
    @DisplayName("the periodic line")
    class Periodic {
        @Test
        @DisplayName("comes every interval while the command runs, with its time, what it wrote, and the node")
        void everyInterval() {
            ProgressLines lines = lines(10);
            lines.watch(3, ProgressLines.Work.IMPORTING, "ubuntu:24.04", () -> {
                command(lines, 25).run();
                return null;
            });
            assertEquals(List.of("3 USER pyxis: still importing ubuntu:24.04, 10 s, 30 MB written to disk (node node2)",
                    "3 USER pyxis: still importing ubuntu:24.04, 20 s, 60 MB written to disk (node node2)"), shown);
        }

        @Test
        @DisplayName("counts the bytes written since the command began, in megabytes of a million bytes")
        void bytesSinceTheStart() {
            ProgressLines lines = lines(2);
            lines.watch(0, ProgressLines.Work.UNPACKING, "/images/u.sqsh", () -> {
                now.addAndGet(2 * SECOND);
                written.addAndGet(999_999);
                lines.tick();
                return null;
            });
            assertEquals(List.of(
                    "0 USER pyxis: still unpacking /images/u.sqsh, 2 s, 0 MB written to disk (node node2)"), shown);
        }

        @Test
        @DisplayName("does not come before an interval has passed, nor when ticks come faster")
        void notBeforeTheInterval() {
            ProgressLines lines = lines(10);
            lines.watch(0, ProgressLines.Work.IMPORTING, "ubuntu", () -> {
                command(lines, 9).run();
                for (int i = 0; i < 5; i++) {
                    lines.tick();
                }
                return null;
            });
            assertEquals(List.of(), shown);
        }

        @Test
        @DisplayName("is off with progress_interval=0")
        void off() {
            ProgressLines lines = lines(0);
            lines.watch(0, ProgressLines.Work.IMPORTING, "ubuntu", () -> {
                command(lines, 100).run();
                return null;
            });
            assertEquals(List.of(), shown);
        }

        @Test
        @DisplayName("never follows the end of its command, whether it succeeded or failed")
        void notAfterTheEnd() {
            ProgressLines lines = lines(1);
            lines.watch(0, ProgressLines.Work.IMPORTING, "ubuntu", () -> null);
            assertThrows(CommandFailedException.class, () -> lines.watch(0, ProgressLines.Work.IMPORTING, "ubuntu",
                    () -> {
                        throw new CommandFailedException(
                                new dev.jpyxis.domain.port.out.CommandOutcome.Exited(9, 1), List.of());
                    }));
            command(lines, 5).run();
            assertEquals(List.of(), shown);
        }

        @Test
        @DisplayName("a tick with nothing running shows nothing")
        void idle() {
            ProgressLines lines = lines(1);
            command(lines, 5).run();
            assertEquals(List.of(), shown);
        }
    }

    @Nested
    @DisplayName("the line that an import begins")
    class Importing {
        @Test
        @DisplayName("is pyxis's own in a step of one task and in the batch step (no task), with the node elsewhere")
        void pyxisTextWherePyxisSaysIt() {
            ProgressLines lines = lines(10);
            ImageReference image = new ImageReference("ubuntu");
            assertEquals(Diagnostic.user("pyxis: importing docker image: ubuntu"),
                    lines.importing(Steps.step(1, 0, 1), image));
            assertEquals(Diagnostic.user("pyxis: importing docker image: ubuntu"), lines.importing(
                    Steps.step(1, 0xfffffffbL, 1, 0, 1000, dev.jpyxis.domain.env.Environment.empty()), image));
            assertEquals(Diagnostic.user("pyxis: importing docker image: ubuntu (node node2)"),
                    lines.importing(Steps.step(1, 0, 1, 4, 1000, dev.jpyxis.domain.env.Environment.empty()), image));
        }
    }

    @Test
    @DisplayName("a negative interval is refused")
    void negativeInterval() {
        assertThrows(IllegalArgumentException.class, () -> lines(-1));
    }

    @Nested
    @DisplayName("in a node-step")
    class InANodeStep {
        private final FakeNode node = new FakeNode();

        private TaskShimDouble run(int localTasks, int totalTasks, String image) {
            TaskShimDouble.Terminal terminal = new TaskShimDouble.Terminal();
            PluginConfig config = PluginConfig.parse("progress_interval=5");
            var step = Steps.step(12, 3, localTasks, totalTasks, 1000, Steps.step(12, 3, 1).jobEnvironment());
            ProgressLines lines = new ProgressLines(terminal, now::get, written::get, config.progressIntervalSeconds(),
                    "node2");
            node.whileRunning.put("import", command(lines, 12));
            node.whileRunning.put("create", command(lines, 6));
            return new TaskShimDouble(new NodeStep(step, config, node.ports(false), Steps.DAEMON_PATH,
                    Steps.prepare(node, config, step, Steps.options("--container-image=" + image)), lines),
                    localTasks, terminal);
        }

        private List<String> userLines(TaskShimDouble shim, int task) {
            return shim.executed.get(task).stream().filter(op -> op instanceof TaskOperation.Log log
                    && log.diagnostic().severity() == dev.jpyxis.domain.message.Severity.USER)
                    .map(op -> ((TaskOperation.Log) op).diagnostic().text()).toList();
        }

        @Test
        @DisplayName("a long import and unpack of a multi-task step: the setup task shows each line as it comes")
        void longImport() {
            TaskShimDouble shim = run(2, 4, "ubuntu");
            shim.arrive(1);
            shim.report(1);
            assertEquals(List.of("pyxis: importing docker image: ubuntu (node node2)",
                    "pyxis: still importing ubuntu, 5 s, 15 MB written to disk (node node2)",
                    "pyxis: still importing ubuntu, 10 s, 30 MB written to disk (node node2)",
                    "pyxis: imported docker image: ubuntu",
                    "pyxis: still unpacking ubuntu, 5 s, 15 MB written to disk (node node2)"), userLines(shim, 1));
        }

        @Test
        @DisplayName("a squashfs file unpacked quickly shows nothing, as pyxis")
        void quickUnpack() {
            TaskShimDouble shim = run(1, 1, "/images/u.sqsh");
            node.whileRunning.put("create", () -> { });
            shim.arrive(0);
            assertEquals(List.of(), userLines(shim, 0));
        }
    }
}
