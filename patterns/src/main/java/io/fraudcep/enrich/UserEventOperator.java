package io.fraudcep.enrich;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.state.UserState;
import io.fraudcep.state.UserStateSerializer;
import io.fraudcep.state.WaitingEventsSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The per-user front half of the detection operator: what every rule reads of a user's history. Per
 * user it
 *
 * <ul>
 *   <li>holds events until the watermark passes them and releases them in event-time order (ties
 *       broken by event id), so what follows sees each user's history in one deterministic order
 *       whatever the arrival order, the parallelism or the replay speed;
 *   <li>routes events that arrive behind the watermark to {@link #LATE} (never dropped silently);
 *   <li>drops duplicates: an event id already accepted for the user within the de-duplication
 *       horizon (24 h of event time) goes to {@link #DUPLICATES};
 *   <li>hands each accepted event, with the facts of {@link EnrichedEvent} (new device, previous
 *       event time, prior events), to {@link #accepted}.
 * </ul>
 *
 * <p>State layout, made for RocksDB as much as for the heap:
 *
 * <ul>
 *   <li><b>One value per user</b> ({@link UserState}, serialized by {@link UserStateSerializer}):
 *       the profile, the subclass's per-user state and the user's timer. It is read and written
 *       once per user and watermark step, however many of the user's events the step releases.
 *   <li><b>Waiting events on the heap</b>, per subtask, in a queue ordered by each user's earliest
 *       waiting event: between arrival and release an event costs no state access and no timer.
 *       Each checkpoint writes them to keyed state first ({@link #prepareSnapshotPreBarrier}: one
 *       small value per waiting user, by key group, so a rescale moves them with their users), and
 *       a restore reads them back.
 *   <li><b>One timer per user</b>, at the earliest instant anything of the user expires or is due
 *       (profile clean-up, the subclass's deadlines and clean-up): moved only when that instant
 *       changes.
 * </ul>
 *
 * <p>At a watermark the operator first releases every waiting event it passes, user by user, then
 * lets the timers up to it fire, then forwards it: a timer always sees every event up to its time.
 */
public abstract class UserEventOperator<OUT> extends AbstractStreamOperator<OUT> {

    private static final long serialVersionUID = 1L;

    /** Events that arrived behind the watermark. */
    public static final OutputTag<UserEvent> LATE =
            new OutputTag<>("late-events", TypeInformation.of(UserEvent.class));

    /** Events whose id was already accepted for the user within the horizon. */
    public static final OutputTag<UserEvent> DUPLICATES =
            new OutputTag<>("duplicate-events", TypeInformation.of(UserEvent.class));

    /** Accumulator counting late events, readable from the job result. */
    public static final String LATE_ACCUMULATOR = "late-events";

    /** Accumulator counting duplicates, readable from the job result. */
    public static final String DUPLICATE_ACCUMULATOR = "duplicate-events";

    /** The keyed state holding each user's {@link UserState}. */
    public static final String USER_STATE = "user-state";

    /** The keyed state a checkpoint writes each waiting user's events to. */
    public static final String WAITING_EVENTS = "waiting-events";

    /** Release order of one user's events: event time, then event id. */
    static final Comparator<UserEvent> EVENT_ORDER =
            Comparator.comparing(UserEvent::timestamp).thenComparing(UserEvent::eventId);

    private final long dedupHorizonMillis;
    private final long deviceLookbackMillis;
    private final Duration dedupHorizon;
    private final Duration deviceLookback;
    private final EventTimeObserver observer;

    private transient ValueState<UserState> users;
    private transient ValueState<UserEvent[]> waitingState;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient Map<Object, Waiting> waiting;
    private transient PriorityQueue<Due> due;
    private transient Set<Object> checkpointed;
    private transient Counter lateCounter;
    private transient Counter duplicateCounter;
    private transient Counter acceptedCounter;
    private transient LongCounter lateTotal;
    private transient LongCounter duplicateTotal;

    protected UserEventOperator(EnrichmentSettings settings) {
        this.dedupHorizon = settings.dedupHorizon();
        this.deviceLookback = settings.deviceLookback();
        this.dedupHorizonMillis = dedupHorizon.toMillis();
        this.deviceLookbackMillis = deviceLookback.toMillis();
        this.observer = settings.observer();
    }

    @Override
    public void open() throws Exception {
        super.open();
        users =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        USER_STATE, UserStateSerializer.INSTANCE));
        waitingState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        WAITING_EVENTS, WaitingEventsSerializer.INSTANCE));
        timers =
                getInternalTimerService(
                        "user-timers", VoidNamespaceSerializer.INSTANCE, new Wake());
        waiting = new HashMap<>();
        due = new PriorityQueue<>();
        checkpointed = new HashSet<>();
        lateCounter = getMetricGroup().counter("lateEvents");
        duplicateCounter = getMetricGroup().counter("duplicateEvents");
        acceptedCounter = getMetricGroup().counter("acceptedEvents");
        lateTotal = getRuntimeContext().getLongCounter(LATE_ACCUMULATOR);
        duplicateTotal = getRuntimeContext().getLongCounter(DUPLICATE_ACCUMULATOR);
        observer.open(getMetricGroup());
        restoreWaiting();
    }

    /** The events a checkpoint wrote to keyed state wait on the heap again. */
    private void restoreWaiting() throws Exception {
        List<Object> keys;
        try (Stream<Object> stream =
                getKeyedStateBackend().getKeys(WAITING_EVENTS, VoidNamespace.INSTANCE)) {
            keys = stream.collect(Collectors.toList());
        }
        for (Object key : keys) {
            setCurrentKey(key);
            UserEvent[] events = waitingState.value();
            if (events == null || events.length == 0) {
                continue;
            }
            Waiting w = new Waiting(key);
            w.events.addAll(Arrays.asList(events));
            waiting.put(key, w);
            due.add(new Due(w.earliest(), w));
            checkpointed.add(key);
        }
    }

    /**
     * Writes the events waiting on the heap to keyed state, and clears what an earlier checkpoint
     * wrote for users whose events have been released since: the snapshot that follows holds
     * exactly the waiting events, by key group.
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        Object current = getCurrentKey();
        for (Object key : checkpointed) {
            if (!waiting.containsKey(key)) {
                setCurrentKey(key);
                waitingState.clear();
            }
        }
        checkpointed.clear();
        for (Waiting w : waiting.values()) {
            setCurrentKey(w.key);
            waitingState.update(w.events.toArray(new UserEvent[0]));
            checkpointed.add(w.key);
        }
        if (current != null) {
            setCurrentKey(current);
        }
    }

    /**
     * Releases every waiting event the watermark passes, user by user (one state read and write per
     * user), then fires the timers up to it and forwards it.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long watermark = mark.getTimestamp();
        Due next;
        while ((next = due.peek()) != null && next.millis <= watermark) {
            due.poll();
            Waiting w = next.waiting;
            if (w.released) {
                continue;
            }
            setCurrentKey(w.key);
            release(w, watermark);
        }
        super.processWatermark(mark);
        observer.onWatermark(watermark);
    }

    /**
     * Holds the event in its user's waiting list, kept in release order (arrivals are mostly in
     * order, so the insertion point is found from the end in a step or two). No state access, no
     * timer.
     */
    protected void processEvent(StreamRecord<UserEvent> element) throws Exception {
        UserEvent event = element.getValue();
        observer.onEvent(event);
        long millis = event.timestampMillis();
        if (millis <= timers.currentWatermark()) {
            lateCounter.inc();
            lateTotal.add(1);
            observer.onLate(event);
            output.collect(LATE, new StreamRecord<>(event, millis));
            return;
        }
        Object key = getCurrentKey();
        Waiting w = waiting.get(key);
        if (w == null) {
            w = new Waiting(key);
            waiting.put(key, w);
            w.events.add(event);
            due.add(new Due(millis, w));
            return;
        }
        List<UserEvent> list = w.events;
        int at = list.size();
        while (at > 0 && EVENT_ORDER.compare(list.get(at - 1), event) > 0) {
            at--;
        }
        long earliest = w.earliest();
        list.add(at, event);
        if (millis < earliest) {
            due.add(new Due(millis, w));
        }
    }

    /**
     * Receives each accepted event of the current user, in release order (event time, then event
     * id), with the facts of its history and the user's state (to change in place); every event up
     * to the watermark it is released at has been accepted or dropped before it.
     */
    protected abstract void accepted(UserState state, EnrichedEvent event) throws Exception;

    /**
     * The current user's timer fired at {@code timestamp}: every event up to it has been released.
     * The subclass judges what is due and forgets what expired (in place).
     */
    protected void onTimer(UserState state, long timestamp) throws Exception {}

    /** When the subclass needs the current user's timer next (event time ms), or Long.MAX_VALUE. */
    protected long nextTimer(UserState state) {
        return Long.MAX_VALUE;
    }

    /**
     * Applies {@code change} to the state of every user of this subtask that has state, and moves
     * each one's timer if it must: for a change that reaches every user at once.
     */
    protected void updateEveryUser(Consumer<UserState> change) throws Exception {
        List<Object> keys;
        try (Stream<Object> stream =
                getKeyedStateBackend().getKeys(USER_STATE, VoidNamespace.INSTANCE)) {
            keys = stream.collect(Collectors.toList());
        }
        Object current = getCurrentKey();
        for (Object key : keys) {
            setCurrentKey(key);
            UserState st = users.value();
            if (st != null) {
                change.accept(st);
                reschedule(st);
                users.update(st);
            }
        }
        if (current != null) {
            setCurrentKey(current);
        }
    }

    /** The user's one timer: fires when something of the user is due or expires. */
    private final class Wake implements Triggerable<Object, VoidNamespace> {
        @Override
        public void onEventTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
            UserState st = users.value();
            if (st == null) {
                return;
            }
            long now = timer.getTimestamp();
            if (st.timerAtMillis == now) {
                st.timerAtMillis = Long.MIN_VALUE;
            }
            if (now >= profileExpiry(st.profile)) {
                forgetExpired(st.profile, now);
            }
            onTimer(st, now);
            reschedule(st);
            users.update(st);
        }

        @Override
        public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) {}
    }

    /**
     * Emits, in release order, the current user's waiting events the watermark passes: one read and
     * one write of the user's state for all of them.
     */
    private void release(Waiting w, long watermark) throws Exception {
        List<UserEvent> list = w.events;
        int ready = 0;
        while (ready < list.size() && list.get(ready).timestampMillis() <= watermark) {
            ready++;
        }
        if (ready == 0) {
            return;
        }
        UserState st = users.value();
        if (st == null) {
            st = new UserState(String.valueOf(w.key));
        }
        for (int i = 0; i < ready; i++) {
            UserEvent event = list.get(i);
            EnrichedEvent enriched = accept(st.profile, event);
            if (enriched == null) {
                duplicateCounter.inc();
                duplicateTotal.add(1);
                output.collect(DUPLICATES, new StreamRecord<>(event, event.timestampMillis()));
            } else {
                acceptedCounter.inc();
                accepted(st, enriched);
            }
        }
        if (ready == list.size()) {
            w.released = true;
            waiting.remove(w.key);
        } else {
            list.subList(0, ready).clear();
            due.add(new Due(w.earliest(), w));
        }
        reschedule(st);
        users.update(st);
    }

    /** Keeps the user's one timer at the earliest instant something is due or expires. */
    private void reschedule(UserState st) throws Exception {
        long next = Math.min(profileExpiry(st.profile), nextTimer(st));
        long at = next == Long.MAX_VALUE ? Long.MIN_VALUE : next;
        if (at == st.timerAtMillis) {
            return;
        }
        if (st.timerAtMillis != Long.MIN_VALUE) {
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, st.timerAtMillis);
        }
        if (at != Long.MIN_VALUE) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, at);
        }
        st.timerAtMillis = at;
    }

    /** One user's events waiting for the watermark, in release order. */
    private static final class Waiting {
        final Object key;
        final List<UserEvent> events = new ArrayList<>(2);
        boolean released;

        Waiting(Object key) {
            this.key = key;
        }

        long earliest() {
            return events.get(0).timestampMillis();
        }
    }

    /**
     * A user's earliest waiting event time, as queued. Entries are not removed when an earlier
     * event of the user arrives (a new entry is added): an entry that finds nothing to release is
     * stale. Ties by user, so that users are released in one order whatever the arrival order.
     */
    private record Due(long millis, Waiting waiting) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(millis, o.millis);
            return c != 0
                    ? c
                    : String.valueOf(waiting.key).compareTo(String.valueOf(o.waiting.key));
        }
    }

    /**
     * Applies one event, in event-time order, to the profile. Returns the enriched event, or null
     * if the event is a duplicate.
     */
    EnrichedEvent accept(UserProfile p, UserEvent event) {
        long millis = event.timestampMillis();
        int sub = subMillis(event.timestamp());
        long idHash = hash(event.eventId());
        for (int i = p.recentIdHashes.length - 1; i >= 0; i--) {
            if (p.recentIdHashes[i] == idHash
                    && lessThanApart(
                            p.recentIdMillis[i],
                            p.recentIdSubMillis[i],
                            millis,
                            sub,
                            dedupHorizonMillis)) {
                return null;
            }
        }
        Instant previousEventTime = p.lastEventTime;
        boolean newDevice = false;
        if (event.type() == EventType.LOGIN_SUCCESS) {
            newDevice = isNewDevice(p, event.deviceId(), millis, sub);
            rememberDevice(p, event.deviceId(), millis, sub);
        }
        rememberId(p, idHash, millis, sub);
        p.lastEventMillis = millis;
        p.lastEventTime = event.timestamp();
        long priorEvents = p.acceptedEvents++;
        // Where the event was read matters to arrival metrics only: state does not keep it.
        UserEvent kept = event.source() == null ? event : event.withoutSource();
        return new EnrichedEvent(kept, newDevice, previousEventTime, priorEvents);
    }

    /** The nanoseconds of an instant within its millisecond (0..999,999). */
    static int subMillis(Instant t) {
        return t.getNano() % 1_000_000;
    }

    /**
     * Whether an earlier instant (ms, nanoseconds within the ms) is less than {@code horizonMillis}
     * before a later one, exactly to the nanosecond: the millisecond difference decides unless it
     * is the horizon itself, where the nanoseconds within the millisecond do.
     */
    static boolean lessThanApart(
            long earlierMillis,
            int earlierSub,
            long laterMillis,
            int laterSub,
            long horizonMillis) {
        long d = laterMillis - earlierMillis;
        return d < horizonMillis || (d == horizonMillis && laterSub < earlierSub);
    }

    private boolean isNewDevice(UserProfile p, String deviceId, long millis, int sub) {
        boolean anyRecentLogin = false;
        for (int i = 0; i < p.devices.length; i++) {
            if (lessThanApart(
                    p.deviceLastLoginMillis[i],
                    p.deviceLastLoginSubMillis[i],
                    millis,
                    sub,
                    deviceLookbackMillis)) {
                if (p.devices[i].equals(deviceId)) {
                    return false;
                }
                anyRecentLogin = true;
            }
        }
        return anyRecentLogin;
    }

    private static void rememberDevice(UserProfile p, String deviceId, long millis, int sub) {
        for (int i = 0; i < p.devices.length; i++) {
            if (p.devices[i].equals(deviceId)) {
                p.deviceLastLoginMillis[i] = millis;
                p.deviceLastLoginSubMillis[i] = sub;
                return;
            }
        }
        int n = p.devices.length;
        p.devices = Arrays.copyOf(p.devices, n + 1);
        p.deviceLastLoginMillis = Arrays.copyOf(p.deviceLastLoginMillis, n + 1);
        p.deviceLastLoginSubMillis = Arrays.copyOf(p.deviceLastLoginSubMillis, n + 1);
        p.devices[n] = deviceId;
        p.deviceLastLoginMillis[n] = millis;
        p.deviceLastLoginSubMillis[n] = sub;
    }

    private void rememberId(UserProfile p, long idHash, long millis, int sub) {
        // Drop ids that left the horizon, then append: the arrays stay in event-time order.
        int keepFrom = 0;
        while (keepFrom < p.recentIdMillis.length
                && !lessThanApart(
                        p.recentIdMillis[keepFrom],
                        p.recentIdSubMillis[keepFrom],
                        millis,
                        sub,
                        dedupHorizonMillis)) {
            keepFrom++;
        }
        int kept = p.recentIdHashes.length - keepFrom;
        long[] hashes = new long[kept + 1];
        long[] times = new long[kept + 1];
        int[] subs = new int[kept + 1];
        System.arraycopy(p.recentIdHashes, keepFrom, hashes, 0, kept);
        System.arraycopy(p.recentIdMillis, keepFrom, times, 0, kept);
        System.arraycopy(p.recentIdSubMillis, keepFrom, subs, 0, kept);
        hashes[kept] = idHash;
        times[kept] = millis;
        subs[kept] = sub;
        p.recentIdHashes = hashes;
        p.recentIdMillis = times;
        p.recentIdSubMillis = subs;
    }

    /**
     * Forgets ids past the horizon and devices past the look-back, as of {@code nowMillis}, to the
     * millisecond: every event still to come is in a later millisecond, so nothing it could need
     * goes.
     */
    void forgetExpired(UserProfile p, long nowMillis) {
        int keepFrom = 0;
        while (keepFrom < p.recentIdMillis.length
                && nowMillis - p.recentIdMillis[keepFrom] >= dedupHorizonMillis) {
            keepFrom++;
        }
        if (keepFrom > 0) {
            p.recentIdHashes =
                    Arrays.copyOfRange(p.recentIdHashes, keepFrom, p.recentIdHashes.length);
            p.recentIdMillis =
                    Arrays.copyOfRange(p.recentIdMillis, keepFrom, p.recentIdMillis.length);
            p.recentIdSubMillis =
                    Arrays.copyOfRange(p.recentIdSubMillis, keepFrom, p.recentIdSubMillis.length);
        }
        int live = 0;
        for (int i = 0; i < p.devices.length; i++) {
            if (nowMillis - p.deviceLastLoginMillis[i] < deviceLookbackMillis) {
                p.devices[live] = p.devices[i];
                p.deviceLastLoginMillis[live] = p.deviceLastLoginMillis[i];
                p.deviceLastLoginSubMillis[live] = p.deviceLastLoginSubMillis[i];
                live++;
            }
        }
        if (live < p.devices.length) {
            p.devices = Arrays.copyOf(p.devices, live);
            p.deviceLastLoginMillis = Arrays.copyOf(p.deviceLastLoginMillis, live);
            p.deviceLastLoginSubMillis = Arrays.copyOf(p.deviceLastLoginSubMillis, live);
        }
    }

    /**
     * When the profile next has something to forget (event time ms), or Long.MAX_VALUE: all its
     * event ids, once the newest leaves the de-duplication horizon (an active user's older ids go
     * at its next event), or a device past the look-back.
     */
    long profileExpiry(UserProfile p) {
        long next = Long.MAX_VALUE;
        if (p.recentIdMillis.length > 0) {
            next = p.recentIdMillis[p.recentIdMillis.length - 1] + dedupHorizonMillis;
        }
        for (long loginMillis : p.deviceLastLoginMillis) {
            next = Math.min(next, loginMillis + deviceLookbackMillis);
        }
        return next;
    }

    /** 64-bit FNV-1a of the id's characters: collisions among one user's ids are negligible. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    Duration dedupHorizon() {
        return dedupHorizon;
    }

    Duration deviceLookback() {
        return deviceLookback;
    }
}
