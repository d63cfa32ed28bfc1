package io.fraudcep.sampledata.fuzz.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.sampledata.fuzz.DenseLogGenerator;
import io.fraudcep.sampledata.fuzz.DenseLogOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleSearch}'s pruned, memoised search finds the same canonical match as the plain
 * enumeration of {@link NaiveMatches}, for every event of a dense log and every random rule.
 */
class RuleSearchCrossCheckTest {

    @Test
    void theSearchAgreesWithPlainEnumerationOnRandomRules() {
        List<UserEvent> log = DenseLogGenerator.generate(5, new DenseLogOptions(6, 80)).events();
        Map<String, List<UserEvent>> byUser = new TreeMap<>();
        for (UserEvent e : log) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        List<List<EnrichedEvent>> users = byUser.values().stream().map(AcceptedLog::of).toList();
        long compared = 0;
        long matches = 0;
        long skipped = 0;
        List<String> differences = new ArrayList<>();
        for (long seed = 0; seed < 40; seed++) {
            for (Rule rule : RuleFiles.parse(RandomRules.generate(seed), "r.yaml").rules()) {
                RuleSearch search = RuleSearch.of(rule);
                NaiveMatches naive = new NaiveMatches(rule, 200_000);
                for (List<EnrichedEvent> events : users) {
                    int lo = 0;
                    for (int end = 0; end < events.size(); end++) {
                        while (!events.get(lo)
                                .timestamp()
                                .isAfter(events.get(end).timestamp().minus(rule.window()))) {
                            lo++;
                        }
                        int[] expected;
                        try {
                            expected = naive.canonical(events, lo, end);
                        } catch (NaiveMatches.TooMany e) {
                            skipped++;
                            continue;
                        }
                        int[] found = search.canonical(events, lo, end);
                        compared++;
                        matches += expected == null ? 0 : 1;
                        if (!Arrays.equals(found, expected)) {
                            differences.add(
                                    "seed "
                                            + seed
                                            + " "
                                            + rule.id()
                                            + " at "
                                            + events.get(end).eventId()
                                            + ": "
                                            + Arrays.toString(found)
                                            + " instead of "
                                            + Arrays.toString(expected));
                        }
                    }
                }
            }
        }

        assertThat(differences).isEmpty();
        assertThat(matches).isGreaterThan(1000);
        assertThat(skipped).isLessThan(compared / 100);
    }
}
