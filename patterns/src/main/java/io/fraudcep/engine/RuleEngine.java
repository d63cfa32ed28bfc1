package io.fraudcep.engine;

import io.fraudcep.alert.Alert;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.Step;
import io.fraudcep.rules.expr.MatchView;
import io.fraudcep.rules.expr.RuleExpression;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Every rule of a user in one keyed operator (rules.md, alerts.md). Events arrive per user in
 * event-time order from the enrichment; each is stored once, with a mask of the steps it can
 * satisfy on its own, for as long as some rule can still use it. An event that can end a rule's
 * match is that rule's trigger candidate: the engine searches the canonical match ending at it
 * ({@link Matcher}), applies suppression and emits the alert, active rules' to the main output,
 * shadow rules' to {@link #SHADOW_ALERTS}. A rule that ends with an absence triggers at deadlines:
 * a timer at each candidate's deadline judges it once the watermark has passed, after every event
 * up to it.
 *
 * <p>State per user: one {@link UserRuleState}, cleared when nothing in it can matter any more.
 */
public class RuleEngine extends KeyedProcessFunction<String, EnrichedEvent, Alert> {

    private static final long serialVersionUID = 1L;

    /** Alerts of shadow rules: evaluated like active ones, never written to the alert topic. */
    public static final OutputTag<Alert> SHADOW_ALERTS =
            new OutputTag<>("shadow-alerts", TypeInformation.of(Alert.class));

    private static final long CLEANUP_GRANULARITY_MS = 60_000L;

    private final CompiledRule[] rules;
    private final AlertFactory[] alerts;
    private final int words;
    private final int layout;

    private transient ValueState<UserRuleState> state;
    private transient Matcher[] matchers;
    private transient Counter[] matchCounters;
    private transient Counter[] alertCounters;
    private transient Counter[] suppressedCounters;
    private transient EventView eventView;

    /**
     * Compiles the rules; throws IllegalArgumentException naming the rule if one does not compile.
     */
    public RuleEngine(List<Rule> evaluated) {
        if (evaluated.isEmpty()) {
            throw new IllegalArgumentException("the rules enable no rule");
        }
        this.rules = new CompiledRule[evaluated.size()];
        this.alerts = new AlertFactory[evaluated.size()];
        int bits = 0;
        StringBuilder fingerprint = new StringBuilder();
        for (int i = 0; i < rules.length; i++) {
            rules[i] = new CompiledRule(evaluated.get(i), bits);
            alerts[i] = new AlertFactory(rules[i]);
            bits += rules[i].stepCount();
            fingerprint.append(alerts[i].patternVersion()).append(';');
        }
        this.words = Math.max(1, (bits + 63) / 64);
        this.layout = fingerprint.toString().hashCode();
    }

    @Override
    public void open(OpenContext openContext) {
        state =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("rule-state", UserRuleState.class));
        matchers = new Matcher[rules.length];
        matchCounters = new Counter[rules.length];
        alertCounters = new Counter[rules.length];
        suppressedCounters = new Counter[rules.length];
        for (int i = 0; i < rules.length; i++) {
            matchers[i] = new Matcher(rules[i]);
            MetricGroup group =
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("pattern", rules[i].rule.id())
                            .addGroup("mode", mode(rules[i].rule));
            matchCounters[i] = group.counter("matches");
            alertCounters[i] = group.counter("alerts");
            suppressedCounters[i] = group.counter("suppressed");
        }
        eventView = new EventView();
    }

    private static String mode(Rule rule) {
        return rule.mode().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void processElement(EnrichedEvent event, Context ctx, Collector<Alert> out)
            throws Exception {
        UserRuleState st = state.value();
        if (st == null) {
            st = new UserRuleState();
            st.layout = layout;
        } else if (st.layout != layout) {
            remask(st);
        }
        prune(st, ctx.timerService().currentWatermark());
        long[] mask = mask(event);
        if (!isZero(mask)) {
            append(st, event, mask);
            int e = st.events.length - 1;
            for (int r = 0; r < rules.length; r++) {
                CompiledRule rule = rules[r];
                if (!has(mask, rule.bit(rule.lastPresent()))) {
                    continue;
                }
                if (rule.trailingAbsent >= 0) {
                    ctx.timerService()
                            .registerEventTimeTimer(
                                    ceilMillis(event.timestamp().plus(rule.absencePeriod)));
                } else if (matchers[r].find(st.events, st.masks, words, e, e, null)) {
                    trigger(r, st, event.timestamp(), ctx, out);
                }
            }
        }
        save(st, ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        UserRuleState st = state.value();
        if (st == null) {
            return;
        }
        if (st.layout != layout) {
            remask(st);
        }
        if (timestamp == st.cleanupAtMillis) {
            st.cleanupAtMillis = Long.MIN_VALUE;
        }
        for (int r = 0; r < rules.length; r++) {
            if (rules[r].trailingAbsent >= 0) {
                judgeDeadlines(r, st, timestamp, ctx, out);
            }
        }
        prune(st, timestamp);
        save(st, ctx.timerService());
    }

    /**
     * Judges rule r's deadlines that fall at or before the timer, in deadline order: each candidate
     * last present event p is its own trigger at t_p + for, as an event is for other rules (two at
     * one instant: the first by event order alerts, the second is suppressed).
     */
    private void judgeDeadlines(
            int r, UserRuleState st, long timerMillis, Context ctx, Collector<Alert> out) {
        CompiledRule rule = rules[r];
        int lastBit = rule.bit(rule.lastPresent());
        Instant done = deadlineDone(st, rule.rule.id());
        Instant judged = null;
        for (int p = 0; p < st.events.length; p++) {
            if (!has(st.masks, p, lastBit)) {
                continue;
            }
            Instant deadline = st.events[p].timestamp().plus(rule.absencePeriod);
            if ((done != null && !deadline.isAfter(done)) || ceilMillis(deadline) > timerMillis) {
                continue;
            }
            if (matchers[r].find(st.events, st.masks, words, p, p, deadline)) {
                trigger(r, st, deadline, ctx, out);
            }
            judged = deadline;
        }
        if (judged != null) {
            setDeadlineDone(st, rule.rule.id(), judged);
        }
    }

    private void trigger(int r, UserRuleState st, Instant at, Context ctx, Collector<Alert> out) {
        CompiledRule rule = rules[r];
        matchCounters[r].inc();
        Instant last = lastAlert(st, rule.rule.id());
        if (last != null && at.isBefore(last.plus(rule.rule.window()))) {
            suppressedCounters[r].inc();
            return;
        }
        setLastAlert(st, rule.rule.id(), at);
        Matcher m = matchers[r];
        m.bindBest();
        Alert alert = alerts[r].alert(ctx.getCurrentKey(), at, m);
        alertCounters[r].inc();
        if (rule.rule.mode() == RuleMode.SHADOW) {
            ctx.output(SHADOW_ALERTS, alert);
        } else {
            out.collect(alert);
        }
    }

    // ---- masks -------------------------------------------------------------------------------

    /** The steps {@code event} satisfies on its own: type, and a where that reads no other step. */
    private long[] mask(EnrichedEvent event) {
        long[] mask = new long[words];
        eventView.current = event;
        for (CompiledRule rule : rules) {
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

    /** The rules changed since the state was written (a restore with another rule file). */
    private void remask(UserRuleState st) {
        EnrichedEvent[] old = st.events;
        st.events = new EnrichedEvent[0];
        st.masks = new long[0];
        for (EnrichedEvent e : old) {
            long[] mask = mask(e);
            if (!isZero(mask)) {
                append(st, e, mask);
            }
        }
        st.deadlineRuleIds = new String[0];
        st.deadlinesDone = new Instant[0];
        st.layout = layout;
    }

    private void append(UserRuleState st, EnrichedEvent event, long[] mask) {
        int n = st.events.length;
        st.events = Arrays.copyOf(st.events, n + 1);
        st.events[n] = event;
        st.masks = Arrays.copyOf(st.masks, (n + 1) * words);
        System.arraycopy(mask, 0, st.masks, n * words, words);
    }

    private static boolean isZero(long[] mask) {
        for (long w : mask) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean has(long[] mask, int bit) {
        return (mask[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private boolean has(long[] masks, int event, int bit) {
        return (masks[event * words + (bit >>> 6)] & (1L << (bit & 63))) != 0;
    }

    // ---- retention ---------------------------------------------------------------------------

    /**
     * Drops what no trigger at or after {@code watermark} can use: events older than the longest
     * window (plus absence period) of the rules they can take part in, and suppressions that have
     * run out. Every trigger still to come is at or after the watermark.
     */
    private void prune(UserRuleState st, long watermark) {
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        int kept = 0;
        for (int i = 0; i < st.events.length; i++) {
            if (st.events[i].timestamp().toEpochMilli() + retention(st.masks, i) >= watermark) {
                st.events[kept] = st.events[i];
                System.arraycopy(st.masks, i * words, st.masks, kept * words, words);
                kept++;
            }
        }
        if (kept < st.events.length) {
            st.events = Arrays.copyOf(st.events, kept);
            st.masks = Arrays.copyOf(st.masks, kept * words);
        }
        int live = 0;
        for (int i = 0; i < st.alertRuleIds.length; i++) {
            CompiledRule rule = rule(st.alertRuleIds[i]);
            if (rule != null
                    && st.lastAlerts[i].plus(rule.rule.window()).toEpochMilli() >= watermark) {
                st.alertRuleIds[live] = st.alertRuleIds[i];
                st.lastAlerts[live] = st.lastAlerts[i];
                live++;
            }
        }
        if (live < st.alertRuleIds.length) {
            st.alertRuleIds = Arrays.copyOf(st.alertRuleIds, live);
            st.lastAlerts = Arrays.copyOf(st.lastAlerts, live);
        }
    }

    /** How long after its time event i can matter: the longest retention of its rules. */
    private long retention(long[] masks, int event) {
        long longest = 0;
        for (CompiledRule rule : rules) {
            for (int s = 0; s < rule.stepCount(); s++) {
                if (has(masks, event, rule.bit(s))) {
                    longest = Math.max(longest, rule.retentionMillis);
                    break;
                }
            }
        }
        return longest;
    }

    /** Writes the state back, or clears it, and keeps one clean-up timer while it is non-empty. */
    private void save(UserRuleState st, org.apache.flink.streaming.api.TimerService timers)
            throws Exception {
        if (st.isEmpty()) {
            state.clear();
            return;
        }
        long expiry = Long.MAX_VALUE;
        for (int i = 0; i < st.events.length; i++) {
            expiry =
                    Math.min(
                            expiry,
                            st.events[i].timestamp().toEpochMilli() + retention(st.masks, i) + 1);
        }
        for (int i = 0; i < st.alertRuleIds.length; i++) {
            CompiledRule rule = rule(st.alertRuleIds[i]);
            if (rule != null) {
                expiry =
                        Math.min(
                                expiry,
                                st.lastAlerts[i].plus(rule.rule.window()).toEpochMilli() + 1);
            }
        }
        if (expiry != Long.MAX_VALUE) {
            long at = (expiry / CLEANUP_GRANULARITY_MS + 1) * CLEANUP_GRANULARITY_MS;
            if (st.cleanupAtMillis == Long.MIN_VALUE || st.cleanupAtMillis > at) {
                timers.registerEventTimeTimer(at);
                st.cleanupAtMillis = at;
            }
        }
        state.update(st);
    }

    // ---- per-rule entries --------------------------------------------------------------------

    private CompiledRule rule(String id) {
        for (CompiledRule r : rules) {
            if (r.rule.id().equals(id)) {
                return r;
            }
        }
        return null;
    }

    private static Instant lastAlert(UserRuleState st, String ruleId) {
        int i = slot(st.alertRuleIds, ruleId);
        return i < st.alertRuleIds.length ? st.lastAlerts[i] : null;
    }

    private static void setLastAlert(UserRuleState st, String ruleId, Instant at) {
        int i = slot(st.alertRuleIds, ruleId);
        if (i == st.alertRuleIds.length) {
            st.alertRuleIds = append(st.alertRuleIds, ruleId);
            st.lastAlerts = Arrays.copyOf(st.lastAlerts, i + 1);
        }
        st.lastAlerts[i] = at;
    }

    private static Instant deadlineDone(UserRuleState st, String ruleId) {
        int i = slot(st.deadlineRuleIds, ruleId);
        return i < st.deadlineRuleIds.length ? st.deadlinesDone[i] : null;
    }

    private static void setDeadlineDone(UserRuleState st, String ruleId, Instant at) {
        int i = slot(st.deadlineRuleIds, ruleId);
        if (i == st.deadlineRuleIds.length) {
            st.deadlineRuleIds = append(st.deadlineRuleIds, ruleId);
            st.deadlinesDone = Arrays.copyOf(st.deadlinesDone, i + 1);
        }
        st.deadlinesDone[i] = at;
    }

    /** The index of {@code ruleId} in {@code ids}, or {@code ids.length} when it has no entry. */
    private static int slot(String[] ids, String ruleId) {
        int i = Arrays.asList(ids).indexOf(ruleId);
        return i < 0 ? ids.length : i;
    }

    private static String[] append(String[] ids, String ruleId) {
        String[] grown = Arrays.copyOf(ids, ids.length + 1);
        grown[ids.length] = ruleId;
        return grown;
    }

    /**
     * The first whole millisecond at or after {@code t}: a timer there sees every event up to t.
     */
    static long ceilMillis(Instant t) {
        long ms = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
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
