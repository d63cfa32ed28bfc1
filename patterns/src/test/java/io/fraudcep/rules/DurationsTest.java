package io.fraudcep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations as rule files write them, their shortest text and their reading in words. */
class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "250ms, PT0.25S, 250ms, 250 milliseconds",
        "30s, PT30S, 30s, 30 seconds",
        "10m, PT10M, 10m, 10 minutes",
        "90m, PT1H30M, 90m, 90 minutes",
        "6h, PT6H, 6h, 6 hours",
        "24h, PT24H, 1d, 1 day",
        "90d, PT2160H, 90d, 90 days",
        "PT10M, PT10M, 10m, 10 minutes",
        "P1DT1H, PT25H, 25h, 25 hours",
        "PT0.0001S, PT0.0001S, PT0.0001S, PT0.0001S"
    })
    void parseFormatAndDescribe(String written, String iso, String shortest, String words) {
        Duration d = Durations.parse(written);

        assertThat(d).isEqualTo(Duration.parse(iso));
        assertThat(Durations.format(d)).isEqualTo(shortest);
        assertThat(Durations.describe(d)).isEqualTo(words);
        assertThat(Durations.looksLikeDuration(written)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0s | expected a positive duration, not '0s'",
                "PT0S | expected a positive duration, not 'PT0S'",
                "-PT1M | expected a duration like 250ms, 30s, 10m, 6h, 90d or PT10M, not '-PT1M'",
                "10M | expected a duration like 250ms, 30s, 10m, 6h, 90d or PT10M, not '10M'",
                "10 m | expected a duration like 250ms, 30s, 10m, 6h, 90d or PT10M, not '10 m'",
                "PT | expected a duration like 250ms, 30s, 10m, 6h, 90d or PT10M, not 'PT'",
                "99999999999999999999d | expected a duration like 250ms, 30s, 10m, 6h, 90d or"
                        + " PT10M, not '99999999999999999999d'"
            })
    void whatIsNotAPositiveDuration(String written, String message) {
        assertThatThrownBy(() -> Durations.parse(written))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"FR", "PT", "fast", "10", "P"})
    void textThatIsNotADuration(String text) {
        assertThat(Durations.looksLikeDuration(text)).isFalse();
    }
}
