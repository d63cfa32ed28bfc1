package io.fraudcep.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's catalogue table says what the shipped rule files hold: the same rules, severities,
 * windows, modes and parameter values. A rule added, removed or tuned in a file without the table
 * (or the other way round) fails here, naming the rule.
 */
class RuleCatalogueReadmeTest {

    private record Row(
            String id, String severity, String window, String mode, Map<String, String> params) {}

    @Test
    void theReadmeTableIsTheShippedCatalogue() throws IOException {
        Map<String, Row> table = readmeTable();
        List<Rule> shipped = new ArrayList<>(RuleFiles.defaults().rules());
        shipped.addAll(RuleFiles.examples().rules());

        assertThat(table.keySet())
                .containsExactlyInAnyOrderElementsOf(shipped.stream().map(Rule::id).toList());
        for (Rule rule : shipped) {
            Row row = table.get(rule.id());
            assertThat(row.severity())
                    .as(rule.id() + " severity")
                    .isEqualTo(rule.severity().name());
            assertThat(Durations.parse(row.window()))
                    .as(rule.id() + " window")
                    .isEqualTo(rule.window());
            assertThat(row.mode())
                    .as(rule.id() + " mode")
                    .isEqualTo(rule.mode().name().toLowerCase(Locale.ROOT));
            Map<String, String> params = new LinkedHashMap<>();
            rule.params().forEach((name, value) -> params.put(name, value.text()));
            assertThat(row.params()).as(rule.id() + " params").isEqualTo(params);
        }
    }

    private static Map<String, Row> readmeTable() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        String table =
                readme.substring(
                        readme.indexOf("<!-- catalogue:begin -->"),
                        readme.indexOf("<!-- catalogue:end -->"));
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            Map<String, String> params = new LinkedHashMap<>();
            for (String p : cells[6].split(",")) {
                String[] nameValue = p.trim().split(" ");
                if (nameValue.length == 2) {
                    params.put(nameValue[0].replace("`", ""), nameValue[1]);
                }
            }
            String id = cells[1].trim().replace("`", "");
            rows.put(id, new Row(id, cells[2].trim(), cells[3].trim(), cells[4].trim(), params));
        }
        return rows;
    }
}
