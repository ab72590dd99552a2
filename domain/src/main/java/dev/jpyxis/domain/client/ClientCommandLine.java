package dev.jpyxis.domain.client;

import dev.jpyxis.domain.client.ClientOptions.LongOption;
import dev.jpyxis.domain.option.ArgumentKind;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.in.SubmitCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An srun, sbatch or salloc command line read as the client's getopt_long reads it: {@code --opt=value} and
 * {@code --opt value}, unique abbreviations, clusters of short options ({@code -ln4}), reading up to the first
 * operand (the command, or sbatch's script) or {@code --}. Everything the client itself refuses is refused here, with
 * its text.
 *
 * @param client           the client
 * @param options          the client's own options, in order
 * @param containerOptions the plugin's options, in order
 * @param operands         what follows the options: the command and its arguments, or sbatch's script and its
 */
public record ClientCommandLine(SubmitCommand client, List<Given> options, List<OptionUse> containerOptions,
        List<String> operands) {

    /**
     * One of the client's own options as given.
     *
     * @param name     the long option's full name (for a short option, the long option it stands for)
     * @param argument its argument, or null when none was given
     */
    public record Given(String name, String argument) {
        public Given {
            Objects.requireNonNull(name, "name");
        }
    }

    public ClientCommandLine {
        Objects.requireNonNull(client, "client");
        options = List.copyOf(options);
        containerOptions = List.copyOf(containerOptions);
        operands = List.copyOf(operands);
    }

    /**
     * @param containerOptionsRegistered whether the plugin registered its options with this client (it does not in
     *                                   sbatch and salloc when {@code sbatch_support} is false)
     * @throws RefusedCommandLineException for what the client refuses: an unknown option, an ambiguous abbreviation,
     *                                     a missing or unexpected argument
     */
    public static ClientCommandLine read(SubmitCommand client, List<String> args, boolean containerOptionsRegistered) {
        return new Reader(ClientOptions.of(client, containerOptionsRegistered)).read(args);
    }

    /** The client's own long options and the argument each takes, in its getopt_long table's order. */
    public static Map<String, ArgumentKind> ownOptions(SubmitCommand client) {
        Map<String, ArgumentKind> options = new LinkedHashMap<>();
        ClientOptions.of(client, false).longOptions().forEach(option -> options.put(option.name(), option.argument()));
        return options;
    }

    /** The argument of the last use of the long option {@code name} (a flag's is empty), if it was given. */
    public Optional<Given> last(String name) {
        Given found = null;
        for (Given given : options) {
            if (given.name().equals(name)) {
                found = given;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The lines a client prints when its getopt_long refuses an argument, as glibc words them. */
    static RefusedCommandLineException refused(SubmitCommand client, String message) {
        return new RefusedCommandLineException(List.of(client.command() + ": " + message,
                "Try \"" + client.command() + " --help\" for more information"));
    }

    private static final class Reader {
        private final ClientOptions table;
        private final List<Given> options = new ArrayList<>();
        private final List<OptionUse> containerOptions = new ArrayList<>();

        Reader(ClientOptions table) {
            this.table = table;
        }

        ClientCommandLine read(List<String> args) {
            int i = 0;
            for (; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--")) {
                    i++;
                    break;
                }
                if (!arg.startsWith("-") || arg.equals("-")) {
                    break;
                }
                i = arg.startsWith("--") ? longOption(args, i) : shortOptions(args, i);
            }
            return new ClientCommandLine(table.client(), options, containerOptions, args.subList(i, args.size()));
        }

        /** Reads {@code args[i]}, a long option; returns the index of the last argument it used. */
        private int longOption(List<String> args, int i) {
            String body = args.get(i).substring(2);
            int equals = body.indexOf('=');
            LongOption option = lookUp(equals < 0 ? body : body.substring(0, equals), body);
            if (equals >= 0) {
                if (option.argument() == ArgumentKind.NONE) {
                    throw refused("option '--" + option.name() + "' doesn't allow an argument");
                }
                record(option, body.substring(equals + 1));
                return i;
            }
            if (option.argument() != ArgumentKind.REQUIRED) {
                record(option, null);
                return i;
            }
            if (i + 1 >= args.size()) {
                throw refused("option '--" + option.name() + "' requires an argument");
            }
            record(option, args.get(i + 1));
            return i + 1;
        }

        /** The option a name denotes: the one of exactly that name, else the only one it abbreviates. */
        private LongOption lookUp(String name, String shown) {
            Optional<LongOption> exact = table.exactly(name);
            if (exact.isPresent()) {
                return exact.get();
            }
            List<LongOption> candidates = table.beginningWith(name);
            if (candidates.isEmpty()) {
                throw refused("unrecognized option '--" + shown + "'");
            }
            LongOption first = candidates.get(0);
            List<LongOption> listed = candidates.stream()
                    .filter(option -> option == first || !option.indistinguishableFrom(first)).toList();
            if (listed.size() > 1) {
                StringBuilder message = new StringBuilder("option '--" + shown + "' is ambiguous; possibilities:");
                listed.forEach(option -> message.append(" '--").append(option.name()).append('\''));
                throw refused(message.toString());
            }
            return first;
        }

        /** Reads {@code args[i]}, a cluster of short options; returns the index of the last argument it used. */
        private int shortOptions(List<String> args, int i) {
            String cluster = args.get(i);
            for (int c = 1; c < cluster.length(); c++) {
                char letter = cluster.charAt(c);
                LongOption option = table.shortOption(letter)
                        .orElseThrow(() -> refused("invalid option -- '" + letter + "'"));
                String rest = cluster.substring(c + 1);
                if (option.argument() == ArgumentKind.NONE) {
                    record(option, null);
                } else if (!rest.isEmpty() || option.argument() == ArgumentKind.OPTIONAL) {
                    record(option, rest.isEmpty() ? null : rest);
                    return i;
                } else if (i + 1 < args.size()) {
                    record(option, args.get(i + 1));
                    return i + 1;
                } else {
                    throw refused("option requires an argument -- '" + letter + "'");
                }
            }
            return i;
        }

        private void record(LongOption option, String argument) {
            if (option.container() != null) {
                containerOptions.add(OptionUse.of(option.container(), argument));
            } else {
                options.add(new Given(option.name(), argument));
            }
        }

        private RefusedCommandLineException refused(String message) {
            return ClientCommandLine.refused(table.client(), message);
        }
    }
}
