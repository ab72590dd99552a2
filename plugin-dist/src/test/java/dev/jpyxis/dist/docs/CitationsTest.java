package dev.jpyxis.dist.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The repository cites only what a reader of it can open: every {@code docs/<page>.md#<heading>} citation (and every
 * relative link between Markdown pages) names a page that exists and a heading that page has, and no section sign is
 * left from citing a document outside the repository.
 */
class CitationsTest {

    private static final Path ROOT = Path.of("..");
    private static final String SECTION_SIGN = "\u00a7";
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", "node_modules");
    private static final Set<String> EXTENSIONS = Set.of("java", "c", "h", "sh", "md", "yaml", "yml", "xml", "txt",
            "properties", "map", "args", "example", "conf");
    /** Folders whose files are scripts, with or without an extension. */
    private static final List<Path> SCRIPT_FOLDERS = List.of(Path.of("scripts"), Path.of("e2e"), Path.of(".ci"),
            Path.of("plugin-dist", "src", "main", "dist", "bin"));

    /** {@code docs/<page>.md#<heading>} anywhere in a file. */
    private static final Pattern CITATION = Pattern.compile("docs/([A-Za-z0-9_.-]+\\.md)#([A-Za-z0-9_-]+)");
    /** A relative Markdown link with an anchor, {@code ](<page>.md#<heading>)} or {@code ](#<heading>)}. */
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([A-Za-z0-9_./-]*\\.md)?#([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");

    private final Map<Path, Optional<Set<String>>> anchors = new HashMap<>();

    @Test
    @DisplayName("the repository root is found, with its docs")
    void rootIsTheRepository() {
        assertTrue(Files.isRegularFile(ROOT.resolve("pom.xml")) && Files.isDirectory(ROOT.resolve("docs")),
                "not the repository root: " + ROOT.toAbsolutePath().normalize());
        assertTrue(sourceFiles().size() > 100, "too few files found under " + ROOT.toAbsolutePath().normalize());
    }

    @Test
    @DisplayName("no section sign anywhere: behaviour is cited by page and heading")
    void noSectionSigns() {
        List<String> found = new ArrayList<>();
        for (Path file : sourceFiles()) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(SECTION_SIGN)) {
                    found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertEquals(List.of(), found, "cite a page and heading under docs/ instead");
    }

    @Test
    @DisplayName("every citation of a page under docs/ and its heading names an existing page and heading")
    void citationsResolve() {
        List<String> broken = new ArrayList<>();
        for (Path file : sourceFiles()) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher citation = CITATION.matcher(lines.get(i));
                int line = i + 1;
                while (citation.find()) {
                    check(ROOT.resolve("docs").resolve(citation.group(1)), citation.group(2))
                            .ifPresent(problem -> broken.add(ROOT.relativize(file) + ":" + line + ":" + problem));
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    @DisplayName("every relative Markdown link with an anchor names an existing page and one of its headings")
    void markdownLinksResolve() {
        List<String> broken = new ArrayList<>();
        for (Path file : sourceFiles()) {
            if (!file.toString().endsWith(".md")) {
                continue;
            }
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher link = MARKDOWN_LINK.matcher(lines.get(i));
                while (link.find()) {
                    Path page = link.group(1) == null ? file : file.getParent().resolve(link.group(1));
                    int line = i + 1;
                    check(page, link.group(2))
                            .ifPresent(problem -> broken.add(ROOT.relativize(file) + ":" + line + ":" + problem));
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    @DisplayName("anchors are made as GitHub makes them")
    void slugs() {
        assertEquals("container-naming", slug("Container naming"));
        assertEquals("remap-root-home-and-writability", slug("Remap-root, home and writability"));
        assertEquals("the-shimengine-protocol", slug("The shim–engine protocol"));
        assertEquals("enroot-default", slug("enroot (default)"));
        assertEquals("charliecloud-runtimecharliecloud", slug("Charliecloud (`runtime=charliecloud`)"));
        assertEquals("use_squashfuse", slug("use_squashfuse"));
        assertEquals(Set.of("a", "a-1", "b"), headingAnchors(List.of("# A", "```", "# not a heading", "```", "## A",
                "### B")));
    }

    @Test
    @DisplayName("the check fails for a missing page, a missing heading and a section sign")
    void theCheckCanFail() throws IOException {
        Path scratch = Files.createTempDirectory("citations");
        try {
            Path page = Files.writeString(scratch.resolve("page.md"), "# Page\n\n## A heading\n");
            assertEquals(Optional.empty(), check(page, "a-heading"));
            assertTrue(check(page, "no-such-heading").isPresent());
            assertTrue(check(scratch.resolve("missing.md"), "a-heading").isPresent());
            assertTrue(CITATION.matcher("see docs/" + "page.md#a-heading").find());
            assertTrue(("see " + SECTION_SIGN + "3.4").contains(SECTION_SIGN));
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** What is wrong with a link to {@code anchor} on {@code page}, if anything. */
    private Optional<String> check(Path page, String anchor) {
        Optional<Set<String>> known = anchors.computeIfAbsent(page.normalize(), this::readAnchors);
        if (known.isEmpty()) {
            return Optional.of(" no page " + page.normalize());
        }
        if (!known.get().contains(anchor)) {
            return Optional.of(" no heading for #" + anchor + " in " + page.normalize());
        }
        return Optional.empty();
    }

    private Optional<Set<String>> readAnchors(Path page) {
        if (!Files.isRegularFile(page)) {
            return Optional.empty();
        }
        return Optional.of(headingAnchors(lines(page)));
    }

    /** The anchors of a Markdown page's headings, outside fenced code, repeated ones numbered as GitHub does. */
    static Set<String> headingAnchors(List<String> lines) {
        Map<String, Integer> seen = new HashMap<>();
        Set<String> result = new LinkedHashSet<>();
        boolean fenced = false;
        for (String line : lines) {
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (fenced || !heading.matches()) {
                continue;
            }
            String slug = slug(heading.group(1));
            int count = seen.merge(slug, 1, Integer::sum);
            result.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return result;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped (but '-' and '_'), spaces to '-'. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    /** The repository's sources, docs, scenarios, scripts and build files; never build output. */
    private static List<Path> sourceFiles() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> ROOT.relativize(file).getNameCount() > 0)
                    .filter(file -> !skipped(ROOT.relativize(file)))
                    .filter(CitationsTest::isSource)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSource(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0 && EXTENSIONS.contains(name.substring(dot + 1))) {
            return true;
        }
        Path relative = ROOT.relativize(file);
        return SCRIPT_FOLDERS.stream().anyMatch(relative::startsWith) && dot < 0;
    }
}
