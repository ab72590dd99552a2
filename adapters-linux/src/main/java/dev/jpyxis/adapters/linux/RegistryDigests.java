package dev.jpyxis.adapters.linux;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.ImageDigest;
import dev.jpyxis.domain.port.out.ImageDigests;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.exec.CommandRunner;
import dev.jpyxis.exec.EarlyAnswer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Image digests as the job user can have them (docs/runtimes.md#the-image-cache): for {@code docker://}, a
 * {@code HEAD} of the tag's manifest ({@code curl}, the registry's {@code Docker-Content-Digest}), after the registry's
 * token challenge, anonymous or with the user's enroot credentials file; for {@code dockerd://}, the daemon's image id
 * ({@code docker image inspect}). Both run with the invocation's environment, so the job's CA bundle and proxies apply
 * as they do to the runtime's own import. HTTPS only, as enroot's default.
 */
public final class RegistryDigests implements ImageDigests {

    static final String ACCEPT = "Accept: application/vnd.docker.distribution.manifest.list.v2+json, "
            + "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, "
            + "application/vnd.oci.image.manifest.v1+json";
    private static final List<String> LIMITS = List.of("--connect-timeout", "10", "--max-time", "30");
    private static final Pattern STATUS = Pattern.compile("HTTP/[0-9.]+ ([0-9]{3}).*");
    private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("([A-Za-z_]+)=\"([^\"]*)\"");
    private static final Pattern TOKEN = Pattern.compile("\"(?:token|access_token)\"\\s*:\\s*\"([^\"]+)\"");

    private final CommandRunner runner;
    private final Path privateDirectory;
    private final AtomicReference<Early> early = new AtomicReference<>();

    /** A query begun by {@link #digestSoon}: its image and its answer. */
    private record Early(String uri, EarlyAnswer<ImageDigest> answer) {
    }

    /** @param privateDirectory a directory of the user's alone, where a registry token is handed to curl */
    public RegistryDigests(CommandRunner runner, Path privateDirectory) {
        this.runner = runner;
        this.privateDirectory = privateDirectory;
    }

    /**
     * Begins the query now, on a thread of its own: a registry's round trips then overlap the step's own work before its
     * setup, which asks with the same invocation.
     */
    @Override
    public void digestSoon(RuntimeInvocation invocation, String uri) {
        early.set(new Early(uri, EarlyAnswer.begin("digest-ahead", invocation, ahead -> query(ahead, uri))));
    }

    @Override
    public ImageDigest digest(RuntimeInvocation invocation, String uri) {
        Early begun = early.getAndSet(null);
        Optional<ImageDigest> answer = begun != null && begun.uri().equals(uri) ? begun.answer().take(invocation)
                : Optional.empty();
        return answer.isPresent() ? answer.get() : query(invocation, uri);
    }

    private ImageDigest query(RuntimeInvocation invocation, String uri) {
        if (uri.startsWith("dockerd://")) {
            return daemonImageId(invocation, uri.substring("dockerd://".length()));
        }
        Optional<RegistryReference> reference = RegistryReference.parse(uri);
        if (reference.isEmpty()) {
            return new ImageDigest.Unknown("not a registry reference");
        }
        if (reference.get().pinned()) {
            return new ImageDigest.Known(reference.get().reference());
        }
        Optional<String> curl = program("curl", invocation);
        if (curl.isEmpty()) {
            return new ImageDigest.Unknown("curl not found");
        }
        try {
            return manifestDigest(curl.get(), invocation, reference.get());
        } catch (CommandFailedException failed) {
            return new ImageDigest.Unknown(firstLine(failed.log(), "curl: " + failed.outcome().line()));
        }
    }

    private ImageDigest daemonImageId(RuntimeInvocation invocation, String image) {
        Optional<String> docker = program("docker", invocation);
        if (docker.isEmpty()) {
            return new ImageDigest.Unknown("docker not found");
        }
        CommandRunner.Result result;
        try {
            result = runner.run(List.of(docker.get(), "image", "inspect", "--format", "{{.Id}}", "--", image),
                    invocation.environment(), Path.of(invocation.workingDirectory()));
        } catch (CommandFailedException failed) {
            return new ImageDigest.Unknown("docker: " + failed.outcome().line());
        }
        String first = firstLine(result.output(), "no output");
        return result.succeeded() ? new ImageDigest.Known(first.strip()) : new ImageDigest.Unknown("docker: " + first);
    }

    /** HEAD of the manifest; on a 401, the challenge's token (Bearer) or the credentials (Basic), and once more. */
    private ImageDigest manifestDigest(String curl, RuntimeInvocation invocation, RegistryReference reference) {
        Optional<Path> credentials = credentials(invocation.environment());
        Response first = head(curl, invocation, reference, List.of());
        if (first.status() != 401) {
            return first.digest();
        }
        String challenge = first.header("www-authenticate").orElse("");
        if (challenge.regionMatches(true, 0, "Basic", 0, 5) && credentials.isPresent()) {
            return head(curl, invocation, reference, netrc(credentials.get())).digest();
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            return new ImageDigest.Unknown("the registry asks for " + (challenge.isEmpty() ? "an unknown"
                    : challenge.split(" ")[0]) + " authentication");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = CHALLENGE_PARAMETER.matcher(challenge);
        while (matcher.find()) {
            parameters.put(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2));
        }
        String realm = parameters.remove("realm");
        if (realm == null) {
            return new ImageDigest.Unknown("no realm in the registry's challenge");
        }
        List<String> argv = new ArrayList<>(List.of(curl, "-sS", "-G", "--proto", "=https"));
        argv.addAll(LIMITS);
        argv.addAll(caBundle(invocation.environment()));
        credentials.ifPresent(file -> argv.addAll(netrc(file)));
        parameters.forEach((name, value) -> argv.addAll(List.of("--data-urlencode", name + "=" + value)));
        argv.addAll(List.of("--", realm));
        CommandRunner.Result answer = runner.run(argv, invocation.environment(), Path.of(
                invocation.workingDirectory()));
        Matcher token = TOKEN.matcher(String.join("\n", answer.output()));
        if (!answer.succeeded() || !token.find()) {
            return new ImageDigest.Unknown("no token from " + realm);
        }
        return withToken(token.group(1), configFile -> head(curl, invocation, reference,
                List.of("-K", configFile.toString())).digest());
    }

    /** The token reaches curl in a file of the user's alone, never on a command line others can read. */
    private ImageDigest withToken(String token, java.util.function.Function<Path, ImageDigest> use) {
        Path config;
        try {
            config = Files.createTempFile(privateDirectory, ".registry-token.", ".curlrc",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException | UnsupportedOperationException e) {
            return new ImageDigest.Unknown("cannot hand the registry's token to curl: " + e.getMessage());
        }
        try {
            Files.writeString(config, "header = \"Authorization: Bearer " + token.replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\"\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            return use.apply(config);
        } catch (IOException e) {
            return new ImageDigest.Unknown("cannot hand the registry's token to curl: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(config);
            } catch (IOException ignored) {
                // it is the user's own file, in the user's own directory
            }
        }
    }

    private Response head(String curl, RuntimeInvocation invocation, RegistryReference reference,
            List<String> authentication) {
        List<String> argv = new ArrayList<>(List.of(curl, "-sS", "-I", "-L", "--proto", "=https", "-H", ACCEPT));
        argv.addAll(LIMITS);
        argv.addAll(caBundle(invocation.environment()));
        argv.addAll(authentication);
        argv.addAll(List.of("--", reference.manifestUrl()));
        CommandRunner.Result result = runner.run(argv, invocation.environment(), Path.of(
                invocation.workingDirectory()));
        if (!result.succeeded()) {
            throw result.failure();
        }
        return Response.parse(result.output());
    }

    /** The enroot credentials file ({@code $ENROOT_CONFIG_PATH/.credentials}), in netrc format, if there is one. */
    static Optional<Path> credentials(Environment environment) {
        Optional<String> config = environment.get("ENROOT_CONFIG_PATH").filter(path -> !path.isEmpty())
                .or(() -> environment.get("XDG_CONFIG_HOME").filter(path -> !path.isEmpty())
                        .map(path -> path + "/enroot"))
                .or(() -> environment.get("HOME").filter(path -> !path.isEmpty())
                        .map(path -> path + "/.config/enroot"));
        return config.map(directory -> Path.of(directory, ".credentials")).filter(Files::isReadable);
    }

    /**
     * curl reads {@code CURL_CA_BUNDLE} or {@code SSL_CERT_FILE} itself; a job that names its registry's CA for
     * Charliecloud's {@code ch-image} only ({@code REQUESTS_CA_BUNDLE}) gets it too.
     */
    static List<String> caBundle(Environment environment) {
        if (environment.contains("CURL_CA_BUNDLE") || environment.contains("SSL_CERT_FILE")) {
            return List.of();
        }
        return environment.get("REQUESTS_CA_BUNDLE").filter(path -> !path.isEmpty())
                .map(path -> List.of("--cacert", path)).orElse(List.of());
    }

    private static List<String> netrc(Path credentials) {
        return List.of("--netrc-optional", "--netrc-file", credentials.toString());
    }

    /** A program in the invocation's {@code PATH}, as the runtime's own commands are found. */
    static Optional<String> program(String name, RuntimeInvocation invocation) {
        for (String directory : invocation.environment().get("PATH").orElse("").split(":")) {
            if (directory.startsWith("/")) {
                Path candidate = Path.of(directory, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toString());
                }
            }
        }
        return Optional.empty();
    }

    private static String firstLine(List<String> lines, String otherwise) {
        return lines.stream().filter(line -> !line.isBlank()).findFirst().orElse(otherwise);
    }

    /** The last response of {@code curl -I -L}: its status and headers (names in lower case). */
    record Response(int status, Map<String, String> headers) {

        static Response parse(List<String> lines) {
            int status = 0;
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : lines) {
                Matcher matcher = STATUS.matcher(line.strip());
                if (matcher.matches()) {
                    status = Integer.parseInt(matcher.group(1));
                    headers.clear();
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip());
                }
            }
            return new Response(status, headers);
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }

        ImageDigest digest() {
            if (status != 200) {
                return new ImageDigest.Unknown(status == 0 ? "no answer from the registry"
                        : "the registry answered " + status);
            }
            return header("docker-content-digest").<ImageDigest>map(ImageDigest.Known::new)
                    .orElse(new ImageDigest.Unknown("the registry named no digest"));
        }
    }
}
