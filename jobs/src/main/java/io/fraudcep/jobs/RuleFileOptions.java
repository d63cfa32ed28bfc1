package io.fraudcep.jobs;

import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.patterns.PatternCatalogue;
import java.nio.file.Path;

/**
 * The rule file options of the jobs and the demo: {@code --rules FILE} (rules.md; a v1 pattern file
 * is converted) and {@code --patterns}, which it replaced and which is refused with a message that
 * says so. A rule file with errors is a usage error that names the option and lists every error.
 */
public final class RuleFileOptions {

    public static final Option<Path> RULES =
            Option.existingFile(
                    "rules",
                    "rule file, YAML or JSON (a v1 pattern file is converted); default: the"
                            + " shipped rules-default.yaml");

    public static final Option<Void> PATTERNS =
            Option.removed(
                    "patterns",
                    "was replaced by --rules: give the file to --rules (a v1 pattern file given"
                            + " to --rules is converted)");

    private RuleFileOptions() {}

    /**
     * The rules of {@code file}, or the shipped defaults if it is null.
     *
     * @param option the option that named the file, for the message of a file with errors
     * @throws UsageException naming the option, with one line per error of the file
     */
    public static PatternCatalogue load(Option<Path> option, Path file) {
        if (file == null) {
            return PatternCatalogue.defaults();
        }
        try {
            return PatternCatalogue.load(file);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + option.name() + ": " + e.getMessage());
        }
    }
}
