package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.Namespace;

import static dev.jpyxis.domain.internal.option.Args.errorOf;
import static dev.jpyxis.domain.internal.option.Args.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvAndUnshareOptionTest {

    @Nested
    @DisplayName("--container-env")
    class Env {
        @Test
        @DisplayName("an empty value is refused: argument required")
        void empty() {
            assertEquals(List.of("pyxis: --container-env: argument required"), errorOf("--container-env="));
        }

        @ParameterizedTest(name = "''{0}'' has an empty element and is refused, naming the whole value")
        @ValueSource(strings = {"FOO,", ",FOO", "A,,B", ","})
        void emptyElement(String value) {
            assertEquals(List.of("pyxis: --container-env: invalid format: " + value),
                    errorOf("--container-env=" + value));
        }

        @Test
        @DisplayName("names are unique, in first-seen order, accumulated across repeats; not validated")
        void uniqueOrdered() {
            assertEquals(List.of("B", "A", "C", "x y$"),
                    parse("--container-env=B,A", "--container-env=A,C,B", "--container-env=x y$")
                            .environmentNames());
        }
    }

    @Nested
    @DisplayName("--container-unshare")
    class Unshare {
        @Test
        @DisplayName("an empty value is refused: argument required")
        void empty() {
            assertEquals(List.of("pyxis: --container-unshare: argument required"), errorOf("--container-unshare="));
        }

        @ParameterizedTest(name = "''{0}'' has an empty element")
        @ValueSource(strings = {"net,", ",ipc", "net,,uts"})
        void emptyElement(String value) {
            assertEquals(List.of("pyxis: --container-unshare: empty namespace argument"),
                    errorOf("--container-unshare=" + value));
        }

        @Test
        @DisplayName("an unknown namespace is refused by name")
        void unknown() {
            assertEquals(List.of("pyxis: --container-unshare: unknown namespace 'pid'"),
                    errorOf("--container-unshare=net,pid"));
            assertEquals(List.of("pyxis: --container-unshare: unknown namespace 'NET'"),
                    errorOf("--container-unshare=NET"));
        }

        @Test
        @DisplayName("recognised namespaces accumulate across repeats")
        void accumulate() {
            Set<Namespace> expected = EnumSet.of(Namespace.NET, Namespace.IPC, Namespace.UTS);
            assertEquals(expected, parse("--container-unshare=uts", "--container-unshare=net,ipc,net").unshare());
        }

        @Test
        @DisplayName("elements before an invalid one are recorded (visible through environment defaults)")
        void partialRecording() {
            ContainerOptionsParser parser = new ContainerOptionsParser();
            try {
                parser.accept(ContainerOption.UNSHARE, "ipc,bogus");
            } catch (InvalidOptionException expected) {
                // the option as a whole fails
            }
            assertEquals(EnumSet.of(Namespace.IPC), parser.result().unshare());
        }
    }
}
