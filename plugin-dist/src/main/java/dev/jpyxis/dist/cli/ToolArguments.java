package dev.jpyxis.dist.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A subcommand's own options, read one way for every subcommand: {@code --name value} and {@code --name=value} alike,
 * flags, the last use of an option winning, {@code --} ending the options.
 */
final class ToolArguments {

    /** What the arguments that are not the subcommand's options are. */
    enum Rest {
        /** Files and the like, anywhere among the options; an unknown option is an error. */
        OPERANDS,
        /** None may be given. */
        NONE,
        /** The first argument that is not one of the options, and everything after it, belong to something else. */
        PASSED_ON
    }

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> rest = new ArrayList<>();

    private ToolArguments() {
    }

    /**
     * @param valued   the options that take a value, e.g. {@code --seed}
     * @param flagged  the options that take none, e.g. {@code --json}; {@code --help} and {@code -h} always are
     * @throws CommandLineException for an option without its value, a value given to a flag, an unknown option or an
     *                              unexpected operand
     */
    static ToolArguments read(List<String> args, Set<String> valued, Set<String> flagged, Rest kind) {
        ToolArguments read = new ToolArguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (arg.equals("--")) {
                read.operands(args.subList(i + 1, args.size()), kind);
                break;
            } else if (valued.contains(name)) {
                if (equals > 0 && name.length() < arg.length()) {
                    read.values.put(name, arg.substring(equals + 1));
                } else if (i + 1 < args.size()) {
                    read.values.put(name, args.get(++i));
                } else {
                    throw new CommandLineException(name + " needs a value");
                }
            } else if (flagged.contains(name) || name.equals("--help") || name.equals("-h")) {
                if (!name.equals(arg)) {
                    throw new CommandLineException(name + " takes no value");
                }
                read.flags.add(name.equals("-h") ? "--help" : name);
            } else if (kind == Rest.PASSED_ON) {
                read.rest.addAll(args.subList(i, args.size()));
                break;
            } else if (arg.startsWith("-") && !arg.equals("-")) {
                throw new CommandLineException("unknown option '" + arg + "'");
            } else {
                read.operands(List.of(arg), kind);
            }
        }
        return read;
    }

    private void operands(List<String> given, Rest kind) {
        if (kind == Rest.NONE && !given.isEmpty()) {
            throw new CommandLineException("unexpected argument '" + given.get(0) + "'");
        }
        rest.addAll(given);
    }

    Optional<String> value(String option) {
        return Optional.ofNullable(values.get(option));
    }

    boolean flag(String option) {
        return flags.contains(option);
    }

    boolean help() {
        return flags.contains("--help");
    }

    /** The operands, or for {@link Rest#PASSED_ON} what follows the options. */
    List<String> rest() {
        return rest;
    }

    /** A number option's value, if given. */
    Optional<Long> number(String option) {
        return value(option).map(text -> {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new CommandLineException(option + " needs a number, not '" + text + "'");
            }
        });
    }
}
