package io.fraudcep.engine;

import io.fraudcep.alert.Alert;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.Step;
import io.fraudcep.rules.expr.MatchView;
import io.fraudcep.rules.expr.RuleExpression;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleVersion;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Every rule of a user, over every version of each rule (rules.md, alerts.md). Events arrive per
 * user in event-time order; each is stored once, with a mask of the rule steps it can satisfy on
 * its own, for the look-back horizon. For each event the engine asks, rule id by rule id, which
 * version is in force at the event's time: that version judges the whole window ending at the
 * event, events from before it took effect included. A version ending with an absence triggers at
 * deadlines t_p + for, when it is the version in force at the deadline.
 *
 * <p>Why every event for the whole horizon, not only what the rules in force can use: a version
 * that arrives while the job runs judges windows that began before it arrived; to judge them as a
 * replay that knew the version from the start does, the engine must still hold their events. So the
 * horizon (24 h by default) bounds every version's window plus absence period, and a version that
 * needs more is refused.
 *
 * <p>Versions are compiled into slots: each evaluated version gets its own bits in the event masks,
 * appended as versions arrive; a user's masks are extended (only the new bits evaluated) the next
 * time the user is touched. Slots that can judge nothing any more are dropped now and then, and
 * masks are then recomputed per user, lazily.
 *
 * <p>Not a Flink function: the detection operator owns state, timers and outputs and calls in, in
 * the order in which its enrichment releases events. Not thread-safe.
 */
public final class RuleEngine implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final long CLEANUP_GRANULARITY_MS = 60_000L;

    /** Where alerts go. */
    public interface Sink {
        void alert(Alert alert, boolean shadow);
    }

    private final RuleHistory history;
    private final Duration horizon;
    private final long horizonMillis;

    private transient Map<String, List<Entry>> timelines;
    private transient List<Slot> slots;
    private transient long[] prefixLayouts;
    private transient int bits;
    private transient int words;
    private transient MetricGroup metrics;
    private transient Map<String, Counter[]> counters;
    private transient EventView eventView;

    /**
     * An engine for a rule history (the rule file's rules and the versions known when the job is
     * built) and a look-back horizon. Compiles every version to fail early.
     *
     * @throws IllegalArgumentException naming the rule if a version does not compile or needs more
     *     than the horizon
     */
    public RuleEngine(RuleHistory history, Duration horizon) {
        this.history = history;
        this.horizon = horizon;
        this.horizonMillis = horizon.toMillis();
        for (String id : history.ruleIds()) {
            for (RuleVersion v : history.timeline(id)) {
                if (v.rule().mode() != RuleMode.DISABLED) {
                    String problem = RuleHistory.horizonProblem(v.rule(), horizon);
                    if (problem != null) {
                        throw new IllegalArgumentException("rule " + id + ": " + problem);
                    }
                    new CompiledRule(v.rule(), 0);
                }
            }
        }
    }

    /** The look-back horizon. */
    public Duration horizon() {
        return horizon;
    }

    /**
     * Opens the engine with the rule file's rules in force; the caller then applies the versions of
     * the control topic, from its state or, on a first start, {@link #preloaded()}.
     */
    public void open(MetricGroup metrics) {
        this.metrics = metrics;
        this.counters = new HashMap<>();
        this.timelines = new LinkedHashMap<>();
        this.slots = new ArrayList<>();
        this.prefixLayouts = new long[] {17L};
        this.bits = 0;
        this.words = 1;
        this.eventView = new EventView();
        for (Rule r : history.base().rules()) {
            apply(new RuleVersion(r.id(), 0, Instant.MIN, r));
        }
    }

    /** The control topic's versions known when the job was built (a replay's whole history). */
    public List<RuleVersion> preloaded() {
        return history.versions();
    }

    /** Every version the engine knows, in timeline order per rule id. */
    public List<RuleVersion> versions() {
        List<RuleVersion> all = new ArrayList<>();
        for (List<Entry> line : timelines.values()) {
            for (Entry e : line) {
                all.add(e.version);
            }
        }
        return all;
    }

    /**
     * Adds a version to its rule's timeline (from its applied instant on it judges the rule's
     * triggers). A version already known (same id and number) is ignored.
     */
    public void apply(RuleVersion version) {
        List<Entry> line = timelines.computeIfAbsent(version.ruleId(), k -> new ArrayList<>());
        for (Entry e : line) {
            if (e.version.ruleVersion() == version.ruleVersion()) {
                return;
            }
        }
        Slot slot = null;
        if (version.rule().mode() != RuleMode.DISABLED) {
            String problem = RuleHistory.horizonProblem(version.rule(), horizon);
            if (problem != null) {
                throw new IllegalArgumentException("rule " + version.ruleId() + ": " + problem);
            }
            slot = new Slot(version, new CompiledRule(version.rule(), bits));
            addSlot(slot);
        }
        line.add(new Entry(version, slot));
        line.sort((a, b) -> RuleHistory.TIMELINE_ORDER.compare(a.version, b.version));
        for (int i = 0; i < line.size(); i++) {
            Entry e = line.get(i);
            if (e.slot != null) {
                e.slot.until = i + 1 < line.size() ? line.get(i + 1).version.effectiveFrom() : null;
            }
        }
    }

    private void addSlot(Slot slot) {
        slots.add(slot);
        bits += slot.rule.stepCount();
        words = Math.max(1, (bits + 63) / 64);
        long prefix = prefixLayouts[prefixLayouts.length - 1];
        prefixLayouts = Arrays.copyOf(prefixLayouts, prefixLayouts.length + 1);
        prefixLayouts[prefixLayouts.length - 1] =
                prefix * 1_000_003L
                        + (slot.version.ruleId()
                                        + '#'
                                        + slot.version.ruleVersion()
                                        + '#'
                                        + slot.alerts.patternVersion()
                                        + '#'
                                        + slot.rule.firstBit)
                                .hashCode();
        String mode = slot.version.rule().mode().name().toLowerCase(Locale.ROOT);
        slot.counters =
                counters.computeIfAbsent(
                        slot.version.ruleId() + "/" + mode,
                        k -> {
                            MetricGroup group =
                                    metrics.addGroup("pattern", slot.version.ruleId())
                                            .addGroup("mode", mode);
                            return new Counter[] {
                                group.counter("matches"),
                                group.counter("alerts"),
                                group.counter("suppressed")
                            };
                        });
    }

    /**
     * Drops the slots that can judge nothing any more: superseded more than a horizon (and two
     * clean-up periods) before the watermark, by when every user that held events for them has been
     * touched since they arrived. Renumbers the bits; users' masks are recomputed lazily. Does
     * nothing until there are enough such slots to be worth it.
     */
    public void compact(long watermark) {
        int retired = 0;
        for (Slot s : slots) {
            if (retired(s, watermark)) {
                retired++;
            }
        }
        if (retired < 8) {
            return;
        }
        List<Slot> kept = new ArrayList<>();
        for (Slot s : slots) {
            if (!retired(s, watermark)) {
                kept.add(s);
            }
        }
        slots = new ArrayList<>();
        prefixLayouts = new long[] {prefixLayouts[prefixLayouts.length - 1] * 31 + 7};
        bits = 0;
        words = 1;
        Map<RuleVersion, Slot> renumbered = new HashMap<>();
        for (Slot s : kept) {
            Slot moved = new Slot(s.version, new CompiledRule(s.version.rule(), bits));
            moved.until = s.until;
            addSlot(moved);
            renumbered.put(s.version, moved);
        }
        for (List<Entry> line : timelines.values()) {
            for (int i = 0; i < line.size(); i++) {
                Entry e = line.get(i);
                if (e.slot != null) {
                    line.set(i, new Entry(e.version, renumbered.get(e.version)));
                }
            }
        }
    }

    private boolean retired(Slot s, long watermark) {
        return s.until != null
                && s.until.toEpochMilli() + horizonMillis + 2 * CLEANUP_GRANULARITY_MS < watermark;
    }

    // ---- per user ----------------------------------------------------------------------------

    /**
     * Applies one accepted event of the current user, in release order: first the deadlines that
     * fall before it, then its own triggers.
     */
    public void onEvent(String user, UserRuleState st, EnrichedEvent event, Sink sink) {
        sync(st);
        judgeDeadlines(user, st, event.timestamp(), false, sink);
        // As of the event, not the watermark it is released at: one step may release events far
        // behind the watermark (a replay's last one is at the end of time), and each needs its own
        // window.
        prune(st, event.timestamp().toEpochMilli());
        long[] mask = mask(event, 0);
        append(st, event, mask);
        int e = st.events.length - 1;
        Instant t = event.timestamp();
        for (List<Entry> line : timelines.values()) {
            Entry now = inForce(line, t);
            if (now != null
                    && now.slot != null
                    && now.slot.rule.trailingAbsent < 0
                    && has(mask, now.slot.rule.bit(now.slot.rule.lastPresent()))
                    && now.slot.matcher.find(st.events, st.masks, words, e, e, null)) {
                trigger(user, now.slot, st, t, sink);
            }
        }
    }

    /**
     * Whether a version, once applied, must be brought to every user at once: one that ends with an
     * absence triggers at deadlines after events users already have, which need timers now, not at
     * the user's next event.
     */
    public static boolean triggersAtDeadlines(RuleVersion version) {
        List<Step> steps = version.rule().steps();
        return version.rule().mode() != RuleMode.DISABLED && steps.get(steps.size() - 1).absent();
    }

    /**
     * Brings the current user's masks to the versions applied so far and registers the deadlines of
     * new versions ending with an absence.
     */
    public void touch(UserRuleState st) {
        sync(st);
    }

    /**
     * A timer of the current user: judges the deadlines up to it, then forgets what has expired.
     */
    public void onTimer(String user, UserRuleState st, long timestamp, Sink sink) {
        sync(st);
        judgeDeadlines(user, st, Instant.ofEpochMilli(timestamp), true, sink);
        prune(st, timestamp);
    }

    /**
     * When the user's timer must fire next (event time ms), or Long.MAX_VALUE: the earliest
     * deadline not yet judged of a version in force at it, or the clean-up of what expires first.
     */
    public long nextTimer(UserRuleState st) {
        long next = cleanupAt(st);
        Instant judgedTo = st.deadlinesJudgedTo;
        for (List<Entry> line : timelines.values()) {
            for (Entry entry : line) {
                Slot slot = entry.slot;
                if (slot == null || slot.rule.trailingAbsent < 0) {
                    continue;
                }
                int lastBit = slot.rule.bit(slot.rule.lastPresent());
                for (int p = st.events.length - 1; p >= 0; p--) {
                    Instant deadline = st.events[p].timestamp().plus(slot.rule.absencePeriod);
                    if (judgedTo != null && !deadline.isAfter(judgedTo)) {
                        break;
                    }
                    if (has(st.masks, p, lastBit) && inForce(line, deadline) == entry) {
                        next = Math.min(next, ceilMillis(deadline));
                    }
                }
            }
        }
        return next;
    }

    /**
     * Judges the deadlines not yet judged up to {@code limit} (inclusive or not), of every version
     * ending with an absence that is in force at its deadline, in deadline order, ties by event
     * order: each candidate last present event p is its own trigger at t_p + for, as an event is
     * for other rules.
     */
    private void judgeDeadlines(
            String user, UserRuleState st, Instant limit, boolean inclusive, Sink sink) {
        Instant judgedTo = st.deadlinesJudgedTo;
        List<long[]> due = null;
        for (List<Entry> line : timelines.values()) {
            for (Entry entry : line) {
                Slot slot = entry.slot;
                if (slot == null || slot.rule.trailingAbsent < 0) {
                    continue;
                }
                int lastBit = slot.rule.bit(slot.rule.lastPresent());
                for (int p = 0; p < st.events.length; p++) {
                    if (!has(st.masks, p, lastBit)) {
                        continue;
                    }
                    Instant deadline = st.events[p].timestamp().plus(slot.rule.absencePeriod);
                    int toLimit = deadline.compareTo(limit);
                    if ((judgedTo != null && !deadline.isAfter(judgedTo))
                            || toLimit > 0
                            || (toLimit == 0 && !inclusive)
                            || inForce(line, deadline) != entry) {
                        continue;
                    }
                    if (due == null) {
                        due = new ArrayList<>();
                    }
                    due.add(new long[] {slots.indexOf(slot), p});
                }
            }
        }
        if (due != null) {
            due.sort(
                    (a, b) -> {
                        int c = deadlineOf(st, a).compareTo(deadlineOf(st, b));
                        return c != 0 ? c : Long.compare(a[1], b[1]);
                    });
            for (long[] d : due) {
                Slot slot = slots.get((int) d[0]);
                int p = (int) d[1];
                Instant deadline = deadlineOf(st, d);
                if (slot.matcher.find(st.events, st.masks, words, p, p, deadline)) {
                    trigger(user, slot, st, deadline, sink);
                }
            }
        }
        Instant upTo = inclusive ? limit : limit.minusNanos(1);
        if (judgedTo == null || upTo.isAfter(judgedTo)) {
            st.deadlinesJudgedTo = upTo;
        }
    }

    private Instant deadlineOf(UserRuleState st, long[] due) {
        Slot slot = slots.get((int) due[0]);
        return st.events[(int) due[1]].timestamp().plus(slot.rule.absencePeriod);
    }

    private void trigger(String user, Slot slot, UserRuleState st, Instant at, Sink sink) {
        slot.counters[0].inc();
        String key = slot.suppressionKey;
        Instant last = lastAlert(st, key);
        if (last != null && at.isBefore(last.plus(slot.version.rule().window()))) {
            slot.counters[2].inc();
            return;
        }
        setLastAlert(st, key, at);
        slot.matcher.bindBest();
        Alert alert = slot.alerts.alert(user, at, slot.matcher);
        slot.counters[1].inc();
        sink.alert(alert, slot.version.rule().mode() == RuleMode.SHADOW);
    }

    /** The entry of {@code line} in force at {@code t}, or null. */
    private static Entry inForce(List<Entry> line, Instant t) {
        Entry found = null;
        for (Entry e : line) {
            if (e.version.effectiveFrom().isAfter(t)) {
                break;
            }
            found = e;
        }
        return found;
    }

    // ---- masks -------------------------------------------------------------------------------

    /**
     * Brings the user's masks to the current slots: the new slots' bits only if the masks were made
     * with a prefix of them, otherwise all.
     */
    private void sync(UserRuleState st) {
        int from;
        if (st.maskedSlots <= slots.size() && st.layout == prefixLayouts[st.maskedSlots]) {
            if (st.maskedSlots == slots.size() && st.words == words) {
                return;
            }
            from = st.maskedSlots;
        } else {
            from = 0;
        }
        int n = st.events.length;
        long[] masks = new long[n * words];
        for (int i = 0; i < n; i++) {
            if (from > 0) {
                System.arraycopy(st.masks, i * st.words, masks, i * words, st.words);
            }
            long[] own = mask(st.events[i], from);
            for (int w = 0; w < words; w++) {
                masks[i * words + w] |= own[w];
            }
        }
        st.masks = masks;
        st.words = words;
        st.maskedSlots = slots.size();
        st.layout = prefixLayouts[slots.size()];
    }

    /** The bits of slots {@code fromSlot..} that {@code event} satisfies on its own. */
    private long[] mask(EnrichedEvent event, int fromSlot) {
        long[] mask = new long[words];
        eventView.current = event;
        for (int i = fromSlot; i < slots.size(); i++) {
            CompiledRule rule = slots.get(i).rule;
            List<Step> steps = rule.rule.steps();
            for (int s = 0; s < steps.size(); s++) {
                if (!steps.get(s).accepts(event.event().type())) {
                    continue;
                }
                RuleExpression where = rule.where[s];
                if (where == null || where.readsSteps() || where.test(eventView)) {
                    int bit = rule.bit(s);
                    mask[bit >>> 6] |= 1L << (bit & 63);
                }
            }
        }
        eventView.current = null;
        return mask;
    }

    private void append(UserRuleState st, EnrichedEvent event, long[] mask) {
        int n = st.events.length;
        st.events = Arrays.copyOf(st.events, n + 1);
        st.events[n] = event;
        st.masks = Arrays.copyOf(st.masks, (n + 1) * words);
        System.arraycopy(mask, 0, st.masks, n * words, words);
    }

    private static boolean has(long[] mask, int bit) {
        return (mask[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private boolean has(long[] masks, int event, int bit) {
        return (masks[event * words + (bit >>> 6)] & (1L << (bit & 63))) != 0;
    }

    // ---- retention ---------------------------------------------------------------------------

    /**
     * Drops what no trigger after {@code watermark} (an instant every trigger still to judge is at
     * or after) can use under any version, present or to come: events and last alerts more than the
     * horizon old.
     */
    private void prune(UserRuleState st, long watermark) {
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        int drop = 0;
        while (drop < st.events.length
                && st.events[drop].timestamp().toEpochMilli() + horizonMillis < watermark) {
            drop++;
        }
        if (drop > 0) {
            st.events = Arrays.copyOfRange(st.events, drop, st.events.length);
            st.masks = Arrays.copyOfRange(st.masks, drop * words, st.masks.length);
        }
        int live = 0;
        for (int i = 0; i < st.alertKeys.length; i++) {
            if (st.lastAlerts[i].toEpochMilli() + horizonMillis >= watermark) {
                st.alertKeys[live] = st.alertKeys[i];
                st.lastAlerts[live] = st.lastAlerts[i];
                live++;
            }
        }
        if (live < st.alertKeys.length) {
            st.alertKeys = Arrays.copyOf(st.alertKeys, live);
            st.lastAlerts = Arrays.copyOf(st.lastAlerts, live);
        }
    }

    /**
     * When the whole of the user's rule state has expired (a minute boundary after its newest event
     * and last alert leave the horizon), or Long.MAX_VALUE if it holds nothing. Not the oldest
     * event's expiry: an active user's old events are pruned at its next event anyway, so the timer
     * fires once per idle user, not once per event, and state stays within the horizon before the
     * user's newest event.
     */
    private long cleanupAt(UserRuleState st) {
        long newest = Long.MIN_VALUE;
        if (st.events.length > 0) {
            newest = st.events[st.events.length - 1].timestamp().toEpochMilli();
        }
        for (Instant last : st.lastAlerts) {
            newest = Math.max(newest, last.toEpochMilli());
        }
        if (newest == Long.MIN_VALUE) {
            return Long.MAX_VALUE;
        }
        long expiry = newest + horizonMillis + 1;
        return (expiry / CLEANUP_GRANULARITY_MS + 1) * CLEANUP_GRANULARITY_MS;
    }

    // ---- suppression -------------------------------------------------------------------------

    private static Instant lastAlert(UserRuleState st, String key) {
        int i = Arrays.asList(st.alertKeys).indexOf(key);
        return i < 0 ? null : st.lastAlerts[i];
    }

    private static void setLastAlert(UserRuleState st, String key, Instant at) {
        int i = Arrays.asList(st.alertKeys).indexOf(key);
        if (i < 0) {
            i = st.alertKeys.length;
            st.alertKeys = Arrays.copyOf(st.alertKeys, i + 1);
            st.alertKeys[i] = key;
            st.lastAlerts = Arrays.copyOf(st.lastAlerts, i + 1);
        }
        st.lastAlerts[i] = at;
    }

    /**
     * The first whole millisecond at or after {@code t}: a timer there sees every event up to t.
     */
    static long ceilMillis(Instant t) {
        long ms = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    }

    // ---- layout ------------------------------------------------------------------------------

    /** A version in a rule's timeline, and its slot if it is evaluated. */
    private record Entry(RuleVersion version, Slot slot) {}

    /** An evaluated version: its bits in the masks, its matcher, alert writer and counters. */
    private static final class Slot {
        final RuleVersion version;
        final CompiledRule rule;
        final AlertFactory alerts;
        final Matcher matcher;
        final String suppressionKey;
        Instant until;
        Counter[] counters;

        Slot(RuleVersion version, CompiledRule rule) {
            this.version = version;
            this.rule = rule;
            this.alerts = new AlertFactory(rule);
            this.matcher = new Matcher(rule);
            this.suppressionKey =
                    version.rule().mode() == RuleMode.SHADOW
                            ? version.ruleId() + "#shadow"
                            : version.ruleId();
        }
    }

    /** The event under test for masks: no other step is bound. */
    private static final class EventView implements MatchView {
        EnrichedEvent current;

        @Override
        public EnrichedEvent current() {
            return current;
        }

        @Override
        public List<EnrichedEvent> events(String step) {
            return null;
        }

        @Override
        public Duration span() {
            return null;
        }
    }
}
