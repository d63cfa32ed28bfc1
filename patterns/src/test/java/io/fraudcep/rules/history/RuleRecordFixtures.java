package io.fraudcep.rules.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Rule records for the tests of this package: one valid record of {@code CARD_TESTING}, changed one
 * field at a time, and named instants.
 */
final class RuleRecordFixtures {

    /** The first of December 2026, midnight UTC: the instants of the tests count from it. */
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    static final String ID = "CARD_TESTING";

    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .build();

    /** The rule of the valid record; {@code smallBelow} is written 5.00. */
    static final String RULE =
            "{\"id\": \"CARD_TESTING\", \"severity\": \"HIGH\", \"window\": \"15m\","
                    + " \"params\": {\"minSmallPayments\": 3, \"smallBelow\": 5.00},"
                    + " \"steps\": ["
                    + "{\"name\": \"small\", \"type\": \"CARD_PAYMENT\","
                    + " \"where\": \"amount < $smallBelow\", \"times\": \"$minSmallPayments+\"},"
                    + " {\"name\": \"large\", \"type\": \"CARD_PAYMENT\"}],"
                    + " \"summary\": \"{count(small)} payments under {$smallBelow}\"}";

    private RuleRecordFixtures() {}

    static Instant minutes(long m) {
        return T0.plusSeconds(60 * m);
    }

    static Instant days(long d) {
        return T0.plusSeconds(86_400 * d);
    }

    /** The valid record's value as a tree: version 1 of CARD_TESTING, effective at T0. */
    static ObjectNode validTree() {
        ObjectNode root = JSON.createObjectNode();
        root.put("ruleId", ID);
        root.put("ruleVersion", 1);
        root.put("effectiveFrom", T0.toString());
        root.set("rule", tree(RULE));
        root.put("publishedAt", "2026-11-30T09:00:00Z");
        root.put("publishedBy", "analyst@example.com");
        root.put("comment", "first version");
        return root;
    }

    /** The valid record's value. */
    static String valid() {
        return validTree().toString();
    }

    /** The valid record's value with one change. */
    static String valid(Consumer<ObjectNode> change) {
        ObjectNode root = validTree();
        change.accept(root);
        return root.toString();
    }

    /** The valid record's rule as a tree with one change. */
    static ObjectNode rule(Consumer<ObjectNode> change) {
        ObjectNode rule = tree(RULE);
        change.accept(rule);
        return rule;
    }

    /** A valid record of {@code id}'s rule (CARD_TESTING's steps) in {@code mode}. */
    static String version(String id, long version, Instant effectiveFrom, String mode) {
        return valid(
                r -> {
                    r.put("ruleId", id);
                    r.put("ruleVersion", version);
                    r.put("effectiveFrom", effectiveFrom.toString());
                    r.set(
                            "rule",
                            rule(
                                    rule -> {
                                        rule.put("id", id);
                                        rule.put("mode", mode);
                                    }));
                    r.remove("comment");
                });
    }

    /** The parsed record of {@link #version}. */
    static RuleRecord record(String id, long version, Instant effectiveFrom, String mode) {
        return RuleRecords.parse(version(id, version, effectiveFrom, mode));
    }

    /** A rule file with CARD_TESTING (active) alone, version "file". */
    static RuleSet base() {
        return RuleFiles.parse("{\"version\": \"file\", \"rules\": [" + RULE + "]}", "base.json");
    }

    static ObjectNode tree(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
