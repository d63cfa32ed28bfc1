package io.fraudcep.rules.history;

import static io.fraudcep.rules.history.RuleRecordFixtures.ID;
import static io.fraudcep.rules.history.RuleRecordFixtures.T0;
import static io.fraudcep.rules.history.RuleRecordFixtures.minutes;
import static io.fraudcep.rules.history.RuleRecordFixtures.rule;
import static io.fraudcep.rules.history.RuleRecordFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleMode;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The values of the control topic and of the audit topic: a valid record reads back as written, and
 * every invalid one is rejected with a message naming the rule and the field, as its dead letter
 * will say.
 */
class RuleRecordsTest {

    private static final String ALLOWED =
            "(allowed: ruleId, ruleVersion, effectiveFrom, rule, publishedAt, publishedBy,"
                    + " comment)";

    @Test
    void aValidRecordReadsBackFieldByField() {
        RuleRecord r = RuleRecords.parse(valid());

        RuleRecord back = RuleRecords.parse(RuleRecords.toJson(r));

        assertThat(back.ruleId()).isEqualTo(r.ruleId()).isEqualTo(ID);
        assertThat(back.ruleVersion()).isEqualTo(r.ruleVersion()).isEqualTo(1);
        assertThat(back.effectiveFrom()).isEqualTo(r.effectiveFrom()).isEqualTo(T0);
        assertThat(back.ruleJson()).isEqualTo(r.ruleJson());
        assertThat(RuleCanonical.canonical(back.rule()))
                .isEqualTo(RuleCanonical.canonical(r.rule()));
        assertThat(back.rule().mode()).isEqualTo(r.rule().mode()).isEqualTo(RuleMode.ACTIVE);
        assertThat(back.rule().version()).isEqualTo(r.rule().version()).isEqualTo("1");
        assertThat(back.publishedAt()).isEqualTo(r.publishedAt()).isEqualTo("2026-11-30T09:00:00Z");
        assertThat(back.publishedBy()).isEqualTo(r.publishedBy()).isEqualTo("analyst@example.com");
        assertThat(back.comment()).isEqualTo(r.comment()).isEqualTo("first version");
        assertThat(RuleRecords.toJson(back)).isEqualTo(RuleRecords.toJson(r));
    }

    @Test
    void theRulesPatternVersionIsTheRecordsVersionAndTheRulesHash() {
        RuleRecord r = RuleRecords.parse(valid(v -> v.put("ruleVersion", 7)));

        assertThat(RuleCanonical.patternVersion(r.rule()))
                .matches("7-[0-9a-f]{12}")
                .isEqualTo("7-" + RuleCanonical.hash(r.rule()));
    }

    @Test
    void aRecordWithoutTheOptionalFieldsReadsBackWithoutThem() {
        String value =
                valid(
                        v -> {
                            v.remove("publishedAt");
                            v.remove("publishedBy");
                            v.remove("comment");
                        });

        RuleRecord r = RuleRecords.parse(value);

        assertThat(r.publishedAt()).isNull();
        assertThat(r.publishedBy()).isNull();
        assertThat(r.comment()).isNull();
        assertThat(RuleRecords.toJson(r)).doesNotContain("publishedAt", "publishedBy", "comment");
    }

    @Test
    void aDecimalParameterKeepsItsTextAsPublished() {
        RuleRecord r = RuleRecords.parse(valid());

        assertThat(r.rule().params().get("smallBelow").text()).isEqualTo("5.00");
        assertThat(r.ruleJson()).contains("\"smallBelow\":5.00");
        assertThat(RuleRecords.toJson(r)).contains("\"smallBelow\":5.00");
    }

    static Stream<Arguments> invalidRecords() {
        return Stream.of(
                // The value
                invalid("not JSON", "{\"ruleId\": \"CARD_TESTING\",", null, null),
                invalid("a list", "[1, 2]", null, null),
                invalid("a string", "\"CARD_TESTING\"", null, null),
                invalid("empty", "", null, null),
                invalid("trailing content", valid() + " {}", null, null),
                invalid(
                        "a key twice",
                        valid().replace(
                                        "\"ruleVersion\":1,",
                                        "\"ruleVersion\":1,\"ruleVersion\":2,"),
                        null,
                        null),
                // The record's fields
                invalid(
                        "a misspelt field",
                        valid(v -> v.set("efectiveFrom", v.remove("effectiveFrom"))),
                        ID,
                        "efectiveFrom"),
                invalid("no ruleId", valid(v -> v.remove("ruleId")), ID, "ruleId"),
                invalid("a number as ruleId", valid(v -> v.put("ruleId", 7)), ID, "ruleId"),
                invalid("no ruleVersion", valid(v -> v.remove("ruleVersion")), ID, "ruleVersion"),
                invalid("ruleVersion 0", valid(v -> v.put("ruleVersion", 0)), ID, "ruleVersion"),
                invalid(
                        "a negative ruleVersion",
                        valid(v -> v.put("ruleVersion", -3)),
                        ID,
                        "ruleVersion"),
                invalid(
                        "a fractional ruleVersion",
                        valid(v -> v.put("ruleVersion", 1.5)),
                        ID,
                        "ruleVersion"),
                invalid(
                        "ruleVersion as text",
                        valid(v -> v.put("ruleVersion", "2")),
                        ID,
                        "ruleVersion"),
                invalid(
                        "no effectiveFrom",
                        valid(v -> v.remove("effectiveFrom")),
                        ID,
                        "effectiveFrom"),
                invalid(
                        "effectiveFrom with an offset",
                        valid(v -> v.put("effectiveFrom", "2026-12-01T00:00:00+01:00")),
                        ID,
                        "effectiveFrom"),
                invalid(
                        "effectiveFrom without a zone",
                        valid(v -> v.put("effectiveFrom", "2026-12-01T00:00:00")),
                        ID,
                        "effectiveFrom"),
                invalid(
                        "effectiveFrom not an instant",
                        valid(v -> v.put("effectiveFrom", "next monday")),
                        ID,
                        "effectiveFrom"),
                invalid(
                        "effectiveFrom in month 13",
                        valid(v -> v.put("effectiveFrom", "2026-13-01T00:00:00Z")),
                        ID,
                        "effectiveFrom"),
                invalid(
                        "effectiveFrom in epoch millis",
                        valid(v -> v.put("effectiveFrom", 1796083200000L)),
                        ID,
                        "effectiveFrom"),
                invalid("a comment not text", valid(v -> v.put("comment", 5)), ID, "comment"),
                invalid("no rule", valid(v -> v.remove("rule")), ID, "rule"),
                invalid("a rule not an object", valid(v -> v.put("rule", ID)), ID, "rule"),
                // The rule
                invalid(
                        "a rule with an unknown key",
                        withRule(r -> r.put("owner", "fraud-team")),
                        ID,
                        "rule.owner"),
                invalid(
                        "a misspelt field in a where",
                        withRule(
                                r ->
                                        ((ObjectNode) r.withArray("steps").get(0))
                                                .put("where", "amont > 3")),
                        ID,
                        "rule.steps[0].where"),
                invalid(
                        "a window that is not a duration",
                        withRule(r -> r.put("window", "15 minutes")),
                        ID,
                        "rule.window"),
                invalid(
                        "two mistakes in the rule",
                        withRule(
                                r -> {
                                    r.put("window", "15 minutes");
                                    r.put("severity", "SEVERE");
                                }),
                        ID,
                        "rule.severity"),
                invalid("a rule without an id", withRule(r -> r.remove("id")), ID, "rule.id"),
                invalid(
                        "a rule with another id",
                        withRule(r -> r.put("id", "CARD_TEST")),
                        ID,
                        "rule.id"));
    }

    private static Arguments invalid(String what, String value, String ruleId, String field) {
        return Arguments.of(what, value, ruleId, field);
    }

    private static String withRule(Consumer<ObjectNode> change) {
        return valid(v -> v.set("rule", rule(change)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    void anInvalidRecordIsRejectedNamingTheRuleAndTheField(
            String what, String value, String ruleId, String field) {
        RuleRecordException e =
                catchThrowableOfType(RuleRecordException.class, () -> RuleRecords.parse(value));

        assertThat(e).as(what).isNotNull();
        assertThat(e.ruleId()).isEqualTo(ruleId);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage())
                .startsWith(
                        (ruleId == null ? "" : "rule " + ruleId + (field == null ? ": " : ", "))
                                + (field == null ? "" : "field " + field + ": "))
                .endsWith(e.reason());
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of("[1, 2]", "a rule record is a JSON object, found a list"),
                Arguments.of("", "empty: a rule record is a JSON object"),
                Arguments.of(null, "empty: a rule record is a JSON object"),
                Arguments.of(
                        valid(v -> v.set("efectiveFrom", v.remove("effectiveFrom"))),
                        "rule CARD_TESTING, field efectiveFrom: unknown field 'efectiveFrom' "
                                + ALLOWED),
                Arguments.of(
                        valid(v -> v.remove("ruleId")),
                        "rule CARD_TESTING, field ruleId: missing: the rule's id, the same as"
                                + " rule.id"),
                Arguments.of(
                        valid(v -> v.put("ruleId", 7)),
                        "rule CARD_TESTING, field ruleId: expected the rule's id as text, found 7"),
                Arguments.of(
                        valid(v -> v.remove("ruleVersion")),
                        "rule CARD_TESTING, field ruleVersion: missing: an integer, at least 1"),
                Arguments.of(
                        valid(v -> v.put("ruleVersion", 0)),
                        "rule CARD_TESTING, field ruleVersion: expected an integer, at least 1"
                                + " (the rule file's rules are version 0), found 0"),
                Arguments.of(
                        valid(v -> v.put("ruleVersion", -3)),
                        "rule CARD_TESTING, field ruleVersion: expected an integer, at least 1"
                                + " (the rule file's rules are version 0), found -3"),
                Arguments.of(
                        valid(v -> v.put("ruleVersion", 1.5)),
                        "rule CARD_TESTING, field ruleVersion: expected an integer, at least 1,"
                                + " found 1.5"),
                Arguments.of(
                        valid(v -> v.put("ruleVersion", "2")),
                        "rule CARD_TESTING, field ruleVersion: expected an integer, at least 1,"
                                + " found \"2\""),
                Arguments.of(
                        valid(v -> v.remove("effectiveFrom")),
                        "rule CARD_TESTING, field effectiveFrom: missing: an ISO-8601 UTC instant"
                                + " such as 2026-11-30T12:00:00Z"),
                Arguments.of(
                        valid(v -> v.put("effectiveFrom", "2026-12-01T00:00:00+01:00")),
                        "rule CARD_TESTING, field effectiveFrom: '2026-12-01T00:00:00+01:00' has"
                                + " an offset: write the instant in UTC, 2026-11-30T23:00:00Z"),
                Arguments.of(
                        valid(v -> v.put("effectiveFrom", "2026-12-01T00:00:00")),
                        "rule CARD_TESTING, field effectiveFrom: '2026-12-01T00:00:00' has no time"
                                + " zone: write the instant in UTC, ending in Z"),
                Arguments.of(
                        valid(v -> v.put("effectiveFrom", "next monday")),
                        "rule CARD_TESTING, field effectiveFrom: 'next monday' is not an ISO-8601"
                                + " UTC instant such as 2026-11-30T12:00:00Z"),
                Arguments.of(
                        valid(v -> v.put("effectiveFrom", "2026-13-01T00:00:00Z")),
                        "rule CARD_TESTING, field effectiveFrom: '2026-13-01T00:00:00Z' is not an"
                                + " ISO-8601 UTC instant such as 2026-11-30T12:00:00Z"),
                Arguments.of(
                        valid(v -> v.put("effectiveFrom", 1796083200000L)),
                        "rule CARD_TESTING, field effectiveFrom: expected an ISO-8601 UTC instant"
                                + " such as 2026-11-30T12:00:00Z, found 1796083200000"),
                Arguments.of(
                        valid(v -> v.put("comment", 5)),
                        "rule CARD_TESTING, field comment: expected text, found 5"),
                Arguments.of(
                        valid(v -> v.remove("rule")),
                        "rule CARD_TESTING, field rule: missing: one rule object, as in a rule"
                                + " file"),
                Arguments.of(
                        valid(v -> v.put("rule", ID)),
                        "rule CARD_TESTING, field rule: expected one rule object, as in a rule"
                                + " file, found \"CARD_TESTING\""),
                Arguments.of(
                        withRule(r -> r.put("owner", "fraud-team")),
                        "rule CARD_TESTING, field rule.owner: unknown key 'owner' (allowed: id,"
                                + " description, severity, mode, window, params, steps, summary)"),
                Arguments.of(
                        withRule(r -> r.remove("id")),
                        "rule CARD_TESTING, field rule.id: missing: every rule needs an id like"
                                + " CARD_TESTING"),
                Arguments.of(
                        withRule(r -> r.put("id", "CARD_TEST")),
                        "rule CARD_TESTING, field rule.id: 'CARD_TEST' differs from the record's"
                                + " ruleId"),
                Arguments.of(
                        withRule(
                                r -> {
                                    r.put("window", "15 minutes");
                                    r.put("severity", "SEVERE");
                                }),
                        "rule CARD_TESTING, field rule.severity: expected LOW, MEDIUM, HIGH or"
                                + " CRITICAL, found 'SEVERE' (and 1 more)"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void theRejectionSaysWhatIsWrongAndWhatIsExpected(String value, String message) {
        RuleRecordException e =
                catchThrowableOfType(RuleRecordException.class, () -> RuleRecords.parse(value));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void aBadExpressionIsReportedUnderTheRulesStep() {
        String value =
                withRule(r -> ((ObjectNode) r.withArray("steps").get(0)).put("where", "amont > 3"));

        RuleRecordException e =
                catchThrowableOfType(RuleRecordException.class, () -> RuleRecords.parse(value));

        assertThat(e.getMessage())
                .isEqualTo(
                        "rule CARD_TESTING, field rule.steps[0].where: column 1: unknown field amont");
    }

    @Test
    void textThatIsNotJsonIsRejectedWithTheParsersReason() {
        RuleRecordException e =
                catchThrowableOfType(
                        RuleRecordException.class, () -> RuleRecords.parse("CARD_TESTING v2"));

        assertThat(e.getMessage())
                .isEqualTo(
                        "not JSON: Unrecognized token 'CARD_TESTING': was expecting (JSON String,"
                                + " Number, Array, Object or token 'null', 'true' or 'false')"
                                + " (column 13)");
    }

    @Test
    void aKeyWrittenTwiceIsRejectedRatherThanReadAsTheLastOne() {
        String twice =
                valid().replace("\"ruleVersion\":1,", "\"ruleVersion\":1,\"ruleVersion\":2,");

        RuleRecordException e =
                catchThrowableOfType(RuleRecordException.class, () -> RuleRecords.parse(twice));

        assertThat(e.getMessage()).startsWith("not JSON: Duplicate field 'ruleVersion' (column ");
    }

    @Test
    void contentAfterTheRecordIsRejected() {
        RuleRecordException e =
                catchThrowableOfType(
                        RuleRecordException.class, () -> RuleRecords.parse(valid() + " {}"));

        assertThat(e.getMessage())
                .startsWith("not JSON: more content after the end of the object (column ");
    }

    @Test
    void anAuditRecordReadsBackAsWritten() {
        AppliedVersion late =
                new AppliedVersion(ID, 2, minutes(5), minutes(9), true, "2-0123456789ab", "shadow");
        AppliedVersion onTime =
                new AppliedVersion(
                        ID, 3, minutes(20), minutes(20), false, "3-ba9876543210", "active");

        assertThat(RuleRecords.parseApplied(RuleRecords.toJson(late))).isEqualTo(late);
        assertThat(RuleRecords.parseApplied(RuleRecords.toJson(onTime))).isEqualTo(onTime);
    }

    @Test
    void anAuditRecordWithoutItsInstantIsRejectedNamingTheField() {
        String value =
                RuleRecords.toJson(
                                new AppliedVersion(
                                        ID, 2, T0, T0, false, "2-0123456789ab", "active"))
                        .replace("\"appliedFrom\":\"2026-12-01T00:00:00Z\",", "");

        RuleRecordException e =
                catchThrowableOfType(
                        RuleRecordException.class, () -> RuleRecords.parseApplied(value));

        assertThat(e.getMessage())
                .isEqualTo(
                        "rule CARD_TESTING, field appliedFrom: missing: an ISO-8601 UTC instant"
                                + " such as 2026-11-30T12:00:00Z");
    }

    @Test
    void isAppliedTellsAnAuditRecordFromARuleRecord() {
        String audit =
                RuleRecords.toJson(
                        new AppliedVersion(
                                ID, 2, T0, minutes(1), true, "2-0123456789ab", "active"));

        assertThat(RuleRecords.isApplied(audit)).isTrue();
        assertThat(RuleRecords.isApplied(valid())).isFalse();
        assertThat(RuleRecords.isApplied(valid(v -> v.put("appliedFrom", T0.toString()))))
                .as("a rule record with a stray appliedFrom is a rule record")
                .isFalse();
        assertThat(RuleRecords.isApplied("not JSON")).isFalse();
        assertThat(RuleRecords.isApplied("[]")).isFalse();
        assertThat(RuleRecords.isApplied(null)).isFalse();
    }

    @Test
    void aRuleRecordWithAStrayAppliedFromIsRejectedAsAnUnknownField() {
        RuleRecordException e =
                catchThrowableOfType(
                        RuleRecordException.class,
                        () -> RuleRecords.parse(valid(v -> v.put("appliedFrom", T0.toString()))));

        assertThat(e.field()).isEqualTo("appliedFrom");
    }

    @Test
    void parseRuleNamesTheRuleObjectsIdWithoutARecord() {
        RuleRecordException e =
                catchThrowableOfType(
                        RuleRecordException.class,
                        () ->
                                RuleRecords.parseRule(
                                        rule(r -> r.put("window", "15 minutes")).toString(), 4));

        assertThat(e.ruleId()).isEqualTo(ID);
        assertThat(e.field()).isEqualTo("rule.window");
    }
}
