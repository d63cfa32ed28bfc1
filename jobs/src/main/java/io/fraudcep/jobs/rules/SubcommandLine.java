package io.fraudcep.jobs.rules;

import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of a {@code bin/fraud rules} sub-command split into what {@link
 * io.fraudcep.jobs.options.Options} parses and what it does not: the positional arguments (a file)
 * and the values of one repeatable option ({@code --rule ID --rule ID2}). An unknown option is
 * rejected here, by name.
 *
 * @param positionals the arguments that are neither an option nor an option's value, in order
 * @param repeated the values of the repeatable option, in order
 * @param options the rest, for {@code Options.parse}
 */
record SubcommandLine(List<String> positionals, List<String> repeated, String[] options) {

    /**
     * Splits {@code args}.
     *
     * @param command the command, for messages ({@code bin/fraud rules publish})
     * @param known the sub-command's options, to know which take a value
     * @param repeatable the option that may be given more than once, or null
     * @throws UsageException naming an unknown option, or the repeatable option without a value
     */
    static SubcommandLine split(
            List<String> args, String command, List<Option<?>> known, Option<?> repeatable) {
        List<String> positionals = new ArrayList<>();
        List<String> repeated = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                if (arg.startsWith("-") && arg.length() > 1) {
                    // Options names it: "unexpected argument '-x' (options start with --)".
                    options.add(arg);
                } else {
                    positionals.add(arg);
                }
                continue;
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            if (repeatable != null && name.equals(repeatable.name())) {
                if (eq >= 0) {
                    repeated.add(arg.substring(eq + 1));
                } else if (i + 1 < args.size()) {
                    repeated.add(args.get(++i));
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
                continue;
            }
            Option<?> option =
                    known.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
            if (option == null) {
                // Here rather than in Options: whether its next argument is a value is unknown.
                throw new UsageException(
                        "unknown option --" + name + " (see " + command + " --help)");
            }
            options.add(arg);
            if (eq < 0 && !option.isFlag() && i + 1 < args.size()) {
                options.add(args.get(++i));
            }
        }
        return new SubcommandLine(
                List.copyOf(positionals), List.copyOf(repeated), options.toArray(new String[0]));
    }
}
