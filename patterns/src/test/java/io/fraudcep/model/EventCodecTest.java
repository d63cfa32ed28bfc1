package io.fraudcep.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {

    private static final String LOGIN =
            "{\"eventId\":\"e-1\",\"userId\":\"u-42\",\"type\":\"LOGIN_SUCCESS\","
                    + "\"timestamp\":\"2026-03-01T12:00:00Z\",\"deviceId\":\"d-7\","
                    + "\"ip\":\"203.0.113.9\",\"country\":\"FR\",\"lat\":48.85,\"lon\":2.35}";

    @Test
    void acceptsTheContractExampleLogin() {
        ParseResult r = EventCodec.parse(LOGIN);

        assertThat(r.isAccepted()).isTrue();
        UserEvent e = r.event();
        assertThat(e.eventId()).isEqualTo("e-1");
        assertThat(e.userId()).isEqualTo("u-42");
        assertThat(e.type()).isEqualTo(EventType.LOGIN_SUCCESS);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(e.deviceId()).isEqualTo("d-7");
        assertThat(e.lat()).isEqualTo(48.85);
        assertThat(e.lon()).isEqualTo(2.35);
        assertThat(e.amountCents()).isNull();
    }

    @Test
    void readsAmountsExactlyFromStringsAndNumbers() {
        assertThat(transfer("\"2500.00\"").event().amountCents()).isEqualTo(250000L);
        assertThat(transfer("0.1").event().amountCents()).isEqualTo(10L);
        assertThat(transfer("1e3").event().amountCents()).isEqualTo(100000L);
        assertThat(transfer("9999.99").event().amountCents()).isEqualTo(999999L);
        assertThat(transfer("\"12.340\"").event().amountCents())
                .as("trailing zeros are not fraction digits of the value")
                .isEqualTo(1234L);
    }

    @Test
    void keepsNanosecondsOfTheTimestamp() {
        UserEvent e = EventCodec.parse(LOGIN.replace("12:00:00Z", "12:00:00.123456789Z")).event();

        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123456789Z"));
    }

    @Test
    void parsesTimestampsExactlyAsInstantParseDoes() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant expected =
                    Instant.ofEpochSecond(
                            random.nextInt(2_000_000_000) + 1_000_000_000L,
                            random.nextInt(1_000_000_000));
            int digits = random.nextInt(10);
            String text = java.time.format.DateTimeFormatter.ISO_INSTANT.format(expected);
            String base = text.substring(0, 19);
            String fraction = String.format("%09d", expected.getNano()).substring(0, digits);
            String written = base + (digits == 0 ? "" : "." + fraction) + "Z";

            assertThat(EventCodec.parseTimestamp(written))
                    .as(written)
                    .isEqualTo(Instant.parse(written));
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "2026-02-29T00:00:00Z",
                "2026-04-31T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-01-01T24:00:00Z",
                "2026-01-01T00:60:00Z",
                "2026-01-01T00:00:60Z",
                "2026-01-01T00:00:00.Z",
                "2026-01-01T00:00:00.1234567890Z",
                "2026-01-01 00:00:00Z",
                "2026-01-01T00:00:00z",
                "2026-01-01T00:00:00",
                "+2026-01-01T00:00:00Z",
                "2026-1-01T00:00:00Z"
            })
    void rejectsTimestampsThatAreNotStrictUtcInstants(String text) {
        assertThat(EventCodec.parseTimestamp(text)).isNull();
    }

    @Test
    void acceptsALeapDay() {
        assertThat(EventCodec.parseTimestamp("2024-02-29T23:59:59.999999999Z"))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59.999999999Z"));
    }

    @Test
    void ignoresUnknownFieldsAndFieldsOfOtherFamilies() {
        ParseResult r =
                EventCodec.parse(
                        LOGIN.replace("}", ",\"future\":{\"nested\":[1,2]},\"amount\":\"oops\"}"));

        assertThat(r.isAccepted()).isTrue();
        assertThat(r.event().amountCents()).isNull();
    }

    @Test
    void writesTheWireFormatItReads() {
        UserEvent original =
                UserEvent.builder(
                                "e-2",
                                "u-42",
                                EventType.TRANSFER_OUT,
                                Instant.parse("2026-03-01T12:03:10.5Z"))
                        .amount("2500.05")
                        .currency("EUR")
                        .counterpartyId("acct-991")
                        .build();

        String json = EventCodec.toJson(original);

        assertThat(json)
                .contains("\"amount\":\"2500.05\"", "\"timestamp\":\"2026-03-01T12:03:10.500Z\"");
        assertThat(EventCodec.parse(json).event()).isEqualTo(original);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not JSON                 | not json at all | NOT_JSON",
                "truncated object         | {\"eventId\":\"e\" | NOT_JSON",
                "trailing content         | {\"a\":1} x | NOT_JSON",
                "duplicate key            | {\"eventId\":\"a\",\"eventId\":\"b\"} | NOT_JSON",
                "array                    | [1,2,3] | NOT_AN_OBJECT",
                "string                   | \"text\" | NOT_AN_OBJECT",
                "unknown type             | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"TELEPORT\",\"timestamp\":\"2026-01-06T00:00:00Z\"} | UNKNOWN_TYPE",
                "missing userId           | {\"eventId\":\"e\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":\"x\"} | MISSING_FIELD",
                "missing eventId          | {\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":\"x\"} | MISSING_FIELD",
                "missing type             | {\"eventId\":\"e\",\"userId\":\"u\",\"timestamp\":\"2026-01-06T00:00:00Z\"} | MISSING_FIELD",
                "missing timestamp        | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\",\"deviceId\":\"x\"} | MISSING_FIELD",
                "null userId              | {\"eventId\":\"e\",\"userId\":null,\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":\"x\"} | MISSING_FIELD",
                "numeric eventId          | {\"eventId\":7,\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":\"x\"} | WRONG_TYPE",
                "object deviceId          | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":{}} | WRONG_TYPE",
                "string latitude          | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":\"x\",\"lat\":\"1\",\"lon\":2} | WRONG_TYPE",
                "boolean amount           | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"DEPOSIT\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"amount\":true} | WRONG_TYPE",
                "empty userId             | {\"eventId\":\"e\",\"userId\":\"\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":\"x\"} | OUT_OF_RANGE",
                "timestamp yesterday      | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"DEPOSIT\",\"timestamp\":\"yesterday\",\"amount\":\"10\"} | OUT_OF_RANGE",
                "timestamp with offset    | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"DEPOSIT\",\"timestamp\":\"2026-01-06T00:00:00+01:00\",\"amount\":\"10\"} | OUT_OF_RANGE",
                "timestamp 10 digits      | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"DEPOSIT\",\"timestamp\":\"2026-01-06T00:00:00.1234567890Z\",\"amount\":\"10\"} | OUT_OF_RANGE",
                "timestamp Feb 30         | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"DEPOSIT\",\"timestamp\":\"2026-02-30T00:00:00Z\",\"amount\":\"10\"} | OUT_OF_RANGE",
                "login without device     | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"LOGIN_FAILURE\",\"timestamp\":\"2026-01-06T00:00:00Z\"} | MISSING_FIELD",
                "lat without lon          | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":\"x\",\"lat\":1.0} | MISSING_FIELD",
                "latitude 91              | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":\"x\",\"lat\":91,\"lon\":0} | OUT_OF_RANGE",
                "longitude -181           | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":\"x\",\"lat\":0,\"lon\":-181} | OUT_OF_RANGE",
                "country not alpha-2      | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"LOGIN_SUCCESS\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"deviceId\":\"x\",\"country\":\"France\"} | OUT_OF_RANGE",
                "missing amount           | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"DEPOSIT\",\"timestamp\":\"2026-01-06T00:00:00Z\"} | MISSING_FIELD",
                "negative amount          | {\"eventId\":\"bad-2\",\"userId\":\"u\",\"type\":\"CARD_PAYMENT\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"amount\":-5} | OUT_OF_RANGE",
                "zero amount              | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"CARD_PAYMENT\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"amount\":\"0.00\"} | OUT_OF_RANGE",
                "three fraction digits    | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"TRANSFER_OUT\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"amount\":\"12.345\",\"counterpartyId\":\"c\"} | OUT_OF_RANGE",
                "amount not a number      | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"DEPOSIT\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"amount\":\"ten\"} | OUT_OF_RANGE",
                "bad currency             | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"DEPOSIT\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"amount\":\"10\",\"currency\":\"euro\"} | OUT_OF_RANGE",
                "transfer w/o counterparty| {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"TRANSFER_IN\",\"timestamp\":\"2026-01-06T00:00:00Z\",\"amount\":\"10\"} | MISSING_FIELD",
                "payee without payeeId    | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"PAYEE_ADDED\",\"timestamp\":\"2026-01-06T00:00:00Z\"} | MISSING_FIELD",
                "device reg. w/o deviceId | {\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"DEVICE_REGISTERED\",\"timestamp\":\"2026-01-06T00:00:00Z\"} | MISSING_FIELD",
            })
    void rejectsWhatBreaksTheContract(String name, String json, RejectReason reason) {
        ParseResult r = EventCodec.parse(json);

        assertThat(r.isAccepted()).isFalse();
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.detail()).isNotBlank();
    }

    @Test
    void namesTheFieldAtFault() {
        assertThat(transfer("\"12.345\"").detail()).contains("amount", "2 fraction digits");
        assertThat(
                        EventCodec.parse(
                                        "{\"eventId\":\"e\",\"type\":\"LOGIN_SUCCESS\","
                                                + "\"timestamp\":\"2026-01-06T00:00:00Z\"}")
                                .detail())
                .contains("userId");
    }

    @Test
    void rejectsIdsLongerThan128Characters() {
        String longId = "x".repeat(129);
        ParseResult r = EventCodec.parse(LOGIN.replace("\"e-1\"", "\"" + longId + "\""));

        assertThat(r.reason()).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(
                        EventCodec.parse(LOGIN.replace("\"e-1\"", "\"" + "x".repeat(128) + "\""))
                                .isAccepted())
                .isTrue();
    }

    @Test
    void rejectsRecordsOver64KiBUnread() {
        String padded = LOGIN.replace("}", ",\"pad\":\"" + "p".repeat(70_000) + "\"}");

        ParseResult r = EventCodec.parse(padded);

        assertThat(r.reason()).isEqualTo(RejectReason.TOO_LARGE);
    }

    @Test
    void rejectsEmptyAndNullValues() {
        assertThat(EventCodec.parse(new byte[0]).reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(EventCodec.parse((byte[]) null).reason()).isEqualTo(RejectReason.NOT_JSON);
    }

    private static ParseResult transfer(String amount) {
        return EventCodec.parse(
                "{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"TRANSFER_OUT\","
                        + "\"timestamp\":\"2026-01-06T00:00:00Z\",\"counterpartyId\":\"c\","
                        + "\"amount\":"
                        + amount
                        + "}");
    }
}
