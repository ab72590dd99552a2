package dev.jpyxis.domain.internal.option;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The normalized arguments are a fixed point of the parser, whatever valid options are given. */
class NormalizationProperties {

    @Property(tries = 300)
    void normalizedArgumentsParseBackToTheSameOptions(@ForAll("validArguments") List<String> args) {
        ContainerOptions options = Args.parse(args.toArray(String[]::new));
        List<String> normalized = options.normalizedArguments();
        ContainerOptions reparsed = Args.parse(normalized.toArray(String[]::new));
        assertEquals(options, reparsed);
        assertEquals(normalized, reparsed.normalizedArguments());
    }

    @Test
    void normalizedFormOfAFullSet() {
        ContainerOptions options = Args.parse("--container-unshare=uts,net", "--container-env=B,A",
                "--container-readonly", "--container-entrypoint-log", "--no-container-entrypoint",
                "--container-remap-root", "--container-mount-home", "--container-save=o.sqsh",
                "--container-name=dev", "--container-workdir=/w", "--container-mounts=/a:/b:ro+nosuid,tmpfs:/t",
                "--container-image=ubuntu:24.04");
        assertEquals(List.of("--container-image=ubuntu:24.04", "--container-mounts=/a:/b:ro+nosuid",
                "--container-mounts=tmpfs:/t", "--container-workdir=/w", "--container-name=dev:auto",
                "--container-save=o.sqsh", "--container-mount-home", "--container-remap-root",
                "--no-container-entrypoint", "--container-entrypoint-log", "--container-readonly",
                "--container-env=B,A", "--container-unshare=net,uts"), options.normalizedArguments());
    }

    @Provide
    Arbitrary<List<String>> validArguments() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> path = word.list().ofMinSize(1).ofMaxSize(3).map(parts -> "/" + String.join("/", parts));
        Arbitrary<String> flags = Arbitraries.of("", ":ro", ":ro+nosuid", ":rprivate");
        Arbitrary<String> mount = Combinators.combine(path, path, flags).as((s, t, f) -> s + ":" + t + f);
        Arbitrary<String> image = Arbitraries.of("ubuntu", "nvcr.io#nvidia/pytorch:24.01", "./a.sqsh")
                .map(i -> "--container-image=" + i).injectNull(0.3);
        Arbitrary<String> mounts = mount.list().ofMinSize(1).ofMaxSize(3)
                .map(m -> "--container-mounts=" + String.join(",", m)).injectNull(0.4);
        Arbitrary<String> name = Combinators.combine(word, Arbitraries.of("", ":exec", ":create", ":no_exec", ":auto"))
                .as((n, f) -> "--container-name=" + n + f).injectNull(0.5);
        Arbitrary<String> env = word.map(String::toUpperCase).list().ofMinSize(1).ofMaxSize(3)
                .map(names -> "--container-env=" + String.join(",", names)).injectNull(0.5);
        Arbitrary<String> unshare = Arbitraries.of("net", "ipc", "uts", "net,uts", "uts,ipc,net")
                .map(ns -> "--container-unshare=" + ns).injectNull(0.5);
        Arbitrary<String> toggle = Arbitraries.of("--container-mount-home", "--no-container-remap-root",
                "--container-entrypoint", "--container-entrypoint-log", "--container-writable").injectNull(0.5);
        return Combinators.combine(image, mounts, name, env, unshare, toggle, path.injectNull(0.5))
                .as((i, m, n, e, u, t, w) -> {
                    List<String> args = new ArrayList<>();
                    for (String arg : new String[] {u, i, t, m, n, e}) {
                        if (arg != null) {
                            args.add(arg);
                        }
                    }
                    if (w != null) {
                        args.add("--container-workdir=" + w);
                    }
                    return args;
                });
    }
}
