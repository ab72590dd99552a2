package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.env.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A registry login for {@code ch-image}, from the file pyxis sites already keep for enroot: the user's
 * {@code $ENROOT_CONFIG_PATH/.credentials} (else {@code $XDG_CONFIG_HOME/enroot/.credentials}, else
 * {@code ~/.config/enroot/.credentials}), in netrc format ({@code machine HOST login USER password SECRET}). ch-image
 * takes it from {@code CH_IMAGE_USERNAME} and {@code CH_IMAGE_PASSWORD} in authenticated mode
 * ({@code CH_IMAGE_AUTH=yes}), so a job script pulls from the same registries with both runtimes.
 */
record RegistryCredentials(String username, String password) {

    /** Docker Hub's logins are kept for its token service, as enroot's documentation asks. */
    private static final List<String> DOCKER_HUB = List.of("auth.docker.io", "registry-1.docker.io", "docker.io");

    /**
     * ch-image's environment for pulling {@code reference} (as ch-image reads it): with the login for its registry,
     * unless the job chose ch-image's own variables.
     */
    static Environment forPull(Environment environment, String reference) {
        if (environment.contains("CH_IMAGE_USERNAME") || environment.contains("CH_IMAGE_AUTH")) {
            return environment;
        }
        return file(environment).flatMap(file -> find(file, hosts(reference)))
                .map(login -> environment.with("CH_IMAGE_AUTH", "yes").with("CH_IMAGE_USERNAME", login.username())
                        .with("CH_IMAGE_PASSWORD", login.password()))
                .orElse(environment);
    }

    static Optional<Path> file(Environment environment) {
        return environment.get("ENROOT_CONFIG_PATH").filter(path -> !path.isEmpty())
                .or(() -> environment.get("XDG_CONFIG_HOME").filter(path -> !path.isEmpty())
                        .map(path -> path + "/enroot"))
                .or(() -> environment.get("HOME").filter(path -> !path.isEmpty())
                        .map(path -> path + "/.config/enroot"))
                .map(directory -> Path.of(directory, ".credentials")).filter(Files::isReadable);
    }

    /** The names a login for the reference's registry may be kept under: its host, without the port. */
    static List<String> hosts(String reference) {
        int slash = reference.indexOf('/');
        String first = slash < 0 ? "" : reference.substring(0, slash);
        if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
            return DOCKER_HUB;
        }
        int colon = first.lastIndexOf(':');
        return List.of(colon < 0 ? first : first.substring(0, colon));
    }

    /** The first {@code machine} entry among the hosts, in their order, else the {@code default} entry. */
    static Optional<RegistryCredentials> find(Path file, List<String> hosts) {
        List<String> words;
        try {
            words = List.of(Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+"));
        } catch (IOException unreadable) {
            return Optional.empty();
        }
        for (String host : hosts) {
            Optional<RegistryCredentials> login = entry(words, "machine", host);
            if (login.isPresent()) {
                return login;
            }
        }
        return entry(words, "default", null);
    }

    private static Optional<RegistryCredentials> entry(List<String> words, String kind, String host) {
        for (int i = 0; i < words.size(); i++) {
            boolean starts = kind.equals("default") ? words.get(i).equals("default")
                    : words.get(i).equals("machine") && i + 1 < words.size() && words.get(i + 1).equals(host);
            if (!starts) {
                continue;
            }
            String user = null;
            String password = null;
            for (int j = i + (kind.equals("default") ? 1 : 2); j + 1 < words.size(); j += 2) {
                String key = words.get(j);
                if (key.equals("machine") || key.equals("default")) {
                    break;
                }
                if (key.equals("login")) {
                    user = words.get(j + 1);
                } else if (key.equals("password")) {
                    password = words.get(j + 1);
                }
            }
            return user != null && password != null ? Optional.of(new RegistryCredentials(user, password))
                    : Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "RegistryCredentials[" + username + ", password hidden]";
    }
}
