package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.domain.service.ConfigurationChecker;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationCheckTest {

    private static Message check(String... arguments) {
        Message.Builder request = Message.builder("config").add("protocol", MessageCodec.PROTOCOL_VERSION);
        for (String argument : arguments) {
            request.add("config", argument);
        }
        return new ConfigurationCheck(new ConfigurationChecker()).answer(request.build());
    }

    @Test
    void aReadablePlugstackLineIsAccepted() {
        Message answer = check("container_scope=job", "runtime=charliecloud", "sbatch_support=0");
        assertEquals("ok", answer.require("status"));
        assertEquals(List.of(), answer.all("log.error"));
    }

    @Test
    void anUnreadableOneFailsWithPyxisMessages() {
        Message answer = check("container_scope=bogus");
        assertEquals("failed", answer.require("status"));
        assertEquals(List.of("pyxis: container_scope: invalid value: bogus", "pyxis: failed to parse configuration"),
                answer.all("log.error"));
    }
}
