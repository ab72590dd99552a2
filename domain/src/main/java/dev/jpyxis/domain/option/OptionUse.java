package dev.jpyxis.domain.option;

import java.util.Objects;

/** One occurrence of a container option on a command line, or as forwarded by Slurm. */
public record OptionUse(ContainerOption option, String argument) {

    public OptionUse {
        Objects.requireNonNull(option, "option");
        if (!option.takesArgument()) {
            argument = null;
        }
    }

    public static OptionUse of(ContainerOption option) {
        return new OptionUse(option, null);
    }

    public static OptionUse of(ContainerOption option, String argument) {
        return new OptionUse(option, argument);
    }
}
