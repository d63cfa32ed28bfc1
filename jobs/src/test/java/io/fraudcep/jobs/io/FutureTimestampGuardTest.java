package io.fraudcep.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.model.RejectReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FutureTimestampGuardTest {

    private static final Instant END = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void aReplayAcceptsEventsUpToTheSkewAfterTheEndOfItsRangeAndNoFurther() {
        FutureTimestampGuard guard = FutureTimestampGuard.fixed(END, Duration.ofHours(1));

        assertThat(guard.check(END)).isNull();
        assertThat(guard.check(END.plus(Duration.ofHours(1)))).isNull();
        assertThat(guard.check(END.plus(Duration.ofHours(1)).plusMillis(1)))
                .isEqualTo(
                        "field 'timestamp': 2026-03-01T13:00:00.001Z is more than PT1H ahead of"
                                + " the end of the replayed range (2026-03-01T12:00:00Z)");
    }

    @Test
    void theLiveGuardMeasuresFromTheWallClock() {
        FutureTimestampGuard guard = FutureTimestampGuard.wallClock(Duration.ofHours(1));
        Instant now = Instant.now();

        assertThat(guard.check(now.plus(Duration.ofMinutes(59)))).isNull();
        assertThat(guard.check(Instant.parse("9999-12-31T23:59:59Z")))
                .startsWith("field 'timestamp': 9999-12-31T23:59:59Z is more than PT1H ahead of")
                .contains("the wall clock");
    }

    @Test
    void aFarFutureEventIsADeadLetterThatCarriesNoEventTime() {
        byte[] value =
                ("{\"eventId\":\"x\",\"userId\":\"u\",\"type\":\"CARD_PAYMENT\","
                                + "\"timestamp\":\"9999-12-31T23:59:59Z\",\"amount\":\"5.00\"}")
                        .getBytes(StandardCharsets.UTF_8);

        SourceRecord r =
                SourceRecord.parse(
                        "user-transactions",
                        0,
                        17,
                        value,
                        "user-transactions-0",
                        FutureTimestampGuard.wallClock(Duration.ofHours(1)));

        assertThat(r.event()).isNull();
        assertThat(r.deadLetter().reason()).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
        assertThat(r.deadLetter().offset()).isEqualTo(17);
        assertThat(r.eventTimeMillis()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void anAcceptedEventKnowsItsSourcePartition() {
        byte[] value =
                ("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"CARD_PAYMENT\","
                                + "\"timestamp\":\"2026-03-01T12:00:00Z\",\"amount\":\"5.00\"}")
                        .getBytes(StandardCharsets.UTF_8);

        SourceRecord r =
                SourceRecord.parse(
                        "user-transactions",
                        2,
                        0,
                        value,
                        SourceRecord.sourceName("user-transactions", 2),
                        FutureTimestampGuard.fixed(END, Duration.ofHours(1)));

        assertThat(r.event().source()).isEqualTo("user-transactions-2");
    }
}
