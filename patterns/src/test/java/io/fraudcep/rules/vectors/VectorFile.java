package io.fraudcep.rules.vectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fraudcep.model.EventCodec;
import io.fraudcep.model.ParseResult;
import io.fraudcep.model.UserEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One rule's test vectors, {@code rules/vectors/<RULE_ID>.yaml} (format: README.md there): the
 * rule, the rule file that holds it, and its cases, each a small log with exactly the alerts the
 * rule must give on it. Reading validates the file, so a mistyped key or an event the codec rejects
 * fails with the file and the case, not as a silent near miss.
 *
 * @param path the vector file
 * @param rule the rule's id
 * @param ruleFile the rule file's name, in the folder above {@code vectors/}
 * @param cases the cases in file order
 */
record VectorFile(Path path, String rule, String ruleFile, List<VectorCase> cases) {

    /** How far a case may list an event behind the latest one before it (the runner allows 5 s). */
    static final Duration MAX_DISORDER = Duration.ofSeconds(4);

    /** YAML with exact decimals: {@code 5.00} stays 5.00, as the rule file reader sees it. */
    static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    /** Every {@code *.yaml} of {@code dir}, by file name. */
    static List<VectorFile> readAll(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .map(VectorFile::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    static VectorFile read(Path path) {
        JsonNode root;
        try {
            root = YAML.readTree(path.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": not valid YAML: " + e.getMessage(), e);
        }
        String where = path.toString();
        onlyKeys(root, Set.of("rule", "file", "cases"), where);
        String rule = text(root, "rule", where);
        String ruleFile = text(root, "file", where);
        JsonNode cases = root.get("cases");
        if (cases == null || !cases.isArray() || cases.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'cases' must be a non-empty list");
        }
        List<VectorCase> read = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            read.add(readCase(rule, i + 1, cases.get(i), where + " case " + (i + 1)));
        }
        return new VectorFile(path, rule, ruleFile, read);
    }

    private static VectorCase readCase(String rule, int number, JsonNode c, String where) {
        onlyKeys(c, Set.of("name", "params", "events", "alerts"), where);
        String name = text(c, "name", where);
        where = where + " (" + name + ")";
        JsonNode params = c.get("params");
        if (params != null && !params.isObject()) {
            throw new IllegalArgumentException(where + ": 'params' must be a mapping");
        }
        String user = VectorCase.userOf(rule, number);
        JsonNode events = c.get("events");
        if (events == null || !events.isArray() || events.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'events' must be a non-empty list");
        }
        List<UserEvent> log = new ArrayList<>();
        Instant latest = null;
        for (JsonNode e : events) {
            UserEvent event = event(e, user, where);
            if (latest != null
                    && Duration.between(event.timestamp(), latest).compareTo(MAX_DISORDER) > 0) {
                throw new IllegalArgumentException(
                        where
                                + ": event "
                                + event.eventId()
                                + " is listed more than "
                                + MAX_DISORDER.toSeconds()
                                + " s behind an earlier one: it would arrive late");
            }
            latest =
                    latest == null || event.timestamp().isAfter(latest)
                            ? event.timestamp()
                            : latest;
            log.add(event);
        }
        JsonNode alerts = c.get("alerts");
        if (alerts == null || !alerts.isArray()) {
            throw new IllegalArgumentException(where + ": 'alerts' must be a list ([] for none)");
        }
        List<ExpectedAlert> expected = new ArrayList<>();
        for (JsonNode a : alerts) {
            expected.add(alert(rule, user, a, log, where));
        }
        return new VectorCase(
                number, name, params == null ? null : (ObjectNode) params, user, log, expected);
    }

    /** An events.md object of the case, owned by the case's user (or a second user of it). */
    private static UserEvent event(JsonNode e, String user, String where) {
        if (!e.isObject()) {
            throw new IllegalArgumentException(where + ": an event must be a mapping: " + e);
        }
        ObjectNode json = ((ObjectNode) e).deepCopy();
        json.put("userId", userOf(user, e.get("userId")));
        String line;
        try {
            line = JSON.writeValueAsString(json);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ParseResult parsed = EventCodec.parse(line);
        if (!parsed.isAccepted()) {
            throw new IllegalArgumentException(
                    where + ": event " + e + " breaks events.md: " + parsed.detail());
        }
        return parsed.event();
    }

    private static ExpectedAlert alert(
            String rule, String user, JsonNode a, List<UserEvent> log, String where) {
        onlyKeys(a, Set.of("userId", "detectedAt", "eventIds"), where);
        String alertUser = userOf(user, a.get("userId"));
        Instant detectedAt;
        try {
            detectedAt = Instant.parse(text(a, "detectedAt", where));
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException(where + ": bad detectedAt in " + a, ex);
        }
        JsonNode ids = a.get("eventIds");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw new IllegalArgumentException(where + ": an alert needs a list of eventIds");
        }
        List<String> eventIds = new ArrayList<>();
        ids.forEach(id -> eventIds.add(id.asText()));
        UserEvent first =
                log.stream()
                        .filter(
                                e ->
                                        e.userId().equals(alertUser)
                                                && e.eventId().equals(eventIds.get(0)))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                where
                                                        + ": alert names "
                                                        + eventIds.get(0)
                                                        + ", not an event of the case"));
        return ExpectedAlert.of(rule, alertUser, first.timestamp(), detectedAt, eventIds);
    }

    /** The case's user, or {@code <case user>.<name>} for an event or alert naming a user. */
    private static String userOf(String caseUser, JsonNode named) {
        return named == null ? caseUser : caseUser + "." + named.asText();
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isValueNode() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": '" + field + "' is required");
        }
        return v.asText();
    }

    private static void onlyKeys(JsonNode node, Set<String> keys, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a mapping, found " + node);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(
                        where + ": unknown key '" + key + "' (expected one of " + keys + ")");
            }
        }
    }
}
