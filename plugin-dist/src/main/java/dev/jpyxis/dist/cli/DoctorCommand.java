package dev.jpyxis.dist.cli;

import dev.jpyxis.dist.doctor.Check;
import dev.jpyxis.dist.doctor.Doctor;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.NodePorts;
import dev.jpyxis.domain.service.ConfigurationChecker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code jpyxis doctor}: whether this node can run containerised steps, and how to fix what it cannot. */
final class DoctorCommand {

    static final String USAGE = """
            Usage: jpyxis doctor [--plugstack FILE] [--user NAME] [--image FILE.sqsh] [--registry IMAGE] [--json]

            Checks that a containerised step would work on this node, and says how to fix each problem: the
            plugstack line (found through $SLURM_CONF, else /etc/slurm/slurm.conf) and the paths it names, the JVM
            and the startup cache 'jpyxis install' made for it, runtime_path, the importer, user namespaces, the
            container runtime, /dev/fuse where use_squashfuse is set, and a tiny container created, started and
            removed through the runtime, as a step does it. The tiny image is built on the node from its own /usr
            (no network needed). Run it as root on a node: the checks that depend on the user then run as an
            unprivileged user (--user). Any user may run it too, for themselves.

            Options:
              --plugstack FILE    the plugstack.conf to read instead of the one slurm.conf names
              --user NAME         as root: who the runtime and container checks run as (default: the user who
                                  ran sudo, else the first ordinary user with a login shell)
              --image FILE.sqsh   start this squashfs image instead of the tiny one
              --registry IMAGE    also import IMAGE (e.g. docker://ubuntu:24.04) to check the registry and network
              --json              print the findings as one JSON object on stdout

            Exit status:
              0   a containerised step would work (warnings may remain)
              1   a check failed: each failure is printed with its fix
              64  this command line is malformed
            """;

    private final Environment environment;
    private final NodePorts node;

    DoctorCommand(Environment environment, NodePorts node) {
        this.environment = environment;
        this.node = node;
    }

    int run(List<String> args, PrintStream out, PrintStream err) {
        ToolArguments read = ToolArguments.read(args, Set.of("--plugstack", "--user", "--image", "--registry"),
                Set.of("--json", "--as-job-user"), ToolArguments.Rest.NONE);
        if (read.help()) {
            out.print(USAGE);
            return ExitCode.OK;
        }
        Doctor doctor = new Doctor(new Doctor.Settings(read.value("--plugstack").map(Path::of),
                read.value("--user"), read.value("--image").map(Path::of), read.value("--registry"),
                InstallCommand.libDirectory(), environment), node, new ConfigurationChecker());
        if (read.flag("--as-job-user")) {
            // doctor run as root reads these lines back
            doctor.runAsJobUser().forEach(check -> out.println(check.toLine()));
            return ExitCode.OK;
        }
        Doctor.Report report = doctor.run();
        if (read.flag("--json")) {
            out.println(json(report));
        } else {
            out.print(text(report));
        }
        return report.ok() ? ExitCode.OK : ExitCode.REJECTED;
    }

    static String text(Doctor.Report report) {
        StringBuilder text = new StringBuilder();
        text.append("jpyxis doctor on ").append(report.node()).append(" as ").append(report.user()).append(" (")
                .append(Version.line()).append(")\n");
        int width = report.checks().stream().mapToInt(check -> check.name().length()).max().orElse(0);
        for (Check check : report.checks()) {
            text.append(String.format("  %-4s  %-" + width + "s  %s%n", check.status().word(), check.name(),
                    check.detail()));
            if (!check.fix().isEmpty() && check.status() != Check.Status.OK) {
                text.append(" ".repeat(10 + width)).append("fix: ").append(check.fix()).append('\n');
            }
        }
        long failed = report.checks().stream().filter(check -> check.status() == Check.Status.FAIL).count();
        text.append(failed == 0 ? "verdict: a containerised step would work on " + report.node() + "\n"
                : "verdict: a containerised step would NOT work on " + report.node() + ": " + failed
                        + (failed == 1 ? " check failed\n" : " checks failed\n"));
        return text.toString();
    }

    static String json(Doctor.Report report) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("node", report.node());
        object.put("user", report.user());
        object.put("version", Version.jpyxis());
        object.put("ok", report.ok());
        object.put("checks", report.checks().stream().map(check -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", check.name());
            entry.put("status", check.status().name().toLowerCase(java.util.Locale.ROOT));
            entry.put("detail", check.detail());
            entry.put("fix", check.fix());
            return entry;
        }).toList());
        return Json.write(object);
    }
}
