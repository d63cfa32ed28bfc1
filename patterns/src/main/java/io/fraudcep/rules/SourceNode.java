package io.fraudcep.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML or JSON document as a tree that remembers the line of every value (Jackson's {@code
 * JsonNode} does not). Scalars keep their text as written, so {@code 0.80} is never read through
 * {@code double}.
 */
final class SourceNode {

    /** What a node is; scalars by the token the parser saw. */
    enum Kind {
        MAP,
        LIST,
        STRING,
        INT,
        DECIMAL,
        BOOL,
        NULL
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Pattern YAML_MARK = Pattern.compile(" in '[^']*', line (\\d+),");
    private static final Pattern SOURCE_REFERENCE =
            Pattern.compile(" \\(for [^()]*\\[Source: [^\\]]*\\]\\)");

    private final Kind kind;
    private final int line;
    private final String text;
    private final Map<String, SourceNode> fields;
    private final Map<String, Integer> keyLines;
    private final List<SourceNode> items;

    private SourceNode(
            Kind kind,
            int line,
            String text,
            Map<String, SourceNode> fields,
            Map<String, Integer> keyLines,
            List<SourceNode> items) {
        this.kind = kind;
        this.line = line;
        this.text = text;
        this.fields = fields;
        this.keyLines = keyLines;
        this.items = items;
    }

    /**
     * Reads one document: JSON if the name ends with {@code .json} or the text starts with <code>{
     * </code>, else YAML. Syntax errors and duplicate keys go to {@code errors}.
     *
     * @return the root, or null if the text cannot be read
     */
    static SourceNode read(String text, String fileName, List<RuleError> errors) {
        boolean json = fileName.endsWith(".json") || text.stripLeading().startsWith("{");
        JsonFactory factory = json ? JSON : YAML;
        try (JsonParser p = factory.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                errors.add(new RuleError(fileName, 1, null, null, "the file is empty"));
                return null;
            }
            SourceNode root = read(p, fileName, errors);
            if (p.nextToken() != null) {
                errors.add(
                        new RuleError(
                                fileName,
                                line(p),
                                null,
                                null,
                                "expected one document, found more after line " + root.line));
            }
            return root;
        } catch (JsonProcessingException e) {
            errors.add(
                    new RuleError(
                            fileName,
                            syntaxErrorLine(e),
                            null,
                            null,
                            "not valid " + (json ? "JSON" : "YAML") + ": " + syntaxError(e)));
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string", e);
        }
    }

    /** The parser's message without its quoted source lines: what went wrong, in one line. */
    private static String syntaxError(JsonProcessingException e) {
        List<String> lines = new ArrayList<>();
        for (String line : e.getOriginalMessage().split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                lines.add(SOURCE_REFERENCE.matcher(line).replaceAll(""));
            }
        }
        return String.join(": ", lines);
    }

    /** YAML names the problem's line last in its message; JSON in the location. */
    private static int syntaxErrorLine(JsonProcessingException e) {
        Matcher m = YAML_MARK.matcher(e.getOriginalMessage());
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        while (m.find()) {
            line = Integer.parseInt(m.group(1));
        }
        return line;
    }

    private static SourceNode read(JsonParser p, String fileName, List<RuleError> errors)
            throws IOException {
        int line = line(p);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT:
                Map<String, SourceNode> fields = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    p.nextToken();
                    SourceNode value = read(p, fileName, errors);
                    if (fields.containsKey(key)) {
                        errors.add(
                                new RuleError(
                                        fileName,
                                        keyLine,
                                        null,
                                        null,
                                        "key '"
                                                + key
                                                + "' appears twice (first at line "
                                                + keyLines.get(key)
                                                + ")"));
                        continue;
                    }
                    fields.put(key, value);
                    keyLines.put(key, keyLine);
                }
                return new SourceNode(Kind.MAP, line, null, fields, keyLines, List.of());
            case START_ARRAY:
                List<SourceNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, fileName, errors));
                }
                return new SourceNode(Kind.LIST, line, null, Map.of(), Map.of(), items);
            case VALUE_NUMBER_INT:
                return scalar(Kind.INT, line, p.getText());
            case VALUE_NUMBER_FLOAT:
                return scalar(Kind.DECIMAL, line, p.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return scalar(Kind.BOOL, line, p.getText());
            case VALUE_NULL:
                return scalar(Kind.NULL, line, "null");
            default:
                return scalar(Kind.STRING, line, p.getText());
        }
    }

    /** A scalar made by a conversion, as if read at that line. */
    static SourceNode scalar(Kind kind, int line, String text) {
        return new SourceNode(kind, line, text, Map.of(), Map.of(), List.of());
    }

    /** A mapping made by a conversion; every key at the mapping's line. */
    static SourceNode map(int line, Map<String, SourceNode> fields) {
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        for (Map.Entry<String, SourceNode> e : fields.entrySet()) {
            keyLines.put(e.getKey(), e.getValue().line());
        }
        return new SourceNode(
                Kind.MAP, line, null, new LinkedHashMap<>(fields), keyLines, List.of());
    }

    /** A list made by a conversion. */
    static SourceNode list(int line, List<SourceNode> items) {
        return new SourceNode(Kind.LIST, line, null, Map.of(), Map.of(), List.copyOf(items));
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    Kind kind() {
        return kind;
    }

    /** 1-based line of the value. */
    int line() {
        return line;
    }

    boolean isScalar() {
        return kind != Kind.MAP && kind != Kind.LIST;
    }

    /** A scalar's text as written (for a string, its value). */
    String text() {
        return text;
    }

    /** A mapping's entries in file order. */
    Map<String, SourceNode> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** The line of a mapping's key. */
    int keyLine(String key) {
        return keyLines.getOrDefault(key, line);
    }

    /** A mapping's value for a key, or null. */
    SourceNode get(String key) {
        return fields.get(key);
    }

    /** A list's items. */
    List<SourceNode> items() {
        return Collections.unmodifiableList(items);
    }

    /** What the node is, for messages: "a list", "a mapping", "the number 3", "text 'x'". */
    String describe() {
        switch (kind) {
            case MAP:
                return "a mapping";
            case LIST:
                return "a list";
            case STRING:
                return "'" + text + "'";
            case NULL:
                return "nothing";
            default:
                return text;
        }
    }
}
