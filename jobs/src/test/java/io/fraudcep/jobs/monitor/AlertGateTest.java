package io.fraudcep.jobs.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.Severity;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AlertGateTest {

    private static final Instant GO_LIVE = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void writesOnlyAlertsTriggeredAtOrAfterTheGoLiveInstantAndCountsTheOthers() throws Exception {
        try (OneInputStreamOperatorTestHarness<Alert, Alert> h =
                new OneInputStreamOperatorTestHarness<>(new AlertGate(GO_LIVE))) {
            h.open();
            h.processElement(new StreamRecord<>(alert("before", GO_LIVE.minusMillis(1))));
            h.processWatermark(GO_LIVE.minusSeconds(60).toEpochMilli());
            assertThat(((AlertGate) h.getOperator()).remainingMillis()).isEqualTo(60_000L);
            h.processElement(new StreamRecord<>(alert("at", GO_LIVE)));
            h.processElement(new StreamRecord<>(alert("after", GO_LIVE.plusSeconds(1))));
            h.processWatermark(GO_LIVE.toEpochMilli());

            assertThat(h.extractOutputValues())
                    .extracting(Alert::alertId)
                    .containsExactly("at", "after");
            assertThat(((AlertGate) h.getOperator()).remainingMillis()).isZero();
        }
    }

    @Test
    void withoutAnInstantEveryAlertPasses() throws Exception {
        try (OneInputStreamOperatorTestHarness<Alert, Alert> h =
                new OneInputStreamOperatorTestHarness<>(new AlertGate(null))) {
            h.open();
            h.processElement(
                    new StreamRecord<>(alert("old", Instant.parse("2020-01-01T00:00:00Z"))));

            assertThat(h.extractOutputValues()).extracting(Alert::alertId).containsExactly("old");
        }
    }

    private static Alert alert(String id, Instant detectedAt) {
        return new Alert(
                id,
                "VELOCITY",
                "1-abc",
                Severity.MEDIUM,
                "u1",
                detectedAt.minusSeconds(60),
                detectedAt,
                List.of("e1"),
                "ten payments",
                List.of());
    }
}
