package dev.jpyxis.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMarkTest {

    @TempDir
    Path proc;

    @Test
    @DisplayName("a mark is read back from a name; a name without one has none")
    void names() {
        ProcessMark mark = new ProcessMark(4242, 987654);
        assertEquals("4242-987654-", mark.prefix());
        assertEquals(Optional.of(mark), ProcessMark.named(mark.prefix() + "1234"));
        assertEquals(Optional.empty(), ProcessMark.named("1234"), "a name of before marks were given");
        assertEquals(Optional.empty(), ProcessMark.named("a-b-c"));
    }

    @Test
    @DisplayName("gone: no such pid, or a later process with it; a start that cannot be read is taken as alive")
    void gone() throws Exception {
        Files.createDirectories(proc.resolve("4242"));
        // the command name may hold spaces and parentheses; the start time is the 22nd field
        Files.writeString(proc.resolve("4242/stat"), "4242 (a) b (c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20"
                + " 0 19 0 987654 123 4 5\n");
        Files.createDirectories(proc.resolve("17"));
        assertFalse(new ProcessMark(4242, 987654).gone(proc));
        assertTrue(new ProcessMark(4242, 987655).gone(proc));
        assertTrue(new ProcessMark(99, 987654).gone(proc));
        assertFalse(new ProcessMark(17, 1).gone(proc));
    }

    @Test
    @DisplayName("this process has a mark, and is not gone")
    void self() {
        ProcessMark self = ProcessMark.self().orElseThrow();
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertFalse(self.gone());
    }

    @Test
    @DisplayName("left by gone processes: the entries with the prefix and the mark of a process that is gone, only")
    void leftByGoneProcesses() throws Exception {
        Path directory = Files.createDirectory(proc.resolve("dir"));
        ProcessMark self = ProcessMark.self().orElseThrow();
        ProcessMark gone = new ProcessMark(self.pid(), self.startTime() + 1);
        Path left = Files.createFile(directory.resolve(".x_" + gone.prefix() + "1"));
        Files.createFile(directory.resolve(".x_" + self.prefix() + "2"));
        Files.createFile(directory.resolve(".x_3"));
        Files.createFile(directory.resolve(".y_" + gone.prefix() + "4"));

        assertEquals(java.util.List.of(left), ProcessMark.leftByGoneProcesses(directory, ".x_"));
        assertEquals(java.util.List.of(), ProcessMark.leftByGoneProcesses(proc.resolve("missing"), ".x_"));
    }
}
