package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallCommandTest {

    @Test
    void aJvmThatWasNotPreparedRunsWithTheSameFlagsButNoCache() throws Exception {
        List<String> shipped = Files.readAllLines(Path.of("src/main/dist/lib/engine.args"));
        assertEquals(InstallCommand.COMMON_FLAGS, shipped);
    }

    @Test
    void eachJdkHasItsArgumentsAtItsRealPathUnderLibJvm() {
        assertEquals(Path.of("/usr/lib/jpyxis/lib/jvm/usr/lib/jvm/temurin-25-jdk-amd64/bin/java.args"),
                InstallCommand.argumentsFile(Path.of("/usr/lib/jpyxis/lib"),
                        Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")));
    }

    @TempDir
    Path jdks;

    /** A {@code java} that answers the version probe as a JDK of this feature version would. */
    private Path java(String name, String script) throws Exception {
        Path java = jdks.resolve(name).resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private Path jdk(String name, int feature) throws Exception {
        return java(name, "echo '    java.specification.version = " + feature + "'");
    }

    @Test
    void theNewestJdkThatRunsComesFirstAndABrokenOneIsSkippedAloud() throws Exception {
        Path seventeen = jdk("jdk17", 17);
        Path broken = java("temurin-25", "echo 'A fatal error has been detected by the Java Runtime Environment'; exit 134");
        Path eleven = jdk("jdk11", 11);
        Path twentyOne = jdk("jdk21", 21);
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        List<InstallCommand.Jdk> working = InstallCommand.workingJdks(List.of(seventeen, broken, eleven, twentyOne),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(List.of(twentyOne.toRealPath(), seventeen.toRealPath()),
                working.stream().map(InstallCommand.Jdk::realPath).toList());
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("jpyxis install: skipping " + broken + ": install: cannot tell the version of "
                + broken + " (it exits with 134)"), said);
    }

    @Test
    void anEarlierJdkWinsATieAndEachRealPathCountsOnce() throws Exception {
        Path first = jdk("first", 21);
        Path second = jdk("second", 21);
        Path link = jdks.resolve("link-to-first");
        Files.createSymbolicLink(link, first);

        List<InstallCommand.Jdk> working = InstallCommand.workingJdks(List.of(first, link, second),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertEquals(List.of(first.toRealPath(), second.toRealPath()),
                working.stream().map(InstallCommand.Jdk::realPath).toList());
    }
}
