package io.fraudcep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/schemas/rules.schema.json describes the files the parser accepts: the shipped rule files
 * pass it, and a broken file fails it where the parser fails it.
 */
class RulesSchemaTest {

    private static final Schema SCHEMA = schema();

    private static Schema schema() {
        try {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(
                            Files.readString(Path.of("../docs/schemas/rules.schema.json")),
                            InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Error> validate(Path file) throws IOException {
        return SCHEMA.validate(Files.readString(file), InputFormat.YAML);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rules-default.yaml", "rules-examples.yaml"})
    void theShippedRuleFilesPassTheSchema(String file) throws IOException {
        assertThat(validate(RuleFilesTest.SHIPPED.resolve(file))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rules-default.yaml", "rules-examples.yaml"})
    void theShippedRuleFilesAsJsonPassTheSchema(String file) throws IOException {
        String json =
                RuleFilesTest.yamlToJson(Files.readString(RuleFilesTest.SHIPPED.resolve(file)));

        assertThat(SCHEMA.validate(json, InputFormat.JSON)).isEmpty();
    }

    /** Changes of {@link RuleFileErrorsTest#VALID}: line, replacement. */
    static Stream<Arguments> mistakesTheSchemaCanSee() {
        return Stream.of(
                Arguments.of("version: \"2\"", "version: 2"),
                Arguments.of("  - id: CARD_TESTING", "  - id: card_testing"),
                Arguments.of("    window: 15m", "    window: 15 minutes"),
                Arguments.of("    severity: HIGH", "    severity: HIGH\n    mode: live"),
                Arguments.of("      smallBelow: 5.00", "      small_below: 5.00"),
                Arguments.of("        times: $minSmallPayments+", "        times: 0"),
                Arguments.of("        times: $minSmallPayments+", "        times: lots"),
                Arguments.of("        times: $minSmallPayments+", "        absent: true"),
                Arguments.of(
                        "        times: $minSmallPayments+",
                        "        times: 3+\n        contiguity: strict"),
                Arguments.of(
                        "        where: amount < $smallBelow",
                        "        wher: amount < $smallBelow"),
                Arguments.of("      - name: large", "      - name: Large"),
                Arguments.of("      - name: large", "      - name: large\n        for: 1h"),
                Arguments.of(
                        "      - name: large",
                        "      - name: large\n        absent: true\n        for: 1h\n"
                                + "        times: 2"),
                Arguments.of(
                        "      - name: large",
                        "      - name: large\n        absent: true\n        for: 1h\n"
                                + "        having: count(small) > 3"),
                Arguments.of(
                        "    summary: \"{count(small)} small payments\"", "    summary: {span}"));
    }

    @ParameterizedTest
    @MethodSource("mistakesTheSchemaCanSee")
    void aMistakeTheSchemaCanSeeFailsBothTheSchemaAndTheParser(String line, String replacement)
            throws IOException {
        String yaml = RuleFileErrorsTest.VALID.replace(line, replacement);
        assertThat(yaml).isNotEqualTo(RuleFileErrorsTest.VALID);

        assertThat(SCHEMA.validate(yaml, InputFormat.YAML)).isNotEmpty();
        assertThatThrownBy(() -> RuleFiles.parse(yaml, "r.yaml"))
                .isInstanceOf(RuleFileException.class);
    }

    @Test
    void theSmallValidFilePassesTheSchema() {
        assertThat(SCHEMA.validate(RuleFileErrorsTest.VALID, InputFormat.YAML)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"broken.yaml"})
    void aBrokenFileFailsTheSchemaWhereTheParserFailsIt(String file) throws IOException {
        List<String> places = // JSON pointers
                validate(Path.of("src/test/resources/rules", file)).stream()
                        .map(e -> e.getInstanceLocation().toString())
                        .distinct()
                        .toList();

        assertThat(places)
                .contains(
                        "/rules/0/severity",
                        "/rules/0/steps/1/type",
                        "/rules/1/id",
                        "/rules/1/steps/0/absent",
                        "/rules/1/steps/0");
    }
}
