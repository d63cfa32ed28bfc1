package io.fraudcep.enrich;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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
 * <p>State is one small {@link UserProfile} plus the events waiting for the watermark. A clean-up
 * timer forgets event ids past the horizon and devices past the look-back.
 *
 * <p>An operator rather than a {@code KeyedProcessFunction}: a user waiting for the watermark holds
 * one release timer, at its earliest waiting event, not one per distinct millisecond, so the timer
 * queue stays at one entry per waiting user; clean-up timers live in a queue of their own. A
 * subclass decides what an accepted event leads to (the detection operator evaluates the rules on
 * it); that both halves share one operator is what lets rule versions be applied in the watermark
 * order in which events are released.
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

    /** Release order of one user's events: event time, then event id. */
    static final Comparator<UserEvent> EVENT_ORDER =
            Comparator.comparing(UserEvent::timestamp).thenComparing(UserEvent::eventId);

    private final long dedupHorizonMillis;
    private final long deviceLookbackMillis;
    private final Duration dedupHorizon;
    private final Duration deviceLookback;
    private final EventTimeObserver observer;

    private transient ValueState<List<UserEvent>> pending;
    private transient ValueState<UserProfile> profiles;
    private transient InternalTimerService<VoidNamespace> releaseTimers;
    private transient InternalTimerService<VoidNamespace> cleanupTimers;
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
        pending =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "pending",
                                        Types.LIST(TypeInformation.of(UserEvent.class))));
        profiles =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("user-profile", UserProfile.class));
        releaseTimers =
                getInternalTimerService(
                        "release-timers", VoidNamespaceSerializer.INSTANCE, new Release());
        cleanupTimers =
                getInternalTimerService(
                        "cleanup-timers", VoidNamespaceSerializer.INSTANCE, new Cleanup());
        lateCounter = getMetricGroup().counter("lateEvents");
        duplicateCounter = getMetricGroup().counter("duplicateEvents");
        acceptedCounter = getMetricGroup().counter("acceptedEvents");
        lateTotal = getRuntimeContext().getLongCounter(LATE_ACCUMULATOR);
        duplicateTotal = getRuntimeContext().getLongCounter(DUPLICATE_ACCUMULATOR);
        observer.open(getMetricGroup());
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        observer.onWatermark(mark.getTimestamp());
    }

    /**
     * Holds the event in the user's waiting list, kept in release order (arrivals are mostly in
     * order, so the insertion point is found from the end in a step or two), with the release timer
     * at the list's first event.
     */
    protected void processEvent(StreamRecord<UserEvent> element) throws Exception {
        UserEvent event = element.getValue();
        observer.onEvent(event);
        long millis = event.timestampMillis();
        if (millis <= releaseTimers.currentWatermark()) {
            lateCounter.inc();
            lateTotal.add(1);
            observer.onLate(event);
            output.collect(LATE, new StreamRecord<>(event, millis));
            return;
        }
        List<UserEvent> waiting = pending.value();
        if (waiting == null) {
            waiting = new ArrayList<>(2);
            waiting.add(event);
            releaseTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, millis);
        } else {
            int at = waiting.size();
            while (at > 0 && EVENT_ORDER.compare(waiting.get(at - 1), event) > 0) {
                at--;
            }
            long earliest = waiting.get(0).timestampMillis();
            waiting.add(at, event);
            if (millis < earliest) {
                releaseTimers.deleteEventTimeTimer(VoidNamespace.INSTANCE, earliest);
                releaseTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, millis);
            }
        }
        pending.update(waiting);
    }

    /**
     * Receives each accepted event of the current user, in release order (event time, then event
     * id), with the facts of its history; every event up to the watermark it is released at has
     * been accepted or dropped before it.
     */
    protected abstract void accepted(EnrichedEvent event) throws Exception;

    /**
     * Releases, in order, the current user's waiting events that the watermark has passed: for a
     * subclass's timers that must see every event up to their time first.
     */
    protected void releaseUpTo(long watermark) throws Exception {
        release(watermark);
    }

    /** Fires at the user's earliest waiting event. */
    private final class Release implements Triggerable<String, VoidNamespace> {
        @Override
        public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
            release(releaseTimers.currentWatermark());
        }

        @Override
        public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
    }

    /**
     * Fires when something in the user's profile expires. Timers of the two services do not fire in
     * time order with each other: one watermark step can run this before the release of an earlier
     * waiting event. So it first releases every waiting event the watermark has passed, and only
     * then forgets, as of its own time, what no later event can need: every fact is computed as of
     * the event it describes.
     */
    private final class Cleanup implements Triggerable<String, VoidNamespace> {
        @Override
        public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
            release(cleanupTimers.currentWatermark());
            UserProfile profile = profiles.value();
            long now = timer.getTimestamp();
            if (profile == null
                    || profile.cleanupAtMillis == Long.MIN_VALUE
                    || now < profile.cleanupAtMillis) {
                return;
            }
            forgetExpired(profile, now);
            profile.cleanupAtMillis = Long.MIN_VALUE;
            scheduleCleanup(profile);
            profiles.update(profile);
        }

        @Override
        public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
    }

    /**
     * Emits, in release order, every waiting event the watermark has passed, each stamped with its
     * own event time (CEP measures its windows on record timestamps). They all lie between the
     * previous watermark and this one, which the operator forwards only after its timers have run.
     */
    private void release(long watermark) throws Exception {
        List<UserEvent> waiting = pending.value();
        if (waiting == null) {
            return;
        }
        int ready = 0;
        while (ready < waiting.size() && waiting.get(ready).timestampMillis() <= watermark) {
            ready++;
        }
        if (ready == 0) {
            return;
        }
        UserProfile profile = profiles.value();
        if (profile == null) {
            profile = new UserProfile();
        }
        for (int i = 0; i < ready; i++) {
            UserEvent event = waiting.get(i);
            EnrichedEvent enriched = accept(profile, event);
            if (enriched == null) {
                duplicateCounter.inc();
                duplicateTotal.add(1);
                output.collect(DUPLICATES, new StreamRecord<>(event, event.timestampMillis()));
            } else {
                acceptedCounter.inc();
                accepted(enriched);
            }
        }
        if (ready == waiting.size()) {
            pending.clear();
        } else {
            waiting.subList(0, ready).clear();
            pending.update(waiting);
            releaseTimers.registerEventTimeTimer(
                    VoidNamespace.INSTANCE, waiting.get(0).timestampMillis());
        }
        scheduleCleanup(profile);
        profiles.update(profile);
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
        return new EnrichedEvent(event, newDevice, previousEventTime, priorEvents);
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
     * Keeps a clean-up timer at or before the earliest time something in the profile expires.
     * Clean-up timers are never deleted; a stale one finds nothing to do.
     */
    private void scheduleCleanup(UserProfile p) {
        long next = Long.MAX_VALUE;
        if (p.recentIdMillis.length > 0) {
            next = p.recentIdMillis[0] + dedupHorizonMillis;
        }
        for (long loginMillis : p.deviceLastLoginMillis) {
            next = Math.min(next, loginMillis + deviceLookbackMillis);
        }
        if (next == Long.MAX_VALUE) {
            return;
        }
        if (p.cleanupAtMillis == Long.MIN_VALUE || p.cleanupAtMillis > next) {
            cleanupTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, next);
            p.cleanupAtMillis = next;
        }
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
