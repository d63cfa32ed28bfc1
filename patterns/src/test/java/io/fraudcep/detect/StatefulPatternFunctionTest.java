package io.fraudcep.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.alert.Detection;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.patterns.PatternCatalogue;
import io.fraudcep.patterns.StatefulFraudPattern;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class StatefulPatternFunctionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void keepsOneTimerPerUserAndClearsTheStateOnceTheWindowHasPassed() throws Exception {
        @SuppressWarnings("unchecked")
        StatefulFraudPattern<Object> velocity =
                (StatefulFraudPattern<Object>)
                        PatternCatalogue.defaults().only("VELOCITY").enabledPatterns().get(0);
        try (KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Detection> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new StatefulPatternFunction<>(velocity)),
                        EnrichedEvent::userId,
                        Types.STRING)) {
            harness.open();
            for (int i = 0; i < 5; i++) {
                send(harness, payment("p" + i, "u1", T0.plusSeconds(10L * i)));
            }
            send(harness, payment("q", "u2", T0));

            assertThat(harness.numEventTimeTimers()).isEqualTo(2);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

            harness.processWatermark(T0.plus(Duration.ofMinutes(7)).toEpochMilli());

            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Detection> harness,
            UserEvent e)
            throws Exception {
        harness.processElement(new StreamRecord<>(EnrichedEvent.of(e), e.timestampMillis()));
    }

    private static UserEvent payment(String id, String user, Instant t) {
        return UserEvent.builder(id, user, EventType.CARD_PAYMENT, t).amount("10.00").build();
    }
}
