package io.fraudcep.state;

import static io.fraudcep.state.EventBinary.readInstant;
import static io.fraudcep.state.EventBinary.readNullableInstant;
import static io.fraudcep.state.EventBinary.readVarLong;
import static io.fraudcep.state.EventBinary.readZigZag;
import static io.fraudcep.state.EventBinary.writeInstant;
import static io.fraudcep.state.EventBinary.writeNullableInstant;
import static io.fraudcep.state.EventBinary.writeVarLong;
import static io.fraudcep.state.EventBinary.writeZigZag;

import io.fraudcep.engine.UserRuleState;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.enrich.UserProfile;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The hand-written serializer of {@link UserState}: what RocksDB reads and writes once per user and
 * watermark step, and what every checkpoint and savepoint holds per user. Compact: the user id
 * once, event times as differences from the previous event, counters and sub-millisecond parts as
 * variable-length integers, optional event fields behind presence bits. Format version 1 (see
 * {@link Snapshot}); a change of format needs a new version that still reads this one.
 */
public final class UserStateSerializer extends TypeSerializer<UserState> {

    private static final long serialVersionUID = 1L;

    public static final UserStateSerializer INSTANCE = new UserStateSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<UserState> duplicate() {
        return this;
    }

    @Override
    public UserState createInstance() {
        return new UserState();
    }

    /**
     * A deep copy as far as anything is mutable (events are immutable records and shared): what the
     * heap backend's copy-on-write snapshots need.
     */
    @Override
    public UserState copy(UserState from) {
        UserState to = new UserState(from.userId);
        to.timerAtMillis = from.timerAtMillis;
        UserProfile p = from.profile;
        UserProfile q = to.profile;
        q.lastEventMillis = p.lastEventMillis;
        q.lastEventTime = p.lastEventTime;
        q.recentIdHashes = p.recentIdHashes.clone();
        q.recentIdMillis = p.recentIdMillis.clone();
        q.recentIdSubMillis = p.recentIdSubMillis.clone();
        q.devices = p.devices.clone();
        q.deviceLastLoginMillis = p.deviceLastLoginMillis.clone();
        q.deviceLastLoginSubMillis = p.deviceLastLoginSubMillis.clone();
        q.acceptedEvents = p.acceptedEvents;
        UserRuleState r = from.rules;
        UserRuleState s = to.rules;
        s.events = r.events.clone();
        s.masks = r.masks.clone();
        s.words = r.words;
        s.layout = r.layout;
        s.maskedSlots = r.maskedSlots;
        s.alertKeys = r.alertKeys.clone();
        s.lastAlerts = r.lastAlerts.clone();
        s.deadlinesJudgedTo = r.deadlinesJudgedTo;
        return to;
    }

    @Override
    public UserState copy(UserState from, UserState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(UserState st, DataOutputView out) throws IOException {
        StringValue.writeString(st.userId, out);
        writeZigZag(out, st.timerAtMillis);
        writeProfile(st.profile, out);
        writeRules(st.rules, out);
    }

    @Override
    public UserState deserialize(DataInputView in) throws IOException {
        UserState st = new UserState(StringValue.readString(in));
        st.timerAtMillis = readZigZag(in);
        readProfile(st.profile, in);
        readRules(st.userId, st.rules, in);
        return st;
    }

    @Override
    public UserState deserialize(UserState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    private static void writeProfile(UserProfile p, DataOutputView out) throws IOException {
        writeNullableInstant(p.lastEventTime, out);
        writeVarLong(out, p.acceptedEvents);
        int ids = p.recentIdHashes.length;
        writeVarLong(out, ids);
        long previous = 0;
        for (int i = 0; i < ids; i++) {
            out.writeLong(p.recentIdHashes[i]);
            writeZigZag(out, p.recentIdMillis[i] - previous);
            previous = p.recentIdMillis[i];
            writeVarLong(out, p.recentIdSubMillis[i]);
        }
        int devices = p.devices.length;
        writeVarLong(out, devices);
        for (int i = 0; i < devices; i++) {
            StringValue.writeString(p.devices[i], out);
            writeZigZag(out, p.deviceLastLoginMillis[i]);
            writeVarLong(out, p.deviceLastLoginSubMillis[i]);
        }
    }

    private static void readProfile(UserProfile p, DataInputView in) throws IOException {
        p.lastEventTime = readNullableInstant(in);
        p.lastEventMillis =
                p.lastEventTime == null ? Long.MIN_VALUE : p.lastEventTime.toEpochMilli();
        p.acceptedEvents = readVarLong(in);
        int ids = (int) readVarLong(in);
        p.recentIdHashes = new long[ids];
        p.recentIdMillis = new long[ids];
        p.recentIdSubMillis = new int[ids];
        long previous = 0;
        for (int i = 0; i < ids; i++) {
            p.recentIdHashes[i] = in.readLong();
            previous += readZigZag(in);
            p.recentIdMillis[i] = previous;
            p.recentIdSubMillis[i] = (int) readVarLong(in);
        }
        int devices = (int) readVarLong(in);
        p.devices = new String[devices];
        p.deviceLastLoginMillis = new long[devices];
        p.deviceLastLoginSubMillis = new int[devices];
        for (int i = 0; i < devices; i++) {
            p.devices[i] = StringValue.readString(in);
            p.deviceLastLoginMillis[i] = readZigZag(in);
            p.deviceLastLoginSubMillis[i] = (int) readVarLong(in);
        }
    }

    private static void writeRules(UserRuleState r, DataOutputView out) throws IOException {
        int n = r.events.length;
        writeVarLong(out, n);
        writeVarLong(out, r.words);
        out.writeLong(r.layout);
        writeVarLong(out, r.maskedSlots);
        for (int i = 0; i < n; i++) {
            EnrichedEvent e = r.events[i];
            EventBinary.writeEvent(e.event(), out);
            out.writeBoolean(e.newDevice());
            writeNullableInstant(e.previousEventTime(), out);
            writeVarLong(out, e.priorEvents());
            for (int w = 0; w < r.words; w++) {
                writeVarLong(out, r.masks[i * r.words + w]);
            }
        }
        int keys = r.alertKeys.length;
        writeVarLong(out, keys);
        for (int i = 0; i < keys; i++) {
            StringValue.writeString(r.alertKeys[i], out);
            writeInstant(r.lastAlerts[i], out);
        }
        writeNullableInstant(r.deadlinesJudgedTo, out);
    }

    private static void readRules(String userId, UserRuleState r, DataInputView in)
            throws IOException {
        int n = (int) readVarLong(in);
        r.words = (int) readVarLong(in);
        r.layout = in.readLong();
        r.maskedSlots = (int) readVarLong(in);
        r.events = new EnrichedEvent[n];
        r.masks = new long[n * r.words];
        for (int i = 0; i < n; i++) {
            r.events[i] =
                    new EnrichedEvent(
                            EventBinary.readEvent(userId, in),
                            in.readBoolean(),
                            readNullableInstant(in),
                            readVarLong(in));
            for (int w = 0; w < r.words; w++) {
                r.masks[i * r.words + w] = readVarLong(in);
            }
        }
        int keys = (int) readVarLong(in);
        r.alertKeys = new String[keys];
        r.lastAlerts = new Instant[keys];
        for (int i = 0; i < keys; i++) {
            r.alertKeys[i] = StringValue.readString(in);
            r.lastAlerts[i] = readInstant(in);
        }
        r.deadlinesJudgedTo = readNullableInstant(in);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof UserStateSerializer;
    }

    @Override
    public int hashCode() {
        return UserStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<UserState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1 of {@link UserState}'s serialized form. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<UserState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
