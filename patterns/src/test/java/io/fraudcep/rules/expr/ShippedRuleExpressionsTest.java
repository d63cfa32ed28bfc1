package io.fraudcep.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fraudcep.model.EventType;
import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.expr.ExprFixtures.Rule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code where}, {@code having} and summary placeholder of the shipped rule files compiles.
 * The YAML is read here only to pick out the expressions and the scopes they need; the rule file
 * parser is tested on its own.
 */
class ShippedRuleExpressionsTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rules-default.yaml", "rules-examples.yaml"})
    void everyExpressionOfTheShippedRulesCompiles(String file) throws IOException {
        JsonNode rules =
                new ObjectMapper(new YAMLFactory())
                        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                        .readTree(Path.of("..", "rules", file).toFile())
                        .get("rules");
        List<String> failures = new ArrayList<>();
        int compiled = 0;
        for (JsonNode rule : rules) {
            String id = rule.get("id").asText();
            Rule scopes = scopes(rule);
            for (JsonNode step : rule.get("steps")) {
                String name = step.get("name").asText();
                for (String key : List.of("where", "having")) {
                    if (step.has(key)) {
                        ExprScope scope =
                                key.equals("where") ? scopes.where(name) : scopes.having(name);
                        compiled +=
                                compile(
                                        id + "." + name + "." + key,
                                        step.get(key).asText(),
                                        scope,
                                        failures);
                    }
                }
            }
            Matcher m = PLACEHOLDER.matcher(rule.path("summary").asText(""));
            while (m.find()) {
                compiled += compile(id + ".summary", m.group(1), scopes.summary(), failures);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(compiled).isGreaterThanOrEqualTo(rules.size());
    }

    private static int compile(
            String where, String source, ExprScope scope, List<String> failures) {
        try {
            RuleExpression.compile(source, scope);
            return 1;
        } catch (ExprException e) {
            failures.add(where + ": " + source + ": " + e.getMessage());
            return 0;
        }
    }

    private static Rule scopes(JsonNode rule) {
        Rule scopes = Rule.rule();
        for (Map.Entry<String, JsonNode> p : rule.path("params").properties()) {
            scopes.param(p.getKey(), param(p.getValue()));
        }
        for (JsonNode step : rule.get("steps")) {
            List<EventType> types = new ArrayList<>();
            JsonNode type = step.get("type");
            if (type.isArray()) {
                type.forEach(t -> types.add(EventType.valueOf(t.asText())));
            } else {
                types.add(EventType.valueOf(type.asText()));
            }
            EventType[] array = types.toArray(new EventType[0]);
            String name = step.get("name").asText();
            if (step.path("absent").asBoolean(false)) {
                scopes.absent(name, array);
            } else if (step.path("times").asText("1").equals("1")) {
                scopes.step(name, array);
            } else {
                scopes.repeated(name, array);
            }
        }
        return scopes;
    }

    private static ParamValue param(JsonNode value) {
        if (value.isIntegralNumber()) {
            return ParamValue.integer(value.asLong());
        }
        if (value.isNumber()) {
            return ParamValue.decimal(value.decimalValue());
        }
        if (value.isBoolean()) {
            return ParamValue.bool(value.asBoolean());
        }
        Matcher d = DURATION.matcher(value.asText());
        if (d.matches()) {
            long n = Long.parseLong(d.group(1));
            Duration duration =
                    switch (d.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
            return ParamValue.duration(duration, value.asText());
        }
        return ParamValue.string(value.asText());
    }
}
