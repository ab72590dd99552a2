package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;

import java.util.ArrayList;
import java.util.List;

/** Test helper: turns {@code --opt=value} / {@code --flag} strings into option uses. */
final class Args {

    private Args() {
    }

    static List<OptionUse> uses(String... args) {
        List<OptionUse> uses = new ArrayList<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String flag = equals < 0 ? arg : arg.substring(0, equals);
            String value = equals < 0 ? null : arg.substring(equals + 1);
            ContainerOption option = ContainerOption.byName(flag)
                    .orElseThrow(() -> new IllegalArgumentException("not a container option: " + flag));
            uses.add(OptionUse.of(option, value));
        }
        return uses;
    }

    static ContainerOptions parse(String... args) {
        return ContainerOptionsParser.parse(uses(args));
    }

    static List<String> errorOf(String... args) {
        try {
            parse(args);
        } catch (InvalidOptionException rejected) {
            return rejected.lines();
        }
        throw new AssertionError("expected the options to be rejected: " + List.of(args));
    }
}
