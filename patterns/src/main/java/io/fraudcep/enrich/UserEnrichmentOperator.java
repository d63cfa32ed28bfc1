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
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The one keyed operator in front of the patterns. Per user it
 *
 * <ul>
 *   <li>holds events until the watermark passes them and releases them in event-time order
 *       (ties broken by event id), so everything downstream sees each user's history in one
 *       deterministic order whatever the arrival order, the parallelism or the replay speed;
 *   <li>routes events that arrive behind the watermark to {@link #LATE} (never dropped silently);
 *   <li>drops duplicates: an event id already accepted for the user within the de-duplication
 *       horizon (24 h of event time) goes to {@link #DUPLICATES};
 *   <li>attaches the history facts of {@link EnrichedEvent}: new device, previous event time,
 *       previous login with coordinates.
 * </ul>
 *
 * <p>State is one small {@link UserProfile} plus the events waiting for the watermark. A clean-up
 * timer forgets event ids past the horizon and devices past the look-back, so an idle user keeps
 * only the last event time, the last coordinate login and recent devices.
 */
public class UserEnrichmentFunction extends KeyedProcessFunction<String, UserEvent, EnrichedEvent> {

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

    /** Release order for events of one user at one millisecond. */
    static final Comparator<UserEvent> EVENT_ORDER =
            Comparator.comparing(UserEvent::timestamp).thenComparing(UserEvent::eventId);

    private final long dedupHorizonMillis;
    private final long deviceLookbackMillis;
    private final Duration dedupHorizon;
    private final Duration deviceLookback;

    private transient MapState<Long, List<UserEvent>> pending;
    private transient ValueState<UserProfile> profiles;
    private transient Counter lateCounter;
    private transient Counter duplicateCounter;
    private transient Counter acceptedCounter;
    private transient LongCounter lateTotal;
    private transient LongCounter duplicateTotal;

    public UserEnrichmentFunction(EnrichmentSettings settings) {
        this.dedupHorizon = settings.dedupHorizon();
        this.deviceLookback = settings.deviceLookback();
        this.dedupHorizonMillis = dedupHorizon.toMillis();
        this.deviceLookbackMillis = deviceLookback.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending-events",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(UserEvent.class))));
        profiles =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("user-profile", UserProfile.class));
        lateCounter = getRuntimeContext().getMetricGroup().counter("lateEvents");
        duplicateCounter = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
        acceptedCounter = getRuntimeContext().getMetricGroup().counter("acceptedEvents");
        lateTotal = getRuntimeContext().getLongCounter(LATE_ACCUMULATOR);
        duplicateTotal = getRuntimeContext().getLongCounter(DUPLICATE_ACCUMULATOR);
    }

    @Override
    public void processElement(UserEvent event, Context ctx, Collector<EnrichedEvent> out)
            throws Exception {
        long millis = event.timestampMillis();
        if (millis <= ctx.timerService().currentWatermark()) {
            lateCounter.inc();
            lateTotal.add(1);
            ctx.output(LATE, event);
            return;
        }
        List<UserEvent> atMillis = pending.get(millis);
        if (atMillis == null) {
            atMillis = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(millis);
        }
        atMillis.add(event);
        pending.put(millis, atMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedEvent> out)
            throws Exception {
        UserProfile profile = profiles.value();
        if (profile == null) {
            profile = new UserProfile();
        }
        // Each millisecond's events are released by their own timer: timers fire in time order,
        // and what this timer emits carries its timestamp, i.e. the events' own event time.
        List<UserEvent> ready = pending.get(timestamp);
        if (ready != null) {
            pending.remove(timestamp);
            ready.sort(EVENT_ORDER);
            for (UserEvent event : ready) {
                EnrichedEvent enriched = accept(profile, event);
                if (enriched == null) {
                    duplicateCounter.inc();
                    duplicateTotal.add(1);
                    ctx.output(DUPLICATES, event);
                } else {
                    acceptedCounter.inc();
                    out.collect(enriched);
                }
            }
        }
        if (profile.cleanupAtMillis != Long.MIN_VALUE && timestamp >= profile.cleanupAtMillis) {
            forgetExpired(profile, timestamp);
            profile.cleanupAtMillis = Long.MIN_VALUE;
        }
        scheduleCleanup(profile, ctx);
        profiles.update(profile);
    }

    /**
     * Applies one event, in event-time order, to the profile. Returns the enriched event, or null
     * if the event is a duplicate.
     */
    EnrichedEvent accept(UserProfile p, UserEvent event) {
        long millis = event.timestampMillis();
        long idHash = hash(event.eventId());
        for (int i = p.recentIdHashes.length - 1; i >= 0; i--) {
            if (p.recentIdHashes[i] == idHash && millis - p.recentIdMillis[i] < dedupHorizonMillis) {
                return null;
            }
        }
        Instant previousEventTime = p.lastEventTime;
        boolean newDevice = false;
        GeoLogin previousGeo = null;
        Instant previousFailure = null;
        if (event.type() == EventType.LOGIN_FAILURE) {
            p.lastLoginFailure = event.timestamp();
        } else if (event.type() == EventType.LOGIN_SUCCESS) {
            previousFailure = p.lastLoginFailure;
            newDevice = isNewDevice(p, event.deviceId(), millis);
            rememberDevice(p, event.deviceId(), millis);
            if (event.hasCoordinates()) {
                previousGeo = p.lastGeoLogin;
                p.lastGeoLogin =
                        new GeoLogin(
                                event.eventId(),
                                event.timestamp(),
                                event.lat(),
                                event.lon(),
                                event.deviceId());
            }
        }
        rememberId(p, idHash, millis);
        p.lastEventMillis = millis;
        p.lastEventTime = event.timestamp();
        return new EnrichedEvent(event, newDevice, previousEventTime, previousGeo, previousFailure);
    }

    private boolean isNewDevice(UserProfile p, String deviceId, long millis) {
        boolean anyRecentLogin = false;
        for (int i = 0; i < p.devices.length; i++) {
            if (millis - p.deviceLastLoginMillis[i] < deviceLookbackMillis) {
                if (p.devices[i].equals(deviceId)) {
                    return false;
                }
                anyRecentLogin = true;
            }
        }
        return anyRecentLogin;
    }

    private static void rememberDevice(UserProfile p, String deviceId, long millis) {
        for (int i = 0; i < p.devices.length; i++) {
            if (p.devices[i].equals(deviceId)) {
                p.deviceLastLoginMillis[i] = millis;
                return;
            }
        }
        int n = p.devices.length;
        p.devices = Arrays.copyOf(p.devices, n + 1);
        p.deviceLastLoginMillis = Arrays.copyOf(p.deviceLastLoginMillis, n + 1);
        p.devices[n] = deviceId;
        p.deviceLastLoginMillis[n] = millis;
    }

    private void rememberId(UserProfile p, long idHash, long millis) {
        // Drop ids that left the horizon, then append: the arrays stay in event-time order.
        int keepFrom = 0;
        while (keepFrom < p.recentIdMillis.length
                && millis - p.recentIdMillis[keepFrom] >= dedupHorizonMillis) {
            keepFrom++;
        }
        int kept = p.recentIdHashes.length - keepFrom;
        long[] hashes = new long[kept + 1];
        long[] times = new long[kept + 1];
        System.arraycopy(p.recentIdHashes, keepFrom, hashes, 0, kept);
        System.arraycopy(p.recentIdMillis, keepFrom, times, 0, kept);
        hashes[kept] = idHash;
        times[kept] = millis;
        p.recentIdHashes = hashes;
        p.recentIdMillis = times;
    }

    /** Forgets ids past the horizon and devices past the look-back, as of {@code nowMillis}. */
    void forgetExpired(UserProfile p, long nowMillis) {
        int keepFrom = 0;
        while (keepFrom < p.recentIdMillis.length
                && nowMillis - p.recentIdMillis[keepFrom] >= dedupHorizonMillis) {
            keepFrom++;
        }
        if (keepFrom > 0) {
            p.recentIdHashes = Arrays.copyOfRange(p.recentIdHashes, keepFrom, p.recentIdHashes.length);
            p.recentIdMillis = Arrays.copyOfRange(p.recentIdMillis, keepFrom, p.recentIdMillis.length);
        }
        int live = 0;
        for (int i = 0; i < p.devices.length; i++) {
            if (nowMillis - p.deviceLastLoginMillis[i] < deviceLookbackMillis) {
                p.devices[live] = p.devices[i];
                p.deviceLastLoginMillis[live] = p.deviceLastLoginMillis[i];
                live++;
            }
        }
        if (live < p.devices.length) {
            p.devices = Arrays.copyOf(p.devices, live);
            p.deviceLastLoginMillis = Arrays.copyOf(p.deviceLastLoginMillis, live);
        }
    }

    /**
     * Keeps a clean-up timer at or before the earliest time something in the profile expires.
     * Timers are never deleted (a drain timer may share the millisecond); a stale one only runs a
     * harmless clean-up.
     */
    private void scheduleCleanup(UserProfile p, OnTimerContext ctx) {
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
            ctx.timerService().registerEventTimeTimer(next);
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
