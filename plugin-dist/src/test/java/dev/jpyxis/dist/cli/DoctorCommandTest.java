package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.dist.doctor.Check;
import dev.jpyxis.dist.doctor.Doctor;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("jpyxis doctor's report")
class DoctorCommandTest {

    private static final Doctor.Report FAILED = new Doctor.Report("node1", "root", List.of(
            new Check("plugstack", Check.Status.OK, "/etc/slurm/plugstack.conf.d/jpyxis.conf:1: required /x.so", ""),
            new Check("startup-cache", Check.Status.WARN, "no cache", "run 'jpyxis install' as root"),
            new Check("container", Check.Status.FAIL, "the runtime's create failed", "look")));

    @Test
    @DisplayName("each finding on a line, its fix below it, then a verdict naming the node")
    void text() {
        String version = Version.line();
        assertEquals("jpyxis doctor on node1 as root (" + version + ")\n"
                + "  ok    plugstack      /etc/slurm/plugstack.conf.d/jpyxis.conf:1: required /x.so\n"
                + "  warn  startup-cache  no cache\n"
                + "                       fix: run 'jpyxis install' as root\n"
                + "  FAIL  container      the runtime's create failed\n"
                + "                       fix: look\n"
                + "verdict: a containerised step would NOT work on node1: 1 check failed\n",
                DoctorCommand.text(FAILED));
    }

    @Test
    @DisplayName("only a failure makes the verdict negative")
    void warningsPass() {
        Doctor.Report passed = new Doctor.Report("n", "alice", FAILED.checks().subList(0, 2));
        assertTrue(passed.ok());
        assertFalse(FAILED.ok());
        assertTrue(DoctorCommand.text(passed).endsWith("verdict: a containerised step would work on n\n"));
    }

    @Test
    @DisplayName("--json: fields for monitoring")
    void json() {
        assertEquals("{\"node\":\"node1\",\"user\":\"root\",\"version\":\"" + Version.jpyxis() + "\",\"ok\":false,"
                + "\"checks\":[{\"name\":\"plugstack\",\"status\":\"ok\",\"detail\":\"/etc/slurm/plugstack.conf.d/"
                + "jpyxis.conf:1: required /x.so\",\"fix\":\"\"},{\"name\":\"startup-cache\",\"status\":\"warn\","
                + "\"detail\":\"no cache\",\"fix\":\"run 'jpyxis install' as root\"},{\"name\":\"container\","
                + "\"status\":\"fail\",\"detail\":\"the runtime's create failed\",\"fix\":\"look\"}]}",
                DoctorCommand.json(FAILED));
    }
}
