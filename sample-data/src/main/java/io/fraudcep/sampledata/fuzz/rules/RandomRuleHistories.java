package io.fraudcep.sampledata.fuzz.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.fraudcep.alert.Severity;
import io.fraudcep.model.EventType;
import io.fraudcep.rules.Durations;
import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.Quantifier;
import io.fraudcep.rules.Rule;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleMode;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.Step;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleRecordException;
import io.fraudcep.rules.history.RuleRecords;
import io.fraudcep.rules.history.RuleVersion;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Generates random valid rule histories (rules.md, "Rule versions on the control topic") for
 * differential tests of the rule engine's versioning against {@link RuleReference}: 2 to 6 rule
 * ids, some of the given rule file and some new ones (random rules of {@link RandomRules}, over the
 * event types of the dense log), each with 1 to 5 versions numbered 1, 2, ... Each version changes
 * the previous one of its id: a threshold ({@code times} or a parameter) lowered or raised, the
 * window shortened or lengthened, shadow to active and back, disabled and re-enabled, an absence
 * with {@code for} appended to a rule that ended with an event (or dropped again), the severity, or
 * nothing but the version. The versions take effect at instants spread over [from, until], some
 * before {@code from}, some at the same instant as another version (of the same id or not), and now
 * and then a version takes effect before the previous version of its id. Every version's window
 * plus its absence's {@code for} stays within {@link #HORIZON}, the engine's default look-back.
 *
 * <p>Each version is what parsing its control-topic record gives, its published text included
 * ({@link #toJsonl}), so a history written to a file and read back by {@code bin/fraud backtest
 * --rules-history} is the same history. Deterministic: the same seed and arguments give the same
 * history.
 */
public final class RandomRuleHistories {

    /** The bound of every version's window plus its absence's {@code for}. */
    public static final Duration HORIZON = Duration.ofHours(24);

    private static final String[] WINDOWS = {
        "30s", "45s", "1m", "90s", "2m", "5m", "10m", "15m", "20m", "30m", "1h", "2h", "6h", "12h"
    };
    private static final String[] FORS = {"30s", "1m", "2m", "5m", "10m", "15m", "30m", "1h"};
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("100000");
    private static final Duration MAX_PARAM_DURATION = Duration.ofDays(90);

    /** What an appended absent step can forbid: types seen in the dense log's episodes. */
    private static final List<List<EventType>> ABSENT_TYPES =
            List.of(
                    List.of(EventType.LOGIN_SUCCESS),
                    List.of(EventType.LOGIN_FAILURE),
                    List.of(EventType.CARD_PAYMENT),
                    List.of(EventType.TRANSFER_OUT),
                    List.of(EventType.TRANSFER_OUT, EventType.WITHDRAWAL),
                    List.of(EventType.DEPOSIT),
                    List.of(EventType.PAYEE_ADDED),
                    List.of(EventType.PASSWORD_CHANGE, EventType.MFA_DISABLED));

    private static final String[] AMOUNTS = {"5.00", "500.00", "1000.00", "2000.00", "9000.00"};

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How one version differs from the previous one of its id. */
    private enum Change {
        THRESHOLD_DOWN,
        THRESHOLD_UP,
        WINDOW_SHORTER,
        WINDOW_LONGER,
        TOGGLE_SHADOW,
        DISABLE,
        ENABLE,
        TO_ABSENCE,
        TO_EVENT,
        SEVERITY,
        REPUBLISH
    }

    private final SplittableRandom rnd;
    private final long seed;
    private int absentSteps;

    private RandomRuleHistories(long seed) {
        this.rnd = new SplittableRandom(seed);
        this.seed = seed;
    }

    /**
     * A random valid history over {@code base} (the rule file, version 0 of its ids) with versions
     * taking effect from about {@code from} to {@code until}.
     */
    public static RuleHistory generate(long seed, RuleSet base, Instant from, Instant until) {
        if (until.isBefore(from)) {
            throw new IllegalArgumentException("until " + until + " is before from " + from);
        }
        return new RandomRuleHistories(seed).history(base, from, until);
    }

    /**
     * The history's control-topic records, one JSON value a line ({@link RuleRecords#toJson}), in
     * an order the topic could hold them: each id's versions by increasing version, the ids'
     * versions interleaved by effective instant. A record's rule is the version's published text,
     * or for a version without one its rule as {@link #toJson(Rule)} writes it; its {@code comment}
     * says what changed from the previous version of its id.
     */
    public static List<String> toJsonl(RuleHistory history) {
        List<String> lines = new ArrayList<>();
        for (RuleVersion v : topicOrder(history.ruleIds(), history.versions())) {
            lines.add(RuleRecords.toJson(record(v, previous(history, v))));
        }
        return lines;
    }

    /**
     * A rule as the JSON object of a rule file (rules.md), as a control-topic record carries it:
     * parameters and {@code times} as written, durations in their short form.
     */
    public static String toJson(Rule rule) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", rule.id());
        if (rule.description() != null) {
            r.put("description", rule.description());
        }
        r.put("severity", rule.severity().name());
        r.put("mode", rule.mode().name().toLowerCase(Locale.ROOT));
        r.put("window", Durations.format(rule.window()));
        if (!rule.params().isEmpty()) {
            ObjectNode params = r.putObject("params");
            for (Map.Entry<String, ParamValue> p : rule.params().entrySet()) {
                ParamValue v = p.getValue();
                switch (v.kind()) {
                    case INT, DECIMAL, BOOL ->
                            params.putRawValue(p.getKey(), new RawValue(v.text()));
                    default -> params.put(p.getKey(), v.text());
                }
            }
        }
        ArrayNode steps = r.putArray("steps");
        for (Step s : rule.steps()) {
            ObjectNode step = steps.addObject();
            step.put("name", s.name());
            if (s.types().size() == 1) {
                step.put("type", s.types().get(0).name());
            } else {
                ArrayNode types = step.putArray("type");
                s.types().forEach(t -> types.add(t.name()));
            }
            putOptional(step, "where", s.where());
            String times = times(s.times());
            if (!times.equals("1")) {
                step.put("times", times);
            }
            putOptional(step, "having", s.having());
            if (s.strict()) {
                step.put("contiguity", "strict");
            }
            if (s.absent()) {
                step.put("absent", true);
            }
            if (s.forDuration() != null) {
                step.put("for", Durations.format(s.forDuration()));
            }
        }
        putOptional(r, "summary", rule.summary());
        return r.toString();
    }

    /** A rule version's window plus its trailing absence's {@code for}: what it looks back. */
    public static Duration lookBack(Rule rule) {
        Step last = rule.steps().get(rule.steps().size() - 1);
        return last.absent() ? rule.window().plus(last.forDuration()) : rule.window();
    }

    private RuleHistory history(RuleSet base, Instant from, Instant until) {
        int ids = 2 + rnd.nextInt(5);
        List<Rule> fromFile = new ArrayList<>(base.rules());
        shuffle(fromFile);
        int fromBase = fromFile.isEmpty() ? 0 : Math.min(fromFile.size(), 1 + rnd.nextInt(ids - 1));
        List<Rule> fresh = freshRules(ids - fromBase, base);
        List<RuleVersion> versions = new ArrayList<>();
        List<Instant> used = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int k = 0; k < ids; k++) {
            Rule current = k < fromBase ? fromFile.get(k) : null;
            Rule first = current == null ? fresh.get(k - fromBase) : null;
            String id = current != null ? current.id() : first.id();
            order.add(id);
            int n = 1 + rnd.nextInt(5);
            List<Instant> at = instants(n, from, until, used);
            for (int v = 1; v <= n; v++) {
                RuleRecord record = current == null ? published(first, v) : next(current, v);
                versions.add(
                        new RuleVersion(id, v, at.get(v - 1), record.rule(), record.ruleJson()));
                current = record.rule();
            }
            used.addAll(at);
        }
        return new RuleHistory(base, topicOrder(order, versions));
    }

    /**
     * New rules for the new ids: random rules of {@link RandomRules} under new ids, evaluated
     * (active or shadow).
     */
    private List<Rule> freshRules(int count, RuleSet base) {
        List<Rule> pool = new ArrayList<>();
        long file = 0;
        while (pool.size() < count) {
            long fileSeed = seed * 1_000_003L + file++;
            for (Rule r : RuleFiles.parse(RandomRules.generate(fileSeed), "random.yaml").rules()) {
                if (lookBack(r).compareTo(HORIZON) <= 0) {
                    pool.add(r);
                }
            }
        }
        shuffle(pool);
        List<Rule> fresh = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Rule r = pool.get(k);
            String id;
            do {
                id = "HIST_" + (k + 1) + "_" + letters(3);
            } while (base.rule(id) != null);
            RuleMode mode = chance(60) ? RuleMode.ACTIVE : RuleMode.SHADOW;
            fresh.add(
                    new Rule(
                            id,
                            r.description(),
                            r.severity(),
                            mode,
                            r.window(),
                            r.params(),
                            r.steps(),
                            r.summary(),
                            r.version()));
        }
        return fresh;
    }

    /**
     * The instants n versions of one id take effect at, in version order: mostly in [from, until],
     * some before from, some equal to another id's, some equal to the previous version's; now and
     * then two neighbours swapped (a later version taking effect first).
     */
    private List<Instant> instants(int n, Instant from, Instant until, List<Instant> used) {
        long span = until.toEpochMilli() - from.toEpochMilli();
        List<Instant> at = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(100);
            if (r < 12) {
                at.add(from.minusMillis(1 + rnd.nextLong(Duration.ofHours(6).toMillis())));
            } else if (r < 24 && !used.isEmpty()) {
                at.add(used.get(rnd.nextInt(used.size())));
            } else {
                at.add(Instant.ofEpochMilli(from.toEpochMilli() + rnd.nextLong(span + 1)));
            }
        }
        at.sort(null);
        for (int i = 1; i < n; i++) {
            if (chance(12)) {
                at.set(i, at.get(i - 1));
            }
        }
        if (n >= 2 && chance(20)) {
            int i = rnd.nextInt(n - 1);
            Instant earlier = at.get(i);
            at.set(i, at.get(i + 1));
            at.set(i + 1, earlier);
        }
        return at;
    }

    /** The next version of a rule: one or two changes, valid and within the horizon. */
    private RuleRecord next(Rule current, long version) {
        for (int attempt = 0; attempt < 30; attempt++) {
            Rule changed = change(current, pickChange(current));
            if (changed != null && chance(25)) {
                Rule twice = change(changed, pickChange(changed));
                changed = twice == null ? changed : twice;
            }
            RuleRecord valid = changed == null ? null : validOrNull(changed, version);
            if (valid != null) {
                return valid;
            }
        }
        Rule fallback = current;
        if (lookBack(fallback).compareTo(HORIZON) > 0) {
            Duration forDuration = lookBack(fallback).minus(fallback.window());
            fallback = withWindow(fallback, HORIZON.minus(forDuration));
        }
        return published(fallback, version);
    }

    private Change pickChange(Rule rule) {
        if (rule.mode() == RuleMode.DISABLED) {
            return chance(85) ? Change.ENABLE : pick(Change.THRESHOLD_UP, Change.WINDOW_SHORTER);
        }
        int r = rnd.nextInt(100);
        if (r < 14) {
            return Change.THRESHOLD_DOWN;
        }
        if (r < 28) {
            return Change.THRESHOLD_UP;
        }
        if (r < 38) {
            return Change.WINDOW_SHORTER;
        }
        if (r < 48) {
            return Change.WINDOW_LONGER;
        }
        if (r < 62) {
            return Change.TOGGLE_SHADOW;
        }
        if (r < 76) {
            return Change.DISABLE;
        }
        if (r < 88) {
            return rule.endsWithAbsence() ? Change.TO_EVENT : Change.TO_ABSENCE;
        }
        if (r < 92) {
            return Change.TO_EVENT;
        }
        return r < 96 ? Change.SEVERITY : Change.REPUBLISH;
    }

    /** The rule with the change applied, or null if the change does not apply to it. */
    private Rule change(Rule rule, Change change) {
        switch (change) {
            case THRESHOLD_DOWN:
                return threshold(rule, -1);
            case THRESHOLD_UP:
                return threshold(rule, 1);
            case WINDOW_SHORTER:
                return window(rule, -1);
            case WINDOW_LONGER:
                return window(rule, 1);
            case TOGGLE_SHADOW:
                return rule.withMode(
                        rule.mode() == RuleMode.SHADOW ? RuleMode.ACTIVE : RuleMode.SHADOW);
            case DISABLE:
                return rule.withMode(RuleMode.DISABLED);
            case ENABLE:
                return rule.withMode(chance(60) ? RuleMode.ACTIVE : RuleMode.SHADOW);
            case TO_ABSENCE:
                return rule.endsWithAbsence() ? null : withAbsence(rule);
            case TO_EVENT:
                return rule.endsWithAbsence() ? withoutAbsence(rule) : null;
            case SEVERITY:
                Severity[] all = Severity.values();
                Severity other =
                        all[
                                (rule.severity().ordinal() + 1 + rnd.nextInt(all.length - 1))
                                        % all.length];
                return new Rule(
                        rule.id(),
                        rule.description(),
                        other,
                        rule.mode(),
                        rule.window(),
                        rule.params(),
                        rule.steps(),
                        rule.summary(),
                        rule.version());
            case REPUBLISH:
                return rule;
            default:
                throw new IllegalStateException(change.name());
        }
    }

    /**
     * A threshold moved down ({@code direction} -1) or up: a repeated step's {@code times} written
     * with numbers, or a whole-number, decimal or duration parameter (which moves the {@code times}
     * written with it too).
     */
    private Rule threshold(Rule rule, int direction) {
        List<Supplier<Rule>> options = new ArrayList<>();
        for (int i = 0; i < rule.steps().size(); i++) {
            Step s = rule.steps().get(i);
            Quantifier q = s.times();
            if (!s.absent() && s.repeated() && q.minParam() == null && q.maxParam() == null) {
                int index = i;
                options.add(
                        () -> withTimes(rule, index, shifted(q, direction * (1 + rnd.nextInt(2)))));
            }
        }
        for (Map.Entry<String, ParamValue> p : rule.params().entrySet()) {
            ParamValue moved = moved(p.getValue(), direction);
            if (moved != null) {
                options.add(() -> rule.withParam(p.getKey(), moved));
            }
        }
        if (options.isEmpty()) {
            return null;
        }
        try {
            return options.get(rnd.nextInt(options.size())).get();
        } catch (IllegalArgumentException e) {
            // A moved bound out of order (min above max, or below 1): another attempt.
            return null;
        }
    }

    /** The quantifier with its bounds moved by delta, still repeated; null if none is. */
    private static Quantifier shifted(Quantifier q, int delta) {
        if (q.max() == Quantifier.UNBOUNDED) {
            int min = Math.max(1, q.min() + delta);
            return min == q.min() ? null : new Quantifier(min, Quantifier.UNBOUNDED);
        }
        int min = Math.max(1, q.min() + delta);
        int max = Math.max(Math.max(min, 2), q.max() + delta);
        if (q.min() == q.max()) {
            min = Math.max(2, q.min() + delta);
            max = min;
        }
        return min == q.min() && max == q.max() ? null : new Quantifier(min, max);
    }

    private static Rule withTimes(Rule rule, int index, Quantifier times) {
        if (times == null) {
            return null;
        }
        List<Step> steps = new ArrayList<>(rule.steps());
        Step s = steps.get(index);
        steps.set(
                index,
                new Step(
                        s.name(),
                        s.types(),
                        s.where(),
                        times,
                        s.having(),
                        s.strict(),
                        s.absent(),
                        s.forDuration()));
        return withSteps(rule, steps);
    }

    /** A parameter's value moved down or up, or null for a kind without an order. */
    private ParamValue moved(ParamValue p, int direction) {
        switch (p.kind()) {
            case INT:
                long n = (Long) p.value() + direction * (1 + rnd.nextInt(2));
                return n < 0 || n == (Long) p.value() ? null : ParamValue.integer(n);
            case DECIMAL:
                BigDecimal d = (BigDecimal) p.value();
                BigDecimal factor = chance(50) ? new BigDecimal("2") : new BigDecimal("1.25");
                BigDecimal m =
                        direction < 0
                                ? d.divide(factor, 2, RoundingMode.HALF_UP)
                                : d.multiply(factor).setScale(2, RoundingMode.HALF_UP);
                if (d.signum() == 0 && direction > 0) {
                    m = new BigDecimal(pick(AMOUNTS));
                }
                if (m.signum() <= 0 || m.compareTo(MAX_AMOUNT) > 0 || m.compareTo(d) == 0) {
                    return null;
                }
                return ParamValue.decimal(m);
            case DURATION:
                Duration t = (Duration) p.value();
                Duration u = direction < 0 ? t.dividedBy(2) : t.multipliedBy(2);
                u = Duration.ofSeconds(Math.max(1, u.toSeconds()));
                if (u.equals(t) || u.compareTo(MAX_PARAM_DURATION) > 0) {
                    return null;
                }
                return ParamValue.duration(u, Durations.format(u));
            default:
                return null;
        }
    }

    /** The window moved to a shorter or longer one of {@link #WINDOWS}, within the horizon. */
    private Rule window(Rule rule, int direction) {
        Duration room = HORIZON.minus(lookBack(rule).minus(rule.window()));
        List<Duration> options = new ArrayList<>();
        for (String w : WINDOWS) {
            Duration d = Durations.parse(w);
            int c = d.compareTo(rule.window());
            if (c * direction > 0 && d.compareTo(room) <= 0) {
                options.add(d);
            }
        }
        if (options.isEmpty()) {
            return null;
        }
        return withWindow(rule, options.get(rnd.nextInt(options.size())));
    }

    private static Rule withWindow(Rule rule, Duration window) {
        return new Rule(
                rule.id(),
                rule.description(),
                rule.severity(),
                rule.mode(),
                window,
                rule.params(),
                rule.steps(),
                rule.summary(),
                rule.version());
    }

    /**
     * The rule with an absent last step appended: no event of some type (maybe above an amount) for
     * a while after its last present event.
     */
    private Rule withAbsence(Rule rule) {
        List<Duration> fors = new ArrayList<>();
        for (String f : FORS) {
            Duration d = Durations.parse(f);
            if (rule.window().plus(d).compareTo(HORIZON) <= 0) {
                fors.add(d);
            }
        }
        if (fors.isEmpty()) {
            return null;
        }
        List<EventType> types = ABSENT_TYPES.get(rnd.nextInt(ABSENT_TYPES.size()));
        String where = null;
        if (types.stream().allMatch(t -> t.family() == EventType.Family.TRANSACTION)
                && chance(50)) {
            where = "amount >= " + pick(AMOUNTS);
        }
        String name;
        do {
            name = "none" + (++absentSteps);
        } while (rule.step(name) != null);
        List<Step> steps = new ArrayList<>(rule.steps());
        steps.add(
                new Step(
                        name,
                        types,
                        where,
                        Quantifier.ONE,
                        null,
                        false,
                        true,
                        fors.get(rnd.nextInt(fors.size()))));
        return withSteps(rule, steps);
    }

    /** The rule without its trailing absent step: it triggers at its last present event again. */
    private static Rule withoutAbsence(Rule rule) {
        List<Step> steps = new ArrayList<>(rule.steps());
        while (steps.get(steps.size() - 1).absent()) {
            steps.remove(steps.size() - 1);
        }
        return withSteps(rule, steps);
    }

    private static Rule withSteps(Rule rule, List<Step> steps) {
        return new Rule(
                rule.id(),
                rule.description(),
                rule.severity(),
                rule.mode(),
                rule.window(),
                rule.params(),
                steps,
                rule.summary(),
                rule.version());
    }

    /** The rule as version {@code version} of the control topic reads it; null if invalid. */
    private static RuleRecord validOrNull(Rule rule, long version) {
        if (lookBack(rule).compareTo(HORIZON) > 0) {
            return null;
        }
        try {
            return published(rule, version);
        } catch (RuleRecordException e) {
            return null;
        }
    }

    /**
     * The rule as version {@code version} of the control topic: its record's JSON value parsed as a
     * replay reads it (the rule and its published text).
     *
     * @throws RuleRecordException if the rule is not valid
     */
    private static RuleRecord published(Rule rule, long version) {
        RuleRecord draft =
                new RuleRecord(
                        rule.id(), version, Instant.EPOCH, rule, toJson(rule), null, null, null);
        return RuleRecords.parse(RuleRecords.toJson(draft));
    }

    /** The control-topic record of a version; its comment says what changed from the previous. */
    private static RuleRecord record(RuleVersion v, Rule previous) {
        return new RuleRecord(
                v.ruleId(),
                v.ruleVersion(),
                v.effectiveFrom(),
                v.rule(),
                v.ruleJson() != null ? v.ruleJson() : toJson(v.rule()),
                null,
                "random-rule-histories",
                previous == null ? "new rule" : differences(previous, v.rule()));
    }

    /** The version of the same id published just before (by version number), or null. */
    private static Rule previous(RuleHistory history, RuleVersion v) {
        RuleVersion best = null;
        for (RuleVersion o : history.timeline(v.ruleId())) {
            if (o.ruleVersion() < v.ruleVersion()
                    && (best == null || o.ruleVersion() > best.ruleVersion())) {
                best = o;
            }
        }
        return best == null ? null : best.rule();
    }

    /** What changed between two versions of a rule, in a few words. */
    static String differences(Rule before, Rule after) {
        List<String> changes = new ArrayList<>();
        if (before.mode() != after.mode()) {
            changes.add("mode " + name(before.mode()) + " -> " + name(after.mode()));
        }
        if (!before.window().equals(after.window())) {
            changes.add(
                    "window "
                            + Durations.format(before.window())
                            + " -> "
                            + Durations.format(after.window()));
        }
        if (before.severity() != after.severity()) {
            changes.add("severity " + before.severity() + " -> " + after.severity());
        }
        for (Map.Entry<String, ParamValue> p : after.params().entrySet()) {
            ParamValue old = before.params().get(p.getKey());
            if (old != null && !Objects.equals(old.value(), p.getValue().value())) {
                changes.add("$" + p.getKey() + " " + old.text() + " -> " + p.getValue().text());
            }
        }
        Map<String, Step> old = new LinkedHashMap<>();
        before.steps().forEach(s -> old.put(s.name(), s));
        for (Step s : after.steps()) {
            Step o = old.remove(s.name());
            if (o == null) {
                changes.add("+ step " + s.name() + (s.absent() ? " (absent)" : ""));
            } else if (!o.times().equals(s.times())) {
                changes.add("times of " + s.name() + " " + o.times() + " -> " + s.times());
            }
        }
        old.keySet().forEach(name -> changes.add("- step " + name));
        return changes.isEmpty() ? "republished" : String.join("; ", changes);
    }

    /**
     * Versions in an order a topic can hold: per id by increasing version, ids interleaved by the
     * latest effective instant so far of each id, then by id order.
     */
    private static List<RuleVersion> topicOrder(List<String> ids, List<RuleVersion> versions) {
        Map<String, Integer> idOrder = new HashMap<>();
        for (String id : ids) {
            idOrder.putIfAbsent(id, idOrder.size());
        }
        Map<String, List<RuleVersion>> byId = new LinkedHashMap<>();
        for (RuleVersion v : versions) {
            byId.computeIfAbsent(v.ruleId(), k -> new ArrayList<>()).add(v);
            idOrder.putIfAbsent(v.ruleId(), idOrder.size());
        }
        record Keyed(RuleVersion version, Instant latest) {}
        List<Keyed> keyed = new ArrayList<>();
        for (List<RuleVersion> line : byId.values()) {
            line.sort(Comparator.comparingLong(RuleVersion::ruleVersion));
            Instant latest = Instant.MIN;
            for (RuleVersion v : line) {
                latest = v.effectiveFrom().isAfter(latest) ? v.effectiveFrom() : latest;
                keyed.add(new Keyed(v, latest));
            }
        }
        keyed.sort(
                Comparator.comparing(Keyed::latest)
                        .thenComparing(k -> idOrder.get(k.version().ruleId()))
                        .thenComparingLong(k -> k.version().ruleVersion()));
        return keyed.stream().map(Keyed::version).toList();
    }

    private static String times(Quantifier q) {
        String min = q.minParam() != null ? "$" + q.minParam() : Integer.toString(q.min());
        if (q.max() == Quantifier.UNBOUNDED) {
            return min + "+";
        }
        if (q.min() == q.max() && Objects.equals(q.minParam(), q.maxParam())) {
            return min;
        }
        return min + ".." + (q.maxParam() != null ? "$" + q.maxParam() : q.max());
    }

    private static String name(RuleMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    private static void putOptional(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private String letters(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('A' + rnd.nextInt(26)));
        }
        return b.toString();
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[rnd.nextInt(values.length)];
    }

    private boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }
}
