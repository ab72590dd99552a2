package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.env.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A registry login for {@code ch-image}, found as enroot finds one: only for an image that names a user
 * ({@code docker://USER@REGISTRY#IMAGE}), in the user's {@code $ENROOT_CONFIG_PATH/.credentials} (else
 * {@code $XDG_CONFIG_HOME/enroot/.credentials}, else {@code ~/.config/enroot/.credentials}), netrc format, on the
 * {@code machine HOST login USER password SECRET} entry of the registry's host and that user. ch-image takes it from
 * {@code CH_IMAGE_USERNAME} and {@code CH_IMAGE_PASSWORD} in authenticated mode ({@code CH_IMAGE_AUTH=yes}), so the
 * same job script and file pull from the same registries with both runtimes.
 */
record RegistryCredentials(String username, String password) {

    /**
     * ch-image's environment for pulling {@code uri} (as the user gave it): with the login for its user and registry,
     * unless the job chose ch-image's own variables.
     */
    static Environment forPull(Environment environment, String uri) {
        if (environment.contains("CH_IMAGE_USERNAME") || environment.contains("CH_IMAGE_AUTH")) {
            return environment;
        }
        return ImageReferences.login(uri).flatMap(login -> file(environment).flatMap(file -> find(file, login)))
                .map(found -> environment.with("CH_IMAGE_AUTH", "yes").with("CH_IMAGE_USERNAME", found.username())
                        .with("CH_IMAGE_PASSWORD", found.password()))
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

    /** The password of the first {@code machine HOST login USER password SECRET} entry. */
    static Optional<RegistryCredentials> find(Path file, ImageReferences.Login login) {
        List<String> words;
        try {
            words = List.of(Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+"));
        } catch (IOException unreadable) {
            return Optional.empty();
        }
        for (int i = 0; i + 1 < words.size(); i++) {
            if (!words.get(i).equals("machine") || !words.get(i + 1).equals(login.host())) {
                continue;
            }
            String user = null;
            String password = null;
            for (int j = i + 2; j + 1 < words.size() && !words.get(j).equals("machine")
                    && !words.get(j).equals("default"); j += 2) {
                if (words.get(j).equals("login")) {
                    user = words.get(j + 1);
                } else if (words.get(j).equals("password")) {
                    password = words.get(j + 1);
                }
            }
            if (login.user().equals(user) && password != null) {
                return Optional.of(new RegistryCredentials(user, password));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "RegistryCredentials[" + username + ", password hidden]";
    }
}
