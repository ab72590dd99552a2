package dev.jpyxis.adapters.slurm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import dev.jpyxis.domain.service.SubmissionValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmitCheckTest {

    private final SubmitCheck check = new SubmitCheck(new SubmissionValidator(
            kind -> new RuntimeTraits("enroot", Set.of(), EnumSet.allOf(RuntimeFeature.class))));

    @TempDir
    Path home;

    private static Message.Builder request(String... options) {
        Message.Builder request = Message.builder("submit").add("protocol", MessageCodec.PROTOCOL_VERSION).add("command", "srun");
        for (String option : options) {
            int equals = option.indexOf('=');
            request.add("opt." + option.substring(0, equals), option.substring(equals + 1));
        }
        return request;
    }

    @Test
    void anAcceptedAndARejectedSubmissionAreAnsweredWithPyxisLines() {
        assertEquals("ok", check.answer(request("container-image=ubuntu").build()).require("status"));
        Message rejected = check.answer(request("container-mounts=x:/b").build());
        assertEquals("rejected", rejected.require("status"));
        assertEquals(List.of("pyxis: mount source must be a relative path, an absolute path, \"tmpfs\" or \"umount\"",
                "pyxis: could not add mount entry: x:/b"), rejected.all("log.error"));
    }

    @Test
    void theAnswerIsKeptWhereTheShimAsksOnlyTheUserCanReadIt() throws Exception {
        Path file = home.resolve(".cache/jpyxis/submit-0123456789abcdef");
        Message answer = check.answer(request("container-image=ubuntu").add("verdict_file", file.toString()).build());
        assertArrayEquals(MessageCodec.encode(answer), Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no partial file stays");
        }
    }

    @Test
    void anAnswerThatCannotBeKeptIsStillGiven() throws Exception {
        Path blocked = Files.writeString(home.resolve("not-a-directory"), "x");
        Message answer = check.answer(request("container-image=ubuntu")
                .add("verdict_file", blocked.resolve("submit-1").toString()).build());
        assertEquals("ok", answer.require("status"));
    }

    @Test
    void theLeastRecentlyKeptAnswersGoBeyondTheLimit() throws Exception {
        Path directory = Files.createDirectories(home.resolve("cache"));
        for (int i = 0; i < Verdicts.KEPT; i++) {
            Path old = Files.writeString(directory.resolve("submit-old" + i), "x");
            Files.setLastModifiedTime(old, FileTime.fromMillis(1000L + i));
        }
        check.answer(request("container-image=ubuntu").add("verdict_file", directory.resolve("submit-new").toString())
                .build());
        try (Stream<Path> kept = Files.list(directory)) {
            List<String> names = kept.map(p -> p.getFileName().toString()).toList();
            assertEquals(Verdicts.KEPT, names.size());
            assertTrue(names.contains("submit-new"));
            assertFalse(names.contains("submit-old0"), "the oldest went");
        }
    }
}
