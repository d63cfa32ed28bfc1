package io.fraudcep.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads rule files (rules.md): YAML or the same structure as JSON, validated completely. Every
 * mistake of a file is reported at once, each with its line, rule and field ({@link
 * RuleFileException}). A version 1 pattern file is read through {@link V1PatternFiles}, with a
 * warning.
 */
public final class RuleFiles {

    /** The default catalogue (patterns.md as rules) on the class path. */
    public static final String DEFAULT_RESOURCE = "/rules-default.yaml";

    /** The four disabled example rules of rules.md on the class path. */
    public static final String EXAMPLES_RESOURCE = "/rules-examples.yaml";

    private RuleFiles() {}

    /**
     * Reads and validates a rule file; a version 1 pattern file is converted (see {@link
     * #read(Path)} for the warning that says so).
     *
     * @throws RuleFileException listing every error of the file
     */
    public static RuleSet load(Path file) {
        return read(file).ruleSet();
    }

    /**
     * Reads and validates a rule file, with the warnings to show the user.
     *
     * @throws RuleFileException listing every error of the file
     */
    public static LoadedRules read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleFileException(
                    List.of(
                            new RuleError(
                                    file.toString(), 0, null, null, "cannot read the file: " + e)));
        }
        return read(text, file.toString());
    }

    /**
     * Parses and validates a rule file's text.
     *
     * @param fileName the name errors and warnings give; a name ending in {@code .json} (or a text
     *     starting with <code>{</code>) is read as JSON, anything else as YAML
     * @throws RuleFileException listing every error of the file
     */
    public static RuleSet parse(String text, String fileName) {
        return read(text, fileName).ruleSet();
    }

    /**
     * Parses and validates a rule file's text, with the warnings to show the user.
     *
     * @throws RuleFileException listing every error of the file
     */
    public static LoadedRules read(String text, String fileName) {
        List<RuleError> errors = new ArrayList<>();
        SourceNode root = SourceNode.read(text, fileName, errors);
        List<String> warnings = new ArrayList<>();
        RuleSet rules = null;
        if (root != null && V1PatternFiles.isV1(root)) {
            SourceNode converted = V1PatternFiles.toV2(root, fileName, errors);
            if (converted != null) {
                rules = RuleFileParser.parse(converted, fileName, errors);
            }
            if (rules != null) {
                warnings.add(V1PatternFiles.warning(fileName, rules));
            }
        } else if (root != null) {
            rules = RuleFileParser.parse(root, fileName, errors);
        }
        if (!errors.isEmpty()) {
            List<RuleError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt(RuleError::line));
            throw new RuleFileException(sorted);
        }
        return new LoadedRules(rules, warnings);
    }

    /** The nine default rules of patterns.md, as shipped in {@code rules/rules-default.yaml}. */
    public static RuleSet defaults() {
        return Shipped.DEFAULTS;
    }

    /** The four example rules of rules.md, disabled, as shipped in {@code rules-examples.yaml}. */
    public static RuleSet examples() {
        return Shipped.EXAMPLES;
    }

    /** The default rules' tree, for the conversion of version 1 files. */
    static SourceNode defaultsSource() {
        return Shipped.DEFAULTS_SOURCE;
    }

    static String resource(String name) {
        try (InputStream in = RuleFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped files, read once on first use. */
    private static final class Shipped {
        static final RuleSet DEFAULTS = parse(resource(DEFAULT_RESOURCE), DEFAULT_RESOURCE);
        static final RuleSet EXAMPLES = parse(resource(EXAMPLES_RESOURCE), EXAMPLES_RESOURCE);
        static final SourceNode DEFAULTS_SOURCE =
                SourceNode.read(resource(DEFAULT_RESOURCE), DEFAULT_RESOURCE, new ArrayList<>());
    }
}
