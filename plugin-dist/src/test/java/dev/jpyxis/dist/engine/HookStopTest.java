package dev.jpyxis.dist.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HookStopTest {

    @Test
    void stopsAtTheNamedRequestOnlyEachTimeItArrives() {
        AtomicInteger stops = new AtomicInteger();
        HookStop stop = new HookStop("task_exit", stops::incrementAndGet);
        for (String type : List.of("init", "user_init", "task_init", "task_exit", "task_exit", "exit")) {
            stop.accept(type);
        }
        assertEquals(2, stops.get());
    }

    @Test
    void withoutThePropertyTheEngineNeverStops() {
        System.clearProperty(HookStop.PROPERTY);
        // a stop here would stop this very JVM: the test would never end
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String type : List.of("init", "user_init", "task_init", "task_exit", "exit", "epilog")) {
                HookStop.fromProperties().accept(type);
            }
        });
    }

    @Test
    void thePropertyStopsTheRealProcess() throws Exception {
        // a JVM of its own, started with the property, stops itself: the kernel says so in /proc/<pid>/stat
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(javaCommand, "-D" + HookStop.PROPERTY + "=user_init", "-cp",
                System.getProperty("java.class.path"), StopsAtUserInit.class.getName()).inheritIO().start();
        try {
            String state = "";
            for (int i = 0; i < 200 && !state.equals("T"); i++) {
                Thread.sleep(50);
                String stat = Files.readString(Path.of("/proc/" + child.pid() + "/stat"));
                state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            }
            assertEquals("T", state, "the engine's JVM is not stopped");
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    /** Told init then user_init, as a step engine is. */
    static final class StopsAtUserInit {
        public static void main(String[] args) {
            HookStop.fromProperties().accept("init");
            HookStop.fromProperties().accept("user_init");
            System.exit(3); // not reached while stopped
        }
    }
}
