package io.fraudcep.jobs;

import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.rules.LoadedRules;
import io.fraudcep.rules.RuleError;
import io.fraudcep.rules.RuleFileException;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule file options of the jobs and the demo: {@code --rules FILE} (rules.md; a v1 pattern file
 * is converted) and {@code --patterns}, which it replaced and which is refused with a message that
 * says so. A rule file with errors is a usage error that names the option and lists every error; a
 * file read with warnings (a converted v1 pattern file) is logged with them.
 */
public final class RuleFileOptions {

    private static final Logger LOG = LoggerFactory.getLogger(RuleFileOptions.class);

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
    public static RuleSet load(Option<Path> option, Path file) {
        if (file == null) {
            return RuleFiles.defaults();
        }
        LoadedRules loaded;
        try {
            loaded = RuleFiles.read(file);
        } catch (RuleFileException e) {
            StringBuilder b =
                    new StringBuilder("--")
                            .append(option.name())
                            .append(": ")
                            .append(file)
                            .append(" is not a valid rule file (")
                            .append(e.errors().size())
                            .append(e.errors().size() == 1 ? " error):" : " errors):");
            for (RuleError error : e.errors()) {
                b.append("\n  ").append(error);
            }
            throw new UsageException(b.toString());
        }
        loaded.warnings().forEach(w -> LOG.warn("--{}: {}", option.name(), w));
        return loaded.ruleSet();
    }
}
