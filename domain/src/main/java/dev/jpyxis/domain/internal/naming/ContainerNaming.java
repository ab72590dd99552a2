package dev.jpyxis.domain.internal.naming;

import dev.jpyxis.domain.config.ContainerScope;
import dev.jpyxis.domain.internal.option.ContainerNameRequest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Pyxis's naming rules. Named containers are {@code pyxis_N} ({@code global}) or {@code pyxis_<J>_N} ({@code job});
 * unnamed ones are {@code pyxis_<J>.<S>} or {@code pyxis_<J>_<J>.<S>}, exactly what {@code --container-name=<J>.<S>}
 * gives, so another step can attach to a running unnamed container.
 */
public final class ContainerNaming {

    public static final String PREFIX = "pyxis_";

    private static final Pattern TEMPORARY_GLOBAL = Pattern.compile("pyxis_(\\d+)\\.(\\d+)");
    private static final Pattern TEMPORARY_JOB = Pattern.compile("pyxis_(\\d+)_(\\d+)\\.(\\d+)");

    private ContainerNaming() {
    }

    public static ContainerName forStep(ContainerScope scope, long jobId, long stepId,
            Optional<ContainerNameRequest> request) {
        if (request.isPresent()) {
            return new ContainerName(named(scope, jobId, request.get().name()), false);
        }
        return new ContainerName(named(scope, jobId, jobId + "." + stepId), true);
    }

    private static String named(ContainerScope scope, long jobId, String name) {
        return scope == ContainerScope.JOB ? PREFIX + jobId + "_" + name : PREFIX + name;
    }

    /**
     * Whether a runtime name is one pyxis gives an unnamed (temporary) container in either scope: {@code
     * pyxis_<J>.<S>} or {@code pyxis_<J>_<J>.<S>}.
     */
    public static boolean looksTemporary(String name) {
        return temporaryStep(name).isPresent();
    }

    /** The step {@code <J>.<S>} whose unnamed container this name is, or empty when it is no such name. */
    public static Optional<String> temporaryStep(String name) {
        var global = TEMPORARY_GLOBAL.matcher(name);
        if (global.matches()) {
            return Optional.of(global.group(1) + "." + global.group(2));
        }
        var job = TEMPORARY_JOB.matcher(name);
        return job.matches() && job.group(1).equals(job.group(2))
                ? Optional.of(job.group(2) + "." + job.group(3)) : Optional.empty();
    }

    /**
     * Whether a name belongs to job {@code jobId} in {@code job} scope: exactly {@code pyxis_<J>_} followed by one or
     * more characters that are not spaces, the rule the job epilog applies.
     */
    public static boolean belongsToJob(String name, long jobId) {
        String prefix = PREFIX + jobId + "_";
        if (!name.startsWith(prefix) || name.length() == prefix.length()) {
            return false;
        }
        return name.substring(prefix.length()).chars().noneMatch(Character::isWhitespace);
    }
}
