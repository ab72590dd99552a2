package dev.jpyxis.adapters.charliecloud;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The programs the adapter runs, by absolute path, found in slurmstepd's search path; {@code squashfuse} and
 * {@code fusermount} only for {@code use_squashfuse}, util-linux's {@code unshare} only for
 * {@code --container-unshare}.
 */
public record CharliecloudTools(String chRun, String chImage, String chConvert, String unsquashfs, String squashfuse,
        String fusermount, String unshare) {

    public static CharliecloudTools locate(String searchPath) {
        String fusermount = find(searchPath, "fusermount3");
        if (!Files.isExecutable(Path.of(fusermount))) {
            fusermount = find(searchPath, "fusermount");
        }
        return new CharliecloudTools(find(searchPath, "ch-run"), find(searchPath, "ch-image"),
                find(searchPath, "ch-convert"), find(searchPath, "unsquashfs"), find(searchPath, "squashfuse"),
                fusermount, find(searchPath, "unshare"));
    }

    /** The first executable {@code program} in the path; {@code /usr/bin/program} when none, so errors name it. */
    static String find(String searchPath, String program) {
        for (String dir : searchPath.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (candidate.isAbsolute() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return "/usr/bin/" + program;
    }
}
