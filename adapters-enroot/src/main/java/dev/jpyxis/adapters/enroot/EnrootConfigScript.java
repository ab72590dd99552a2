package dev.jpyxis.adapters.enroot;

import dev.jpyxis.domain.port.out.FstabEntry;
import dev.jpyxis.domain.port.out.StartConfiguration;

/**
 * The {@code enroot start --conf} script, byte for byte as pyxis writes it (upstream
 * {@code pyxis_slurmstepd.c:1016} to {@code pyxis_slurmstepd.c:1077}): {@code mounts()} when there are mounts,
 * {@code hooks()} when the entrypoint is skipped, {@code environ()} for {@code --container-env} names.
 *
 * <p>As in pyxis, mount paths (fstab-escaped) and variable names stand inside double quotes, so enroot's bash expands
 * a {@code $VAR} in them, e.g. in an {@code #SBATCH --container-mounts} line that no shell read before. That bash is
 * enroot's, run as the job user while the container starts: it can do nothing the user's own job cannot, and no
 * process of the plugin runs a shell with a user's text (docs/pyxis-compatibility.md#container-start).
 */
final class EnrootConfigScript {

    private EnrootConfigScript() {
    }

    static String render(StartConfiguration configuration) {
        StringBuilder script = new StringBuilder();
        if (!configuration.mounts().isEmpty()) {
            script.append("mounts() {\n");
            for (FstabEntry mount : configuration.mounts()) {
                script.append("\techo \"").append(mount.line()).append("\"\n");
            }
            script.append("}\n");
        }
        if (!configuration.executeEntrypoint()) {
            script.append("hooks() {\n");
            script.append("\techo 'exec \"$@\"' > ${ENROOT_ROOTFS}/etc/rc.local\n");
            script.append("}\n");
        }
        if (!configuration.environmentNames().isEmpty()) {
            script.append("environ() {\n");
            for (String name : configuration.environmentNames()) {
                // set and non-empty in enroot's environment: NAME=value; otherwise nothing
                script.append("\t[ -n \"${").append(name).append("-}\" ] && echo \"").append(name).append("=${")
                        .append(name).append("}\" || :\n");
            }
            script.append("}\n");
        }
        return script.toString();
    }
}
