package io.fraudcep.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The per-user state's own serializers: exact round trips, compact, and restorable snapshots. */
class UserStateSerializerTest {

    private static final Instant T = Instant.parse("2026-03-01T12:00:00.123456789Z");

    private static UserEvent login() {
        return UserEvent.builder("e1", "u1", EventType.LOGIN_SUCCESS, T)
                .deviceId("d1")
                .ip("10.0.0.1")
                .country("DE")
                .coordinates(48.85, -2.35)
                .channel("web")
                .source("user-logins-3")
                .build();
    }

    private static UserEvent transfer() {
        return UserEvent.builder("e2", "u1", EventType.TRANSFER_OUT, T.plusMillis(1500))
                .amountCents(-1L)
                .currency("EUR")
                .counterpartyId("acct-9")
                .build();
    }

    private static UserEvent payment() {
        return UserEvent.builder("e3", "u1", EventType.CARD_PAYMENT, T.plusSeconds(90))
                .amountCents(Long.MAX_VALUE)
                .cardId("c1")
                .merchantId("m1")
                .mcc("5411")
                .build();
    }

    private static UserState full() {
        UserState st = new UserState("u1");
        st.timerAtMillis = T.toEpochMilli() + 86_400_000L;
        st.profile.lastEventTime = T.plusSeconds(90);
        st.profile.lastEventMillis = T.plusSeconds(90).toEpochMilli();
        st.profile.acceptedEvents = 300;
        st.profile.recentIdHashes = new long[] {-5L, 7L};
        st.profile.recentIdMillis = new long[] {T.toEpochMilli(), T.toEpochMilli() + 1500};
        st.profile.recentIdSubMillis = new int[] {456_789, 0};
        st.profile.devices = new String[] {"d1"};
        st.profile.deviceLastLoginMillis = new long[] {T.toEpochMilli()};
        st.profile.deviceLastLoginSubMillis = new int[] {456_789};
        st.rules.events =
                new EnrichedEvent[] {
                    new EnrichedEvent(login().withoutSource(), true, null, 0),
                    new EnrichedEvent(transfer(), false, T, 1),
                    new EnrichedEvent(payment(), false, T.plusMillis(1500), 2)
                };
        st.rules.words = 2;
        st.rules.masks = new long[] {1L, Long.MIN_VALUE, 0L, -1L, 6L, 0L};
        st.rules.layout = -42L;
        st.rules.maskedSlots = 3;
        st.rules.alertKeys = new String[] {"CARD_TESTING", "CARD_TESTING#shadow"};
        st.rules.lastAlerts = new Instant[] {T, T.plusNanos(1)};
        st.rules.deadlinesJudgedTo = T.minusNanos(1);
        return st;
    }

    private static byte[] bytes(UserState st) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        UserStateSerializer.INSTANCE.serialize(st, out);
        return out.getCopyOfBuffer();
    }

    private static UserState read(byte[] bytes) throws Exception {
        return UserStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
    }

    private static void assertSame(UserState copy, UserState st) {
        assertThat(copy.userId).isEqualTo(st.userId);
        assertThat(copy.timerAtMillis).isEqualTo(st.timerAtMillis);
        assertThat(copy.profile).usingRecursiveComparison().isEqualTo(st.profile);
        assertThat(copy.rules).usingRecursiveComparison().isEqualTo(st.rules);
    }

    @Test
    void roundTripsEveryFieldExactlyToTheNanosecond() throws Exception {
        UserState st = full();

        UserState copy = read(bytes(st));

        assertSame(copy, st);
        assertThat(copy.rules.events).containsExactly(st.rules.events);
    }

    @Test
    void roundTripsAUserWithoutRuleStateOrTimer() throws Exception {
        UserState st = new UserState("u2");

        assertSame(read(bytes(st)), st);
    }

    @Test
    void writesTheUserOnceAndNoEventSource() throws Exception {
        UserState st = full();
        st.rules.events[0] = new EnrichedEvent(login(), true, null, 0);

        UserState copy = read(bytes(st));

        assertThat(copy.rules.events).extracting(e -> e.event().userId()).containsOnly("u1");
        assertThat(copy.rules.events[0].event()).isEqualTo(login().withoutSource());
        // Three events, each with its fields, masks and facts: well under the POJO serializer's
        // (which writes every field name-less but with a null flag and full-width numbers).
        assertThat(bytes(st).length).isLessThan(300);
    }

    @Test
    void copyIsDeepForWhatIsMutable() {
        UserState st = full();

        UserState copy = UserStateSerializer.INSTANCE.copy(st);
        copy.rules.masks[0] = 99L;
        copy.profile.recentIdHashes[0] = 99L;
        copy.rules.alertKeys[0] = "X";

        assertThat(st.rules.masks[0]).isEqualTo(1L);
        assertThat(st.profile.recentIdHashes[0]).isEqualTo(-5L);
        assertThat(st.rules.alertKeys[0]).isEqualTo("CARD_TESTING");
        assertSame(UserStateSerializer.INSTANCE.copy(st), st);
    }

    @Test
    void aSnapshotRestoresTheSameSerializerAsCompatible() throws Exception {
        TypeSerializerSnapshot<UserState> snapshot =
                UserStateSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<UserState> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());

        TypeSerializerSchemaCompatibility<UserState> compatibility =
                UserStateSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(restored);

        assertThat(compatibility.isCompatibleAsIs()).isTrue();
        assertThat(restored.restoreSerializer()).isEqualTo(UserStateSerializer.INSTANCE);
    }

    @Test
    void roundTripsWaitingEventsWithTheirUser() throws Exception {
        UserEvent[] waiting = {login(), transfer(), payment()};
        DataOutputSerializer out = new DataOutputSerializer(256);
        WaitingEventsSerializer.INSTANCE.serialize(waiting, out);

        UserEvent[] copy =
                WaitingEventsSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(copy).containsExactly(login().withoutSource(), transfer(), payment());
    }
}
