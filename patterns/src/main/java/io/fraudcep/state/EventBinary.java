package io.fraudcep.state;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The compact binary form of events and instants in state. An event is written without its user
 * (the state's key holds it) and without its {@code source} (where it was read: only arrival
 * metrics use it); optional fields behind one presence bit each; times as variable-length integers.
 */
final class EventBinary {

    private static final EventType[] TYPES = EventType.values();

    private EventBinary() {}

    static void writeEvent(UserEvent e, DataOutputView out) throws IOException {
        int present =
                bit(e.deviceId(), 0)
                        | bit(e.ip(), 1)
                        | bit(e.country(), 2)
                        | bit(e.lat(), 3)
                        | bit(e.lon(), 4)
                        | bit(e.channel(), 5)
                        | bit(e.amountCents(), 6)
                        | bit(e.currency(), 7)
                        | bit(e.counterpartyId(), 8)
                        | bit(e.cardId(), 9)
                        | bit(e.merchantId(), 10)
                        | bit(e.mcc(), 11)
                        | bit(e.payeeId(), 12);
        out.writeByte(e.type().ordinal());
        writeVarLong(out, present);
        StringValue.writeString(e.eventId(), out);
        writeInstant(e.timestamp(), out);
        writeIf(e.deviceId(), out);
        writeIf(e.ip(), out);
        writeIf(e.country(), out);
        if (e.lat() != null) {
            out.writeDouble(e.lat());
        }
        if (e.lon() != null) {
            out.writeDouble(e.lon());
        }
        writeIf(e.channel(), out);
        if (e.amountCents() != null) {
            writeZigZag(out, e.amountCents());
        }
        writeIf(e.currency(), out);
        writeIf(e.counterpartyId(), out);
        writeIf(e.cardId(), out);
        writeIf(e.merchantId(), out);
        writeIf(e.mcc(), out);
        writeIf(e.payeeId(), out);
    }

    static UserEvent readEvent(String userId, DataInputView in) throws IOException {
        EventType type = TYPES[in.readUnsignedByte()];
        int present = (int) readVarLong(in);
        String eventId = StringValue.readString(in);
        Instant timestamp = readInstant(in);
        return new UserEvent(
                eventId,
                userId,
                type,
                timestamp,
                readIf(present, 0, in),
                readIf(present, 1, in),
                readIf(present, 2, in),
                (present & (1 << 3)) != 0 ? in.readDouble() : null,
                (present & (1 << 4)) != 0 ? in.readDouble() : null,
                readIf(present, 5, in),
                (present & (1 << 6)) != 0 ? readZigZag(in) : null,
                readIf(present, 7, in),
                readIf(present, 8, in),
                readIf(present, 9, in),
                readIf(present, 10, in),
                readIf(present, 11, in),
                readIf(present, 12, in),
                null);
    }

    /** An instant as epoch ms (zig-zag varint) and the nanoseconds within the ms (varint). */
    static void writeInstant(Instant t, DataOutputView out) throws IOException {
        writeZigZag(out, t.toEpochMilli());
        writeVarLong(out, t.getNano() % 1_000_000);
    }

    static Instant readInstant(DataInputView in) throws IOException {
        long ms = readZigZag(in);
        long sub = readVarLong(in);
        return Instant.ofEpochMilli(ms).plusNanos(sub);
    }

    static void writeNullableInstant(Instant t, DataOutputView out) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            writeInstant(t, out);
        }
    }

    static Instant readNullableInstant(DataInputView in) throws IOException {
        return in.readBoolean() ? readInstant(in) : null;
    }

    static void writeVarLong(DataOutputView out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("malformed variable-length integer");
    }

    static void writeZigZag(DataOutputView out, long v) throws IOException {
        writeVarLong(out, (v << 1) ^ (v >> 63));
    }

    static long readZigZag(DataInputView in) throws IOException {
        long v = readVarLong(in);
        return (v >>> 1) ^ -(v & 1);
    }

    private static int bit(Object value, int bit) {
        return value == null ? 0 : 1 << bit;
    }

    private static void writeIf(String value, DataOutputView out) throws IOException {
        if (value != null) {
            StringValue.writeString(value, out);
        }
    }

    private static String readIf(int present, int bit, DataInputView in) throws IOException {
        return (present & (1 << bit)) != 0 ? StringValue.readString(in) : null;
    }
}
