package io.fraudcep.state;

import io.fraudcep.model.UserEvent;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The serializer of one user's events waiting for the watermark, as a checkpoint holds them (they
 * wait on the heap between checkpoints): the user id once, then each event in {@link EventBinary}'s
 * form. Immutable values (arrays are never changed after they are written).
 */
public final class WaitingEventsSerializer extends TypeSerializer<UserEvent[]> {

    private static final long serialVersionUID = 1L;

    public static final WaitingEventsSerializer INSTANCE = new WaitingEventsSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<UserEvent[]> duplicate() {
        return this;
    }

    @Override
    public UserEvent[] createInstance() {
        return new UserEvent[0];
    }

    @Override
    public UserEvent[] copy(UserEvent[] from) {
        return from;
    }

    @Override
    public UserEvent[] copy(UserEvent[] from, UserEvent[] reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(UserEvent[] events, DataOutputView out) throws IOException {
        EventBinary.writeVarLong(out, events.length);
        if (events.length > 0) {
            StringValue.writeString(events[0].userId(), out);
        }
        for (UserEvent e : events) {
            EventBinary.writeEvent(e, out);
        }
    }

    @Override
    public UserEvent[] deserialize(DataInputView in) throws IOException {
        int n = (int) EventBinary.readVarLong(in);
        UserEvent[] events = new UserEvent[n];
        String userId = n > 0 ? StringValue.readString(in) : null;
        for (int i = 0; i < n; i++) {
            events[i] = EventBinary.readEvent(userId, in);
        }
        return events;
    }

    @Override
    public UserEvent[] deserialize(UserEvent[] reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof WaitingEventsSerializer;
    }

    @Override
    public int hashCode() {
        return WaitingEventsSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<UserEvent[]> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<UserEvent[]> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
