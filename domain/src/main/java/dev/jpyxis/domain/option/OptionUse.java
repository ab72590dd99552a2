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

    // Written out: a record's generated equals and hashCode are bootstrapped through invokedynamic on first use, which
    // spins about twenty method handle classes in every step engine (it compares the options Slurm forwards at init).
    @Override
    public boolean equals(Object other) {
        return other instanceof OptionUse use && option == use.option && Objects.equals(argument, use.argument);
    }

    @Override
    public int hashCode() {
        return 31 * option.hashCode() + Objects.hashCode(argument);
    }
}
