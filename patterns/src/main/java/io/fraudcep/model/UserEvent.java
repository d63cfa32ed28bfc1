package io.fraudcep.model;

import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One accepted user action of the log, as events.md defines it. Immutable; fields that the event's
 * family does not carry are null. Money is held in exact minor units (cents), never in binary
 * floating point.
 *
 * <p>A record, so CEP and the tests get value equality. Flink serializes it with the hand-written
 * {@link UserEventSerializer} (registered by {@code @TypeInfo}), not its record serializer: it is
 * the one type of the shuffle into the detection operator.
 *
 * @param eventId unique id of the action (1..128 characters)
 * @param userId the user the action belongs to (1..128 characters)
 * @param type what happened
 * @param timestamp event time, to the nanosecond as written
 * @param deviceId device of a login or of {@code DEVICE_REGISTERED}
 * @param ip login IP address, optional
 * @param country ISO 3166-1 alpha-2 code, optional
 * @param lat login latitude in degrees, optional (with lon)
 * @param lon login longitude in degrees, optional (with lat)
 * @param channel login channel, optional
 * @param amountCents transaction amount in minor units (amount × 100), null for non-transactions
 * @param currency ISO 4217 code, optional
 * @param counterpartyId the other account of a transfer
 * @param cardId card of a payment, optional
 * @param merchantId merchant of a payment, optional
 * @param mcc merchant category code, optional
 * @param payeeId payee of {@code PAYEE_ADDED}
 * @param source where the record was read ({@code topic-partition} or a file name), for per-source
 *     metrics of late events; null where unknown; never part of the JSON wire format (Flink's
 *     serializer carries it to the detection operator, whose late-event metrics read it)
 */
@TypeInfo(UserEventTypeInfo.Factory.class)
public record UserEvent(
        String eventId,
        String userId,
        EventType type,
        Instant timestamp,
        String deviceId,
        String ip,
        String country,
        Double lat,
        Double lon,
        String channel,
        Long amountCents,
        String currency,
        String counterpartyId,
        String cardId,
        String merchantId,
        String mcc,
        String payeeId,
        String source) {

    /** Event time in epoch milliseconds, the resolution of Flink's watermarks and timers. */
    public long timestampMillis() {
        return timestamp.toEpochMilli();
    }

    /** The same event without {@link #source()}. */
    public UserEvent withoutSource() {
        return new UserEvent(
                eventId,
                userId,
                type,
                timestamp,
                deviceId,
                ip,
                country,
                lat,
                lon,
                channel,
                amountCents,
                currency,
                counterpartyId,
                cardId,
                merchantId,
                mcc,
                payeeId,
                null);
    }

    public boolean hasCoordinates() {
        return lat != null && lon != null;
    }

    /** The amount in cents, for transactions; 0 for other events. */
    public long amount() {
        return amountCents == null ? 0L : amountCents;
    }

    public static Builder builder(
            String eventId, String userId, EventType type, Instant timestamp) {
        return new Builder(eventId, userId, type, timestamp);
    }

    /** Builds events field by field; used by the parser, the generator and tests. */
    public static final class Builder {
        private final String eventId;
        private final String userId;
        private final EventType type;
        private final Instant timestamp;
        private String deviceId;
        private String ip;
        private String country;
        private Double lat;
        private Double lon;
        private String channel;
        private Long amountCents;
        private String currency;
        private String counterpartyId;
        private String cardId;
        private String merchantId;
        private String mcc;
        private String payeeId;
        private String source;

        private Builder(String eventId, String userId, EventType type, Instant timestamp) {
            this.eventId = eventId;
            this.userId = userId;
            this.type = type;
            this.timestamp = timestamp;
        }

        public Builder deviceId(String v) {
            deviceId = v;
            return this;
        }

        public Builder ip(String v) {
            ip = v;
            return this;
        }

        public Builder country(String v) {
            country = v;
            return this;
        }

        public Builder coordinates(double latitude, double longitude) {
            lat = latitude;
            lon = longitude;
            return this;
        }

        public Builder channel(String v) {
            channel = v;
            return this;
        }

        public Builder amount(String decimal) {
            amountCents = Money.parseCents(decimal);
            return this;
        }

        public Builder amountCents(long cents) {
            amountCents = cents;
            return this;
        }

        public Builder currency(String v) {
            currency = v;
            return this;
        }

        public Builder counterpartyId(String v) {
            counterpartyId = v;
            return this;
        }

        public Builder cardId(String v) {
            cardId = v;
            return this;
        }

        public Builder merchantId(String v) {
            merchantId = v;
            return this;
        }

        public Builder mcc(String v) {
            mcc = v;
            return this;
        }

        public Builder payeeId(String v) {
            payeeId = v;
            return this;
        }

        public Builder source(String v) {
            source = v;
            return this;
        }

        public UserEvent build() {
            return new UserEvent(
                    eventId,
                    userId,
                    type,
                    timestamp,
                    deviceId,
                    ip,
                    country,
                    lat,
                    lon,
                    channel,
                    amountCents,
                    currency,
                    counterpartyId,
                    cardId,
                    merchantId,
                    mcc,
                    payeeId,
                    source);
        }
    }
}
