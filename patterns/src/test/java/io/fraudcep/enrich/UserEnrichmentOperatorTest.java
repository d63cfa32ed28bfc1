package io.fraudcep.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserEnrichmentOperatorTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, UserEvent, EnrichedEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new UserEnrichmentOperator(EnrichmentSettings.DEFAULTS),
                        UserEvent::userId,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void releasesEachUsersEventsInEventTimeOrderOnceTheWatermarkPassesThem() throws Exception {
        send(payment("e3", "u1", T0.plusSeconds(3)));
        send(payment("e1", "u1", T0.plusSeconds(1)));
        send(payment("e2", "u1", T0.plusSeconds(2)));
        assertThat(harness.extractOutputValues()).isEmpty();

        watermark(T0.plusSeconds(2));
        assertThat(ids(harness.extractOutputValues())).containsExactly("e1", "e2");

        watermark(T0.plusSeconds(5));
        assertThat(ids(harness.extractOutputValues())).containsExactly("e1", "e2", "e3");
    }

    @Test
    void stampsEachReleasedEventWithItsOwnEventTime() throws Exception {
        send(payment("e1", "u1", T0.plusSeconds(1)));
        send(payment("e2", "u1", T0.plusSeconds(2)));
        watermark(T0.plusSeconds(10));

        // CEP downstream measures its windows on the record timestamps.
        assertThat(harness.getOutput())
                .filteredOn(o -> o instanceof StreamRecord)
                .extracting(o -> ((StreamRecord<?>) o).getTimestamp())
                .containsExactly(
                        T0.plusSeconds(1).toEpochMilli(), T0.plusSeconds(2).toEpochMilli());
    }

    @Test
    void waitingEventsHoldNoStateNorTimerAndEachUserKeepsOneTimerOnceReleased() throws Exception {
        for (int i = 5; i >= 1; i--) {
            send(payment("u1-" + i, "u1", T0.plusSeconds(i)));
        }
        for (int i = 1; i <= 5; i++) {
            send(payment("u2-" + i, "u2", T0.plusSeconds(10 * i)));
        }
        // Waiting for the watermark costs no keyed state and no timer, whatever the arrival order.
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();

        watermark(T0.plusSeconds(30));

        assertThat(harness.getOutput())
                .filteredOn(o -> o instanceof StreamRecord)
                .extracting(o -> (StreamRecord<?>) o)
                .extracting(
                        r -> ((EnrichedEvent) r.getValue()).event().eventId(),
                        StreamRecord::getTimestamp)
                .containsExactlyInAnyOrder(
                        tuple("u1-1", T0.plusSeconds(1).toEpochMilli()),
                        tuple("u1-2", T0.plusSeconds(2).toEpochMilli()),
                        tuple("u1-3", T0.plusSeconds(3).toEpochMilli()),
                        tuple("u1-4", T0.plusSeconds(4).toEpochMilli()),
                        tuple("u1-5", T0.plusSeconds(5).toEpochMilli()),
                        tuple("u2-1", T0.plusSeconds(10).toEpochMilli()),
                        tuple("u2-2", T0.plusSeconds(20).toEpochMilli()),
                        tuple("u2-3", T0.plusSeconds(30).toEpochMilli()));
        assertThat(ids(harness.extractOutputValues()))
                .containsSubsequence("u1-1", "u1-2", "u1-3", "u1-4", "u1-5")
                .containsSubsequence("u2-1", "u2-2", "u2-3");
        // One state value and one timer (the earliest expiry of its profile) per released user.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        watermark(T0.plusSeconds(50));
        assertThat(ids(harness.extractOutputValues())).endsWith("u2-4", "u2-5");
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
    }

    @Test
    void eventsWaitingAtACheckpointAreReleasedAfterARestoreInTheSameOrder() throws Exception {
        send(payment("u1-2", "u1", T0.plusSeconds(2)));
        send(payment("u1-1", "u1", T0.plusSeconds(1)));
        send(payment("u2-1", "u2", T0.plusSeconds(3)));
        watermark(T0.plusSeconds(1));
        assertThat(ids(harness.extractOutputValues())).containsExactly("u1-1");

        // As a task does: the pre-barrier step writes the waiting events to keyed state.
        harness.prepareSnapshotPreBarrier(1L);
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new UserEnrichmentOperator(EnrichmentSettings.DEFAULTS),
                        UserEvent::userId,
                        Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        send(payment("u1-3", "u1", T0.plusSeconds(4)));
        watermark(T0.plusSeconds(10));

        List<EnrichedEvent> out = harness.extractOutputValues();
        assertThat(ids(out)).containsExactlyInAnyOrder("u1-2", "u2-1", "u1-3");
        assertThat(ids(out)).containsSubsequence("u1-2", "u1-3");
        // The profile came through the checkpoint: u1-2 is u1's second event, u1-3 its third.
        assertThat(out)
                .filteredOn(e -> e.userId().equals("u1"))
                .extracting(EnrichedEvent::priorEvents)
                .containsExactly(1L, 2L);
        // Nothing is left waiting in keyed state once released: two users, one value each.
        harness.prepareSnapshotPreBarrier(2L);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void ordersEventsOfTheSameInstantByEventId() throws Exception {
        send(payment("b", "u1", T0));
        send(payment("a", "u1", T0));
        watermark(T0);

        assertThat(ids(harness.extractOutputValues())).containsExactly("a", "b");
    }

    @Test
    void routesEventsBehindTheWatermarkToTheLateOutput() throws Exception {
        watermark(T0.plusSeconds(10));
        send(payment("late", "u1", T0.plusSeconds(5)));
        watermark(T0.plusSeconds(20));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(UserEnrichmentOperator.LATE))
                .extracting(r -> r.getValue().eventId())
                .containsExactly("late");
    }

    @Test
    void dropsAnEventIdSeenForTheUserWithinTheLast24Hours() throws Exception {
        send(payment("e1", "u1", T0));
        send(payment("e1", "u1", T0));
        send(payment("e1", "u1", T0.plus(Duration.ofHours(24)).minusMillis(1)));
        send(payment("e1", "u2", T0));
        watermark(T0.plus(Duration.ofHours(25)));
        send(payment("e1", "u1", T0.plus(Duration.ofHours(48))));
        watermark(T0.plus(Duration.ofHours(49)));

        assertThat(harness.extractOutputValues())
                .extracting(e -> e.userId() + "@" + e.timestamp())
                .containsExactly("u1@" + T0, "u2@" + T0, "u1@" + T0.plus(Duration.ofHours(48)));
        assertThat(harness.getSideOutput(UserEnrichmentOperator.DUPLICATES)).hasSize(2);
    }

    @Test
    void flagsALoginFromADeviceUnseenInTheLast180Days() throws Exception {
        send(login("first", "u1", T0, "d1"));
        send(login("same", "u1", T0.plusSeconds(60), "d1"));
        send(login("other", "u1", T0.plusSeconds(120), "d2"));
        Instant later = T0.plusSeconds(120).plus(Duration.ofDays(180));
        send(login("after-180d", "u1", later, "d1"));
        watermark(later);

        assertThat(harness.extractOutputValues())
                .extracting(e -> e.eventId() + "=" + e.newDevice())
                .containsExactly("first=false", "same=false", "other=true", "after-180d=false");
    }

    @Test
    void aDeviceLastUsedMoreThan180DaysAgoIsNewAgain() throws Exception {
        send(login("old", "u1", T0, "d1"));
        send(login("recent", "u1", T0.plus(Duration.ofDays(100)), "d2"));
        send(login("back", "u1", T0.plus(Duration.ofDays(181)), "d1"));
        watermark(T0.plus(Duration.ofDays(181)));

        assertThat(harness.extractOutputValues())
                .extracting(EnrichedEvent::newDevice)
                .containsExactly(false, true, true);
    }

    /**
     * Regression (bug 1 of "Exact on any log"): one watermark step passes both a waiting event and
     * the expiry of a device the user last used 100 days before it. The event must be judged as of
     * its own time: the device is still known then, whatever clean-up is due later in the step.
     */
    @Test
    void aReturningUsersDevicesAreJudgedAsOfTheEventWhenOneWatermarkStepPassesTheirExpiry()
            throws Exception {
        Instant jan5 = Instant.parse("2026-01-05T09:00:00Z");
        Instant apr15 = Instant.parse("2026-04-15T08:00:00Z");
        send(login("old-d0", "u1", jan5, "d0"));
        watermark(Instant.parse("2026-01-07T00:00:00Z"));
        send(login("new-d2", "u1", apr15, "d2"));
        send(login("back-d0", "u1", apr15.plus(Duration.ofHours(3)), "d0"));
        watermark(Instant.parse("2026-07-10T00:00:00Z"));

        assertThat(harness.extractOutputValues())
                .extracting(e -> e.eventId() + "=" + e.newDevice())
                .containsExactly("old-d0=false", "new-d2=true", "back-d0=false");
    }

    /** The converse of the case above: a device unseen in 101 days is new while d1 is known. */
    @Test
    void aNewDeviceAfterA101DayGapIsNewWhenOneWatermarkStepPassesTheOldDevicesExpiry()
            throws Exception {
        send(login("d1-day0", "u1", T0, "d1"));
        watermark(T0.plus(Duration.ofDays(1)));
        send(login("d9-day101", "u1", T0.plus(Duration.ofDays(101)), "d9"));
        watermark(T0.plus(Duration.ofDays(200)));

        assertThat(harness.extractOutputValues())
                .extracting(e -> e.eventId() + "=" + e.newDevice())
                .containsExactly("d1-day0=false", "d9-day101=true");
    }

    /**
     * The same for de-duplication: a retry is recognised even if its id's expiry is in the step.
     */
    @Test
    void aRetryIsDroppedWhenOneWatermarkStepPassesTheOriginalsHorizon() throws Exception {
        send(payment("p1", "u1", T0));
        watermark(T0.plusSeconds(1));
        send(payment("p1", "u1", T0.plus(Duration.ofHours(23))));
        watermark(T0.plus(Duration.ofHours(30)));

        assertThat(harness.extractOutputValues())
                .extracting(EnrichedEvent::eventId)
                .containsExactly("p1");
        assertThat(harness.getSideOutput(UserEnrichmentOperator.DUPLICATES)).hasSize(1);
    }

    /**
     * Regression (found by bin/fraud fuzz, seeds 1011, 1028, 1031, 1048): the look-back is exact to
     * the nanosecond, not to the millisecond. d0 was used 180 days minus 499 ns before the login
     * from d9, within the look-back, so d9 is new; in milliseconds the two are exactly 180 days
     * apart and d0 looked forgotten.
     */
    @Test
    void theDeviceLookBackIsExactToTheNanosecond() throws Exception {
        Instant d0 = Instant.parse("2026-01-05T09:00:00.017999999Z");
        Instant later = Instant.parse("2026-07-04T09:00:00.017999500Z");
        assertThat(Duration.between(d0, later)).isEqualTo(Duration.ofDays(180).minusNanos(499));
        send(login("d0-login", "u1", d0, "d0"));
        send(login("d9-login", "u1", later, "d9"));
        // d0 again 1 ns before its 180 days run out (still known), then exactly at them (new).
        send(login("d0-known", "u1", later.plusNanos(498), "d0"));
        watermark(later.plusSeconds(1));

        assertThat(harness.extractOutputValues())
                .extracting(e -> e.eventId() + "=" + e.newDevice())
                .containsExactly("d0-login=false", "d9-login=true", "d0-known=false");
    }

    /** At exactly 180 days the device is forgotten, and a login from it is from a new device. */
    @Test
    void aDeviceIsForgottenExactly180DaysAfterItsLastLogin() throws Exception {
        Instant d0 = Instant.parse("2026-01-05T09:00:00.017999999Z");
        Instant d9 = d0.plus(Duration.ofDays(100));
        send(login("d0-login", "u1", d0, "d0"));
        send(login("d9-login", "u1", d9, "d9"));
        send(login("d0-back", "u1", d0.plus(Duration.ofDays(180)), "d0"));
        watermark(d0.plus(Duration.ofDays(181)));

        assertThat(harness.extractOutputValues())
                .extracting(e -> e.eventId() + "=" + e.newDevice())
                .containsExactly("d0-login=false", "d9-login=true", "d0-back=true");
    }

    /** The same for de-duplication: a retry 24 h minus 1 ns after the original is a duplicate. */
    @Test
    void theDuplicateHorizonIsExactToTheNanosecond() throws Exception {
        Instant first = Instant.parse("2026-03-01T12:00:00.000000999Z");
        send(payment("p1", "u1", first));
        send(payment("p1", "u1", first.plus(Duration.ofHours(24)).minusNanos(1)));
        send(payment("p1", "u1", first.plus(Duration.ofHours(48))));
        watermark(first.plus(Duration.ofHours(49)));

        assertThat(harness.extractOutputValues())
                .extracting(EnrichedEvent::timestamp)
                .containsExactly(first, first.plus(Duration.ofHours(48)));
        assertThat(harness.getSideOutput(UserEnrichmentOperator.DUPLICATES)).hasSize(1);
    }

    @Test
    void carriesThePreviousEventTimeAndTheNumberOfEarlierEvents() throws Exception {
        send(geoLogin("paris", "u1", T0, 48.85, 2.35));
        send(payment("pay", "u1", T0.plusSeconds(30)));
        send(payment("pay", "u1", T0.plusSeconds(31)));
        send(login("no-geo", "u1", T0.plusSeconds(60), "d1"));
        watermark(T0.plusSeconds(90));

        List<EnrichedEvent> out = harness.extractOutputValues();
        assertThat(out)
                .extracting(EnrichedEvent::eventId)
                .containsExactly("paris", "pay", "no-geo");
        assertThat(out)
                .extracting(EnrichedEvent::previousEventTime)
                .containsExactly(null, T0, T0.plusSeconds(30));
        // The re-sent payment is a duplicate: it is not counted.
        assertThat(out).extracting(EnrichedEvent::priorEvents).containsExactly(0L, 1L, 2L);
    }

    @Test
    void anIdleUserKeepsOnlyItsProfileAndNoTimer() throws Exception {
        send(login("l1", "u1", T0, "d1"));
        send(payment("p1", "u1", T0.plusSeconds(1)));
        watermark(T0.plusSeconds(1));
        assertThat(harness.numEventTimeTimers()).isPositive();

        watermark(T0.plus(Duration.ofDays(181)));

        assertThat(harness.numEventTimeTimers()).isZero();
        // The profile alone: last activity (for dormancy) and the last coordinate login.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void forgetsIdsPastTheHorizonAndDevicesPastTheLookback() {
        UserEnrichmentOperator f = new UserEnrichmentOperator(EnrichmentSettings.DEFAULTS);
        UserProfile p = new UserProfile();
        f.accept(p, login("l1", "u1", T0, "d1"));
        f.accept(p, payment("p1", "u1", T0.plusSeconds(1)));
        assertThat(p.recentIdHashes).hasSize(2);

        f.forgetExpired(p, T0.plus(Duration.ofHours(24)).plusSeconds(1).toEpochMilli());
        assertThat(p.recentIdHashes).isEmpty();
        assertThat(p.devices).containsExactly("d1");

        f.forgetExpired(p, T0.plus(Duration.ofDays(180)).toEpochMilli());
        assertThat(p.devices).isEmpty();
        assertThat(p.lastEventTime).isEqualTo(T0.plusSeconds(1));
    }

    private void send(UserEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.timestampMillis()));
    }

    private void watermark(Instant t) throws Exception {
        harness.processWatermark(t.toEpochMilli());
    }

    private static List<String> ids(List<EnrichedEvent> events) {
        return events.stream().map(EnrichedEvent::eventId).toList();
    }

    static UserEvent payment(String id, String user, Instant t) {
        return UserEvent.builder(id, user, EventType.CARD_PAYMENT, t).amount("12.00").build();
    }

    static UserEvent login(String id, String user, Instant t, String device) {
        return UserEvent.builder(id, user, EventType.LOGIN_SUCCESS, t).deviceId(device).build();
    }

    static UserEvent geoLogin(String id, String user, Instant t, double lat, double lon) {
        return UserEvent.builder(id, user, EventType.LOGIN_SUCCESS, t)
                .deviceId("d1")
                .coordinates(lat, lon)
                .build();
    }
}
