package dev.jpyxis.adapters.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.ImageDigest;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a fake {@code curl} (and {@code docker}) that answers as a registry would and logs its arguments. */
@DisplayName("image digests from the registry or the Docker daemon")
class RegistryDigestsTest {

    private static final String DIGEST = "sha256:" + "0f".repeat(32);

    @TempDir
    Path dir;
    private Path bin;
    private Path privateDirectory;
    private Path log;

    @BeforeEach
    void programs() throws IOException {
        bin = Files.createDirectory(dir.resolve("bin"));
        privateDirectory = Files.createDirectory(dir.resolve("private"));
        log = dir.resolve("calls.log");
    }

    private void program(String name, String script) throws IOException {
        Path program = bin.resolve(name);
        Files.writeString(program, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + log + "\n" + script);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ImageDigest digest(String uri, String... environment) {
        Environment env = Environment.of("PATH", bin + ":/usr/bin:/bin", "HOME", dir.toString());
        for (int i = 0; i < environment.length; i += 2) {
            env = env.with(environment[i], environment[i + 1]);
        }
        return new RegistryDigests(new CommandRunner(), privateDirectory).digest(new RuntimeInvocation(env,
                dir.toString()), uri);
    }

    private List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    @DisplayName("a query begun ahead answers the same image and invocation once; any other query asks anew")
    void queryAhead() throws IOException {
        program("curl", "printf 'HTTP/2 200\\r\\ndocker-content-digest: " + DIGEST + "\\r\\n\\r\\n'\n");
        RegistryDigests digests = new RegistryDigests(new CommandRunner(), privateDirectory);
        RuntimeInvocation invocation = new RuntimeInvocation(Environment.of("PATH", bin + ":/usr/bin:/bin", "HOME",
                dir.toString()), dir.toString());
        digests.digestSoon(invocation, "docker://127.0.0.1:5937#jpyxis/busybox:1");
        assertEquals(new ImageDigest.Known(DIGEST), digests.digest(invocation, "docker://127.0.0.1:5937#jpyxis/busybox:1"));
        assertEquals(1, calls().size(), "the early query's answer");
        assertEquals(new ImageDigest.Known(DIGEST), digests.digest(invocation, "docker://127.0.0.1:5937#jpyxis/busybox:1"));
        assertEquals(2, calls().size(), "taken once");
        digests.digestSoon(invocation, "docker://127.0.0.1:5937#jpyxis/busybox:1");
        digests.digest(invocation, "docker://127.0.0.1:5937#jpyxis/other:1");
        for (int i = 0; i < 500 && calls().size() < 4; i++) {
            sleep();
        }
        assertEquals(4, calls().size(), "another image: asked anew, beside the early query");
        assertTrue(calls().get(3).contains("/v2/jpyxis/other/manifests/1") || calls().get(2).contains("other"),
                calls().toString());
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @DisplayName("an open registry: one HEAD of the manifest, over HTTPS, accepting lists and indexes")
    void openRegistry() throws IOException {
        program("curl", "printf 'HTTP/2 200\\r\\ncontent-type: application/json\\r\\ndocker-content-digest: "
                + DIGEST + "\\r\\n\\r\\n'\n");
        assertEquals(new ImageDigest.Known(DIGEST), digest("docker://127.0.0.1:5937#jpyxis/busybox:1"));
        String call = calls().get(0);
        assertTrue(call.startsWith("-sS -I -L --proto =https -H " + RegistryDigests.ACCEPT), call);
        assertTrue(call.endsWith("-- https://127.0.0.1:5937/v2/jpyxis/busybox/manifests/1"), call);
        assertEquals(1, calls().size());
    }

    @Test
    @DisplayName("a Bearer challenge: a token from the realm, handed to curl in a private file, then the HEAD again")
    void bearerChallenge() throws IOException {
        program("curl", """
                case "$*" in
                *-G*) printf '{"token":"secret-token","expires_in":300}' ;;
                *-K*) grep -q 'Authorization: Bearer secret-token' "$(echo "$*" | sed 's/.*-K \\([^ ]*\\).*/\\1/')" \\
                        && printf 'HTTP/1.1 200 OK\\r\\nDocker-Content-Digest: %s\\r\\n\\r\\n' "$DIGEST" ;;
                *) printf 'HTTP/1.1 401 Unauthorized\\r\\nWww-Authenticate: Bearer realm="https://auth.example/token",service="registry.example",scope="repository:library/ubuntu:pull"\\r\\n\\r\\n' ;;
                esac
                """);
        assertEquals(new ImageDigest.Known(DIGEST), digest("docker://ubuntu", "DIGEST", DIGEST));
        List<String> calls = calls();
        assertEquals(3, calls.size());
        assertTrue(calls.get(1).contains("--data-urlencode service=registry.example --data-urlencode "
                + "scope=repository:library/ubuntu:pull -- https://auth.example/token"), calls.get(1));
        assertFalse(String.join("\n", calls).contains("secret-token"), "the token never is an argument");
        try (Stream<Path> left = Files.list(privateDirectory)) {
            assertEquals(0, left.count(), "the token's file is gone");
        }
    }

    @Test
    @DisplayName("the user's enroot credentials file goes to the token request, as enroot's")
    void credentials() throws IOException {
        Path config = Files.createDirectories(dir.resolve(".config/enroot"));
        Files.writeString(config.resolve(".credentials"), "machine auth.example login alice password pw\n");
        program("curl", """
                case "$*" in
                *-G*) printf '{"access_token":"t"}' ;;
                *-K*) printf 'HTTP/1.1 200 OK\\r\\nDocker-Content-Digest: sha256:%s\\r\\n\\r\\n' 0123456789abcdef0123456789abcdef ;;
                *) printf 'HTTP/1.1 401 Unauthorized\\r\\nWWW-Authenticate: Bearer realm="https://auth.example/token"\\r\\n\\r\\n' ;;
                esac
                """);
        assertEquals(new ImageDigest.Known("sha256:0123456789abcdef0123456789abcdef"), digest("docker://ubuntu"));
        assertTrue(calls().get(1).contains("--netrc-optional --netrc-file " + config.resolve(".credentials")));
    }

    @Test
    @DisplayName("no digest without curl, from an unreachable registry, or without the header")
    void unknown() throws IOException {
        assertEquals(new ImageDigest.Unknown("curl not found"), digest("docker://ubuntu", "PATH", bin.toString()));
        program("curl", "echo 'curl: (7) Failed to connect to 127.0.0.1 port 5937' >&2; exit 7\n");
        assertEquals(new ImageDigest.Unknown("curl: (7) Failed to connect to 127.0.0.1 port 5937"),
                digest("docker://ubuntu"));
        program("curl", "printf 'HTTP/1.1 200 OK\\r\\n\\r\\n'\n");
        assertEquals(new ImageDigest.Unknown("the registry named no digest"), digest("docker://ubuntu"));
        program("curl", "printf 'HTTP/1.1 404 Not Found\\r\\n\\r\\n'\n");
        assertEquals(new ImageDigest.Unknown("the registry answered 404"), digest("docker://ubuntu"));
    }

    @Test
    @DisplayName("a reference pinned to a digest is its own answer; odd references are not asked for")
    void pinned() throws IOException {
        assertEquals(new ImageDigest.Known("sha256:00ff"), digest("docker://ubuntu@sha256:00ff"));
        assertEquals(new ImageDigest.Unknown("not a registry reference"), digest("docker://podman://x"));
        assertEquals(List.of(), calls());
    }

    @Test
    @DisplayName("Charliecloud's CA bundle (REQUESTS_CA_BUNDLE) is curl's when the job names no other")
    void caBundle() {
        assertEquals(List.of("--cacert", "/ca.crt"), RegistryDigests.caBundle(Environment.of("REQUESTS_CA_BUNDLE",
                "/ca.crt")));
        assertEquals(List.of(), RegistryDigests.caBundle(Environment.of("REQUESTS_CA_BUNDLE", "/ca.crt",
                "CURL_CA_BUNDLE", "/other.crt")));
    }

    @Test
    @DisplayName("dockerd:// images: the daemon's image id")
    void daemon() throws IOException {
        program("docker", "echo " + DIGEST + "\n");
        assertEquals(new ImageDigest.Known(DIGEST), digest("dockerd://ubuntu:24.04"));
        assertEquals(List.of("image inspect --format {{.Id}} -- ubuntu:24.04"), calls());
        program("docker", "echo 'Error: No such image: nope' >&2; exit 1\n");
        assertEquals(new ImageDigest.Unknown("docker: Error: No such image: nope"), digest("dockerd://nope"));
    }
}
