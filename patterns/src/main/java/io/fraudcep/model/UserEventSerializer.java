package io.fraudcep.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer of {@link UserEvent} between operators: what every event costs on the shuffle
 * into the detection operator (keyBy user), where a profile found Flink's record serializer
 * (field-by-field, with {@code StringValue}'s char-by-char string codec) spending a tenth of the
 * pipeline's CPU. {@link UserEventTypeInfo} makes every {@code TypeInformation.of(UserEvent.class)}
 * use it.
 *
 * <p>Format version 1 ({@link Snapshot}): a frame, {@code length (varint)} then that many bytes, so
 * a record is written and read with one bulk copy each and {@link #copy(DataInputView,
 * DataOutputView)} copies bytes. The frame holds, in order:
 *
 * <ol>
 *   <li>the presence mask (varint): bits 0 to 13 set for each optional field present ({@code
 *       deviceId ip country lat lon channel amountCents currency counterpartyId cardId merchantId
 *       mcc payeeId source}), bits 14 to 17 set for each required field that is null ({@code
 *       eventId userId type timestamp}, never on a valid event, so it stays two bytes);
 *   <li>{@code type} as its ordinal in one byte (new event types go at the end of the enum);
 *   <li>{@code timestamp} exact to the nanosecond: epoch seconds (zig-zag varlong), then the
 *       nanoseconds within the second (varint);
 *   <li>{@code eventId} and {@code userId}, then the optional fields present, in the record's
 *       order.
 * </ol>
 *
 * <p>A string is a header varint {@code length << 1 | latin1}, then, if every char is at most 0xFF,
 * one byte per char (an array copy for the JDK's compact strings), else two bytes per UTF-16 char,
 * big-endian, so any string (unpaired surrogates included) comes back exactly. {@code lat} and
 * {@code lon} are raw IEEE 754 bits (8 bytes each), {@code amountCents} a zig-zag varlong.
 *
 * <p>{@code source} (where the event was read) is kept: the detection operator's per-source metrics
 * of late events read it after the shuffle.
 *
 * <p>An instance holds a reusable buffer, so it is not thread-safe: {@link #duplicate()} returns a
 * new instance, as Flink expects of stateful serializers.
 */
public final class UserEventSerializer extends TypeSerializer<UserEvent> {

    private static final long serialVersionUID = 1L;

    private static final EventType[] TYPES = EventType.values();

    private static final int DEVICE_ID = 1;
    private static final int IP = 1 << 1;
    private static final int COUNTRY = 1 << 2;
    private static final int LAT = 1 << 3;
    private static final int LON = 1 << 4;
    private static final int CHANNEL = 1 << 5;
    private static final int AMOUNT = 1 << 6;
    private static final int CURRENCY = 1 << 7;
    private static final int COUNTERPARTY_ID = 1 << 8;
    private static final int CARD_ID = 1 << 9;
    private static final int MERCHANT_ID = 1 << 10;
    private static final int MCC = 1 << 11;
    private static final int PAYEE_ID = 1 << 12;
    private static final int SOURCE = 1 << 13;
    private static final int NO_EVENT_ID = 1 << 14;
    private static final int NO_USER_ID = 1 << 15;
    private static final int NO_TYPE = 1 << 16;
    private static final int NO_TIMESTAMP = 1 << 17;
    private static final int KNOWN_BITS = (1 << 18) - 1;

    /** Mask bits, type, seconds, nanos, amount, lat, lon: 3 + 1 + 10 + 5 + 10 + 8 + 8. */
    private static final int FIXED_MAX = 45;

    /** Header of a string: a varint of up to 5 bytes. */
    private static final int STRING_HEADER_MAX = 5;

    /** The frame being written or read; grows to the largest record seen. Never shared. */
    private transient byte[] buf;

    private transient int pos;

    /** The end of the frame being read. */
    private transient int limit;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<UserEvent> duplicate() {
        return new UserEventSerializer();
    }

    /** An event without any field: Flink asks for an instance, events are never reused. */
    @Override
    public UserEvent createInstance() {
        return new UserEvent(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    @Override
    public UserEvent copy(UserEvent from) {
        return from;
    }

    @Override
    public UserEvent copy(UserEvent from, UserEvent reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(UserEvent e, DataOutputView out) throws IOException {
        int present =
                bit(e.deviceId(), DEVICE_ID)
                        | bit(e.ip(), IP)
                        | bit(e.country(), COUNTRY)
                        | bit(e.lat(), LAT)
                        | bit(e.lon(), LON)
                        | bit(e.channel(), CHANNEL)
                        | bit(e.amountCents(), AMOUNT)
                        | bit(e.currency(), CURRENCY)
                        | bit(e.counterpartyId(), COUNTERPARTY_ID)
                        | bit(e.cardId(), CARD_ID)
                        | bit(e.merchantId(), MERCHANT_ID)
                        | bit(e.mcc(), MCC)
                        | bit(e.payeeId(), PAYEE_ID)
                        | bit(e.source(), SOURCE)
                        | (e.eventId() == null ? NO_EVENT_ID : 0)
                        | (e.userId() == null ? NO_USER_ID : 0)
                        | (e.type() == null ? NO_TYPE : 0)
                        | (e.timestamp() == null ? NO_TIMESTAMP : 0);
        // One capacity check for the whole frame: the put methods below do none.
        long max =
                FIXED_MAX
                        + maxBytes(e.eventId())
                        + maxBytes(e.userId())
                        + maxBytes(e.deviceId())
                        + maxBytes(e.ip())
                        + maxBytes(e.country())
                        + maxBytes(e.channel())
                        + maxBytes(e.currency())
                        + maxBytes(e.counterpartyId())
                        + maxBytes(e.cardId())
                        + maxBytes(e.merchantId())
                        + maxBytes(e.mcc())
                        + maxBytes(e.payeeId())
                        + maxBytes(e.source());
        ensureCapacity(max);
        pos = 0;
        putVarLong(present);
        if (e.type() != null) {
            buf[pos++] = (byte) e.type().ordinal();
        }
        if (e.timestamp() != null) {
            putVarLong(zigZag(e.timestamp().getEpochSecond()));
            putVarLong(e.timestamp().getNano());
        }
        putString(e.eventId());
        putString(e.userId());
        putString(e.deviceId());
        putString(e.ip());
        putString(e.country());
        if (e.lat() != null) {
            putLong(Double.doubleToRawLongBits(e.lat()));
        }
        if (e.lon() != null) {
            putLong(Double.doubleToRawLongBits(e.lon()));
        }
        putString(e.channel());
        if (e.amountCents() != null) {
            putVarLong(zigZag(e.amountCents()));
        }
        putString(e.currency());
        putString(e.counterpartyId());
        putString(e.cardId());
        putString(e.merchantId());
        putString(e.mcc());
        putString(e.payeeId());
        putString(e.source());
        writeVarInt(out, pos);
        out.write(buf, 0, pos);
    }

    @Override
    public UserEvent deserialize(DataInputView in) throws IOException {
        int length = readVarInt(in);
        ensureCapacity(length);
        in.readFully(buf, 0, length);
        pos = 0;
        limit = length;
        try {
            UserEvent event = readFrame();
            if (pos != length) {
                throw new IOException(
                        "corrupt UserEvent frame: " + length + " bytes, " + pos + " read");
            }
            return event;
        } catch (ArrayIndexOutOfBoundsException | StringIndexOutOfBoundsException e) {
            throw new IOException("corrupt UserEvent frame of " + length + " bytes", e);
        }
    }

    private UserEvent readFrame() throws IOException {
        long present = getVarLong();
        if ((present & ~KNOWN_BITS) != 0) {
            throw new IOException("corrupt UserEvent frame: presence mask " + present);
        }
        int p = (int) present;
        EventType type = null;
        if ((p & NO_TYPE) == 0) {
            int ordinal = buf[pos++] & 0xFF;
            if (ordinal >= TYPES.length) {
                throw new IOException("corrupt UserEvent frame: event type " + ordinal);
            }
            type = TYPES[ordinal];
        }
        Instant timestamp = null;
        if ((p & NO_TIMESTAMP) == 0) {
            long seconds = unZigZag(getVarLong());
            long nanos = getVarLong();
            timestamp = Instant.ofEpochSecond(seconds, nanos);
        }
        String eventId = (p & NO_EVENT_ID) == 0 ? getString() : null;
        String userId = (p & NO_USER_ID) == 0 ? getString() : null;
        String deviceId = getStringIf(p, DEVICE_ID);
        String ip = getStringIf(p, IP);
        String country = getStringIf(p, COUNTRY);
        Double lat = (p & LAT) != 0 ? Double.longBitsToDouble(getLong()) : null;
        Double lon = (p & LON) != 0 ? Double.longBitsToDouble(getLong()) : null;
        String channel = getStringIf(p, CHANNEL);
        Long amountCents = (p & AMOUNT) != 0 ? unZigZag(getVarLong()) : null;
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
                getStringIf(p, CURRENCY),
                getStringIf(p, COUNTERPARTY_ID),
                getStringIf(p, CARD_ID),
                getStringIf(p, MERCHANT_ID),
                getStringIf(p, MCC),
                getStringIf(p, PAYEE_ID),
                getStringIf(p, SOURCE));
    }

    @Override
    public UserEvent deserialize(UserEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = readVarInt(source);
        writeVarInt(target, length);
        target.write(source, length);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof UserEventSerializer;
    }

    @Override
    public int hashCode() {
        return UserEventSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<UserEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1, as the class comment describes it. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<UserEvent> {
        public Snapshot() {
            super(UserEventSerializer::new);
        }
    }

    // ---- the frame buffer -------------------------------------------------------------------

    private void ensureCapacity(long bytes) throws IOException {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IOException("UserEvent too large to serialize: " + bytes + " bytes");
        }
        if (buf == null || buf.length < bytes) {
            buf = new byte[Math.max((int) bytes, buf == null ? 256 : 2 * buf.length)];
        }
    }

    private static int bit(Object value, int bit) {
        return value == null ? 0 : bit;
    }

    private static long maxBytes(String s) {
        return s == null ? 0 : STRING_HEADER_MAX + 2L * s.length();
    }

    private void putVarLong(long v) {
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void putLong(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
    }

    /**
     * Latin-1 strings (every char at most 0xFF: ids, codes, ASCII text) as one byte per char, any
     * other as its UTF-16 chars.
     */
    @SuppressWarnings("deprecation")
    private void putString(String s) {
        if (s == null) {
            return;
        }
        int n = s.length();
        boolean latin1 = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) > 0xFF) {
                latin1 = false;
                break;
            }
        }
        if (latin1) {
            putVarLong(((long) n << 1) | 1);
            // Deprecated because it drops each char's high byte, which is zero here: for a compact
            // (Latin-1) string it is one array copy, without the array getBytes(charset) allocates.
            s.getBytes(0, n, buf, pos);
            pos += n;
        } else {
            putVarLong((long) n << 1);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                buf[pos++] = (byte) (c >>> 8);
                buf[pos++] = (byte) c;
            }
        }
    }

    private long getVarLong() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("corrupt UserEvent frame: malformed variable-length integer");
    }

    private long getLong() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    private String getStringIf(int present, int bit) throws IOException {
        return (present & bit) != 0 ? getString() : null;
    }

    private String getString() throws IOException {
        long header = getVarLong();
        long n = header >>> 1;
        boolean latin1 = (header & 1) != 0;
        if ((latin1 ? n : 2 * n) > limit - pos) {
            throw new IOException("corrupt UserEvent frame: string of " + n + " chars");
        }
        int length = (int) n;
        String s;
        if (latin1) {
            s = new String(buf, pos, length, StandardCharsets.ISO_8859_1);
            pos += length;
        } else {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) {
                chars[i] = (char) (((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF));
                pos += 2;
            }
            s = new String(chars);
        }
        return s;
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    // ---- the frame length, on the stream itself ----------------------------------------------

    private static void writeVarInt(DataOutputView out, int v) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarInt(DataInputView in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) {
                    break;
                }
                return v;
            }
        }
        throw new IOException("corrupt UserEvent frame: malformed length");
    }
}
