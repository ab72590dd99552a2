package dev.jpyxis.adapters.enroot;

import dev.jpyxis.domain.port.out.FstabEntry;
import dev.jpyxis.domain.port.out.StartConfiguration;

/**
 * The {@code enroot start --conf} script pyxis generates (docs/pyxis-compatibility.md#container-start):
 * {@code mounts()} when there are mounts, {@code hooks()} when the entrypoint is skipped, {@code environ()} for
 * {@code --container-env} names. Unlike pyxis, every user-provided text is single-quoted, so nothing a user types is
 * interpreted by bash; the resulting fstab and environment lines are the same.
 */
final class EnrootConfigScript {

    private EnrootConfigScript() {
    }

    static String render(StartConfiguration configuration) {
        StringBuilder script = new StringBuilder();
        if (!configuration.mounts().isEmpty()) {
            script.append("mounts() {\n");
            for (FstabEntry mount : configuration.mounts()) {
                script.append("\tprintf '%s\\n' ").append(quote(mount.line())).append('\n');
            }
            script.append("}\n");
        }
        if (!configuration.executeEntrypoint()) {
            script.append("hooks() {\n");
            script.append("\tprintf '%s\\n' 'exec \"$@\"' > \"${ENROOT_ROOTFS}/etc/rc.local\"\n");
            script.append("}\n");
        }
        if (!configuration.environmentNames().isEmpty()) {
            script.append("environ() {\n");
            for (String name : configuration.environmentNames()) {
                // set and non-empty in enroot's environment: NAME=value; otherwise nothing
                script.append("\tif __value=$(printenv -- ").append(quote(name))
                        .append(") && [ -n \"${__value}\" ]; then printf '%s=%s\\n' ").append(quote(name))
                        .append(" \"${__value}\"; fi\n");
            }
            script.append("\treturn 0\n}\n");
        }
        return script.toString();
    }

    /** A bash single-quoted word: the text exactly, whatever it holds. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
