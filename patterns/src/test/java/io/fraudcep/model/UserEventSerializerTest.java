package io.fraudcep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudcep.enrich.EnrichedEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link UserEventSerializer} against Flink's contract tests of a serializer (serialize, copy, copy
 * between views, duplicate across threads, snapshot and restore), over events that reach every
 * branch of the format, plus the format itself, byte for byte.
 */
class UserEventSerializerTest extends SerializerTestBase<UserEvent> {

    private static final Instant T = Instant.parse("2026-03-01T12:00:00.123456789Z");

    @Override
    protected TypeSerializer<UserEvent> createSerializer() {
        return new UserEventSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<UserEvent> getTypeClass() {
        return UserEvent.class;
    }

    @Override
    protected UserEvent[] getTestData() {
        List<UserEvent> events = new ArrayList<>();
        for (EventType type : EventType.values()) {
            events.add(typical(type));
        }
        events.add(UserEvent.builder("e-min", "u1", EventType.PASSWORD_CHANGE, T).build());
        events.add(everyField());
        events.add(new UserEventSerializer().createInstance());
        events.add(
                UserEvent.builder("", "", EventType.LOGIN_FAILURE, T)
                        .deviceId("")
                        .source("")
                        .build());
        // Latin-1 beyond ASCII, CJK, an emoji (a surrogate pair) and unpaired surrogates.
        events.add(
                UserEvent.builder("Zürich-ÿ", "東京-user", EventType.LOGIN_SUCCESS, T)
                        .deviceId("card \uD83D\uDCB3")
                        .ip("\uD800")
                        .country("x\uDC00y")
                        .channel("\uDBFF\uD800")
                        .source("topic-東京-0")
                        .build());
        events.add(
                UserEvent.builder(
                                "e".repeat(128),
                                "u".repeat(128),
                                EventType.TRANSFER_OUT,
                                Instant.ofEpochSecond(1, 1))
                        .counterpartyId("東".repeat(128))
                        .amountCents(Long.MAX_VALUE)
                        .currency("é".repeat(128))
                        .build());
        events.add(amount(0, Instant.ofEpochSecond(-1, 999_999_999)));
        events.add(amount(-1, Instant.EPOCH));
        events.add(amount(-123_456_789_012L, Instant.MIN));
        events.add(amount(Long.MIN_VALUE, Instant.MAX));
        events.add(login(-0.0, -0.0));
        events.add(login(0.0, 0.0));
        events.add(login(90.0, 180.0));
        events.add(login(-90.0, -180.0));
        events.add(login(Double.MIN_VALUE, -Double.MAX_VALUE));
        events.add(login(Double.NaN, Double.POSITIVE_INFINITY));
        return events.toArray(new UserEvent[0]);
    }

    @Test
    void everyTypeInformationOfUserEventIsTheHandWrittenSerializer() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);

        TypeInformation<UserEvent> info = TypeInformation.of(UserEvent.class);

        assertThat(info).isInstanceOf(UserEventTypeInfo.class);
        assertThat(info.createSerializer(config)).isInstanceOf(UserEventSerializer.class);
        assertThat(info.createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(UserEventSerializer.class);
    }

    @Test
    void anEnrichedEventCarriesItsEventWithTheHandWrittenSerializer() throws IOException {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        PojoTypeInfo<EnrichedEvent> info =
                (PojoTypeInfo<EnrichedEvent>) TypeInformation.of(EnrichedEvent.class);
        EnrichedEvent enriched = new EnrichedEvent(everyField(), true, T.minusNanos(1), 3);

        assertThat(info.getTypeAt("event")).isInstanceOf(UserEventTypeInfo.class);
        TypeSerializer<EnrichedEvent> serializer = info.createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(enriched, out);
        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(enriched);
    }

    /** Format version 1, pinned: a change here needs a new snapshot version. */
    @Test
    void writesFormatVersionOneByteForByte() throws IOException {
        UserEvent event =
                UserEvent.builder(
                                "e1",
                                "u1",
                                EventType.CARD_PAYMENT,
                                Instant.ofEpochSecond(1, 500_000_001))
                        .coordinates(-0.0, 1.5)
                        .amountCents(-3)
                        .mcc("5411")
                        .build();

        byte[] bytes = serialize(new UserEventSerializer(), event);

        assertThat(HexFormat.of().formatHex(bytes))
                .isEqualTo(
                        "25" // frame: 37 bytes
                                + "d810" // present: lat, lon, amount, mcc
                                + "02" // CARD_PAYMENT
                                + "02" // 1 s, zig-zag
                                + "81cab5ee01" // 500,000,001 ns
                                + "05"
                                + "6531" // "e1", Latin-1
                                + "05"
                                + "7531" // "u1", Latin-1
                                + "8000000000000000" // lat -0.0
                                + "3ff8000000000000" // lon 1.5
                                + "05" // -3 cents, zig-zag
                                + "09"
                                + "35343131"); // mcc "5411", Latin-1
        assertThat(new UserEventSerializer().deserialize(new DataInputDeserializer(bytes)))
                .isEqualTo(event);
    }

    @Test
    void writesLatinOneStringsInOneByteAndOthersInTwoBytesPerChar() throws IOException {
        UserEventSerializer serializer = new UserEventSerializer();
        UserEvent latin =
                UserEvent.builder("é".repeat(20), "u", EventType.LOGIN_FAILURE, T).build();
        UserEvent cjk = UserEvent.builder("東".repeat(20), "u", EventType.LOGIN_FAILURE, T).build();

        int latinBytes = serialize(serializer, latin).length;
        int cjkBytes = serialize(serializer, cjk).length;

        assertThat(cjkBytes - latinBytes).isEqualTo(20);
    }

    @Test
    void aCorruptFrameFailsWithAnIoException() throws IOException {
        byte[] bytes = serialize(new UserEventSerializer(), typical(EventType.DEPOSIT));
        // After the frame length and a two-byte presence mask: the event type.
        bytes[3] = (byte) 0x7f;

        assertThatThrownBy(
                        () ->
                                new UserEventSerializer()
                                        .deserialize(new DataInputDeserializer(bytes)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("event type 127");
    }

    /**
     * Only the network carries events in this format: no state holds them with Flink's record
     * serializer (waiting events have their own, {@code WaitingEventsSerializer}), and a snapshot
     * of that serializer is refused rather than misread.
     */
    @Test
    void aRecordSerializerSnapshotIsNotReadAsThisFormat() {
        @SuppressWarnings("unchecked")
        TypeSerializer<UserEvent> recordSerializer =
                (TypeSerializer<UserEvent>)
                        (TypeSerializer<?>)
                                new PojoTypeInfo<>(UserEvent.class, List.of())
                                        .createSerializer(new SerializerConfigImpl());
        TypeSerializerSnapshot<UserEvent> old = recordSerializer.snapshotConfiguration();

        TypeSerializerSchemaCompatibility<UserEvent> compatibility =
                new UserEventSerializer().snapshotConfiguration().resolveSchemaCompatibility(old);

        assertThat(compatibility.isIncompatible()).isTrue();
    }

    private static byte[] serialize(UserEventSerializer serializer, UserEvent event)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(event, out);
        return out.getCopyOfBuffer();
    }

    private static UserEvent typical(EventType type) {
        UserEvent.Builder b =
                UserEvent.builder(
                                "evt-" + type.ordinal(),
                                "user-42",
                                type,
                                T.plusNanos(type.ordinal()))
                        .source("user-logins-" + type.ordinal());
        switch (type.family()) {
            case LOGIN ->
                    b.deviceId("dev-1")
                            .ip("203.0.113.7")
                            .country("FR")
                            .coordinates(48.8566, 2.3522)
                            .channel("web");
            case TRANSACTION ->
                    b.amount("1234.56")
                            .currency("EUR")
                            .counterpartyId("acct-9")
                            .cardId("card-1")
                            .merchantId("m-1")
                            .mcc("5411");
            case ACCOUNT_CHANGE -> b.deviceId("dev-2").payeeId("payee-7");
        }
        return b.build();
    }

    private static UserEvent everyField() {
        return UserEvent.builder("e-all", "u-all", EventType.CARD_PAYMENT, T)
                .deviceId("d")
                .ip("::1")
                .country("DE")
                .coordinates(52.52, 13.405)
                .channel("mobile")
                .amountCents(999)
                .currency("EUR")
                .counterpartyId("cp")
                .cardId("c")
                .merchantId("m")
                .mcc("5999")
                .payeeId("p")
                .source("user-transactions-3")
                .build();
    }

    private static UserEvent amount(long cents, Instant t) {
        return UserEvent.builder("e-amount-" + cents, "u", EventType.WITHDRAWAL, t)
                .amountCents(cents)
                .build();
    }

    private static UserEvent login(double lat, double lon) {
        return UserEvent.builder("e-geo-" + lat + "," + lon, "u", EventType.LOGIN_SUCCESS, T)
                .coordinates(lat, lon)
                .build();
    }
}
