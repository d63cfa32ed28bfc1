package io.fraudcep.rules;

import java.util.List;

/**
 * A rule file as read: its rules, and what the user should know about how they were read (a version
 * 1 pattern file converted to rules, for example).
 *
 * @param ruleSet the validated rules
 * @param warnings sentences to show the user, each naming the file; empty for a plain version 2
 *     file
 */
public record LoadedRules(RuleSet ruleSet, List<String> warnings) {

    public LoadedRules {
        warnings = List.copyOf(warnings);
    }
}
