package io.fraudcep.jobs.options;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one command: parses {@code --name value}, {@code --name=value} and flags, rejects
 * unknown and repeated options, checks required ones, and prints {@code --help}.
 */
public final class Options {

    private final String command;
    private final String summary;
    private final Map<String, Option<?>> options = new LinkedHashMap<>();

    public Options(String command, String summary, List<Option<?>> options) {
        this.command = command;
        this.summary = summary;
        for (Option<?> o : options) {
            this.options.put(o.name(), o);
        }
    }

    /** True if the arguments ask for help. */
    public static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses the arguments.
     *
     * @throws UsageException naming the option at fault
     */
    public Parsed parse(String[] args) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException(
                        "unexpected argument '" + arg + "' (options start with --)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option<?> option = options.get(name);
            if (option == null) {
                throw new UsageException(
                        "unknown option --" + name + " (see " + command + " --help)");
            }
            if (option.isRemoved()) {
                throw option.removedError();
            }
            if (values.containsKey(name)) {
                throw new UsageException("--" + name + " is given twice");
            }
            if (option.isFlag()) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                values.put(name, Boolean.TRUE);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value " + option.valueHint());
                }
                value = args[++i];
            }
            values.put(name, option.parse(value));
        }
        for (Option<?> o : options.values()) {
            if (o.required() && !values.containsKey(o.name())) {
                throw new UsageException("--" + o.name() + " is required: " + o.description());
            }
        }
        return new Parsed(values);
    }

    /** The help text: usage, then one line per option with its default. */
    public String help() {
        StringBuilder b = new StringBuilder();
        b.append("Usage: ").append(command).append(" [options]\n\n").append(summary).append("\n\n");
        List<String[]> rows = new ArrayList<>();
        int width = 0;
        for (Option<?> o : options.values()) {
            if (o.isRemoved()) {
                continue;
            }
            String left = "--" + o.name() + (o.isFlag() ? "" : " " + o.valueHint());
            width = Math.max(width, left.length());
            rows.add(new String[] {left, o.description() + " [" + o.defaultText() + "]"});
        }
        for (String[] row : rows) {
            b.append("  ").append(String.format("%-" + width + "s", row[0])).append("  ");
            b.append(row[1]).append('\n');
        }
        b.append("  --help").append(" ".repeat(Math.max(2, width - 4))).append("this text\n");
        return b.toString();
    }

    /** Parsed values, read by option. */
    public static final class Parsed {
        private final Map<String, Object> values;

        private Parsed(Map<String, Object> values) {
            this.values = values;
        }

        @SuppressWarnings("unchecked")
        public <T> T get(Option<T> option) {
            Object v = values.get(option.name());
            return v == null ? option.defaultValue() : (T) v;
        }

        public boolean has(Option<?> option) {
            return values.containsKey(option.name());
        }
    }
}
