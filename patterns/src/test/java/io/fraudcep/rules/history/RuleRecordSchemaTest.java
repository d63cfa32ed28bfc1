package io.fraudcep.rules.history;

import static io.fraudcep.rules.history.RuleRecordFixtures.ID;
import static io.fraudcep.rules.history.RuleRecordFixtures.T0;
import static io.fraudcep.rules.history.RuleRecordFixtures.rule;
import static io.fraudcep.rules.history.RuleRecordFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/schemas/rule-record.schema.json describes the records the job accepts: a valid record (as
 * {@link RuleRecords#toJson} writes it) passes, and a record with a mistake the schema can see
 * fails both the schema and the parser. Its rule is rules.schema.json's rule.
 */
class RuleRecordSchemaTest {

    private static final Path SCHEMAS = Path.of("../docs/schemas");

    private static final Schema SCHEMA = schema();

    private static Schema schema() {
        try {
            String rules = Files.readString(SCHEMAS.resolve("rules.schema.json"));
            return SchemaRegistry.withDefaultDialect(
                            SpecificationVersion.DRAFT_2020_12,
                            registry ->
                                    registry.schemas(
                                            Map.of(
                                                    "https://fraud-cep.example/schemas/rules.schema.json",
                                                    rules)))
                    .getSchema(
                            Files.readString(SCHEMAS.resolve("rule-record.schema.json")),
                            InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Error> validate(String value) {
        return SCHEMA.validate(value, InputFormat.JSON);
    }

    @Test
    void aValidRecordPassesTheSchema() {
        assertThat(validate(valid())).isEmpty();
    }

    @Test
    void aRecordAsWrittenPassesTheSchema() {
        RuleRecord r = RuleRecords.parse(valid(v -> v.put("ruleVersion", 12)));

        assertThat(validate(RuleRecords.toJson(r))).isEmpty();
    }

    @Test
    void aRecordWithoutTheOptionalFieldsPassesTheSchema() {
        String value =
                valid(
                        v -> {
                            v.remove("publishedAt");
                            v.remove("publishedBy");
                            v.remove("comment");
                        });

        assertThat(validate(value)).isEmpty();
    }

    @Test
    void anAuditRecordIsNotARuleRecord() {
        String audit =
                RuleRecords.toJson(
                        new AppliedVersion(ID, 2, T0, T0, false, "2-0123456789ab", "active"));

        assertThat(validate(audit)).isNotEmpty();
    }

    static Stream<Arguments> mistakesTheSchemaCanSee() {
        return Stream.of(
                // an unknown field is reported at the object that has it
                mistake("", v -> v.set("efectiveFrom", v.remove("effectiveFrom"))),
                mistake("", v -> v.remove("ruleId")),
                mistake("", v -> v.remove("ruleVersion")),
                mistake("", v -> v.remove("effectiveFrom")),
                mistake("", v -> v.remove("rule")),
                mistake("/ruleId", v -> v.put("ruleId", "card_testing")),
                mistake("/ruleVersion", v -> v.put("ruleVersion", 0)),
                mistake("/ruleVersion", v -> v.put("ruleVersion", -1)),
                mistake("/ruleVersion", v -> v.put("ruleVersion", 1.5)),
                mistake("/ruleVersion", v -> v.put("ruleVersion", "2")),
                mistake("/effectiveFrom", v -> v.put("effectiveFrom", "2026-12-01T00:00:00+01:00")),
                mistake("/effectiveFrom", v -> v.put("effectiveFrom", "2026-12-01T00:00:00")),
                mistake("/effectiveFrom", v -> v.put("effectiveFrom", "next monday")),
                mistake("/effectiveFrom", v -> v.put("effectiveFrom", 1796083200000L)),
                mistake("/comment", v -> v.put("comment", 5)),
                mistake("/rule", v -> v.put("rule", ID)),
                mistake("/rule", v -> v.set("rule", rule(r -> r.put("owner", "fraud-team")))),
                mistake("/rule/window", v -> v.set("rule", rule(r -> r.put("window", "15 min")))),
                mistake("/rule", v -> v.set("rule", rule(r -> r.remove("steps")))),
                mistake(
                        "/rule/steps/0/type",
                        v ->
                                v.set(
                                        "rule",
                                        rule(
                                                r ->
                                                        ((ObjectNode) r.withArray("steps").get(0))
                                                                .put("type", "CARD")))));
    }

    private static Arguments mistake(String place, Consumer<ObjectNode> change) {
        return Arguments.of(place, valid(change));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("mistakesTheSchemaCanSee")
    void aMistakeTheSchemaCanSeeFailsBothTheSchemaAndTheParser(String place, String value) {
        List<String> places =
                validate(value).stream().map(e -> e.getInstanceLocation().toString()).toList();

        assertThat(places).contains(place);
        assertThatThrownBy(() -> RuleRecords.parse(value)).isInstanceOf(RuleRecordException.class);
    }
}
