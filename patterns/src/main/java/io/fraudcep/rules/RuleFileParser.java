package io.fraudcep.rules;

import io.fraudcep.alert.Severity;
import io.fraudcep.model.EventType;
import io.fraudcep.rules.expr.ExprException;
import io.fraudcep.rules.expr.ExprScope;
import io.fraudcep.rules.expr.RuleExpression;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates a version 2 rule file's tree (rules.md) into a {@link RuleSet}, collecting every error
 * of the file with its line, rule and field. Expressions (where, having, summary placeholders) are
 * compiled against their scope, so a misspelt field or parameter fails here, not at run time.
 */
final class RuleFileParser {

    private static final Pattern RULE_ID = Pattern.compile("[A-Z][A-Z0-9_]{2,63}");
    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern BOUND = Pattern.compile("\\d+|\\$[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern TIMES =
            Pattern.compile("(" + BOUND + ")(?:(\\+)|\\.\\.(" + BOUND + "))?");

    private static final List<String> FILE_KEYS = List.of("version", "rules");
    private static final List<String> RULE_KEYS =
            List.of(
                    "id",
                    "description",
                    "severity",
                    "mode",
                    "window",
                    "params",
                    "steps",
                    "summary");
    private static final List<String> STEP_KEYS =
            List.of("name", "type", "where", "times", "having", "contiguity", "absent", "for");

    private final String file;
    private final List<RuleError> errors;

    private RuleFileParser(String file, List<RuleError> errors) {
        this.file = file;
        this.errors = errors;
    }

    /**
     * Validates a whole file.
     *
     * @param errors where the errors go; the result is null if any was added
     */
    static RuleSet parse(SourceNode root, String file, List<RuleError> errors) {
        return new RuleFileParser(file, errors).file(root);
    }

    private RuleSet file(SourceNode root) {
        int before = errors.size();
        if (root.kind() != SourceNode.Kind.MAP) {
            errors.add(
                    new RuleError(
                            file,
                            root.line(),
                            null,
                            null,
                            "expected a mapping with version and rules, found " + root.describe()));
            return null;
        }
        unknownKeys(root, FILE_KEYS, null, "");
        String version = null;
        SourceNode v = root.get("version");
        if (v == null) {
            fileError(root.line(), "version", "missing: write version: \"2\" at the top");
        } else if (v.kind() != SourceNode.Kind.STRING || !VERSION.matcher(v.text()).matches()) {
            fileError(
                    v.line(),
                    "version",
                    "expected a version string like \"2\" (letters, digits, . _ -), found "
                            + v.describe()
                            + (v.kind() == SourceNode.Kind.STRING ? "" : " (quote it)"));
        } else {
            version = v.text();
        }
        List<Rule> rules = new ArrayList<>();
        SourceNode list = root.get("rules");
        if (list == null) {
            fileError(root.line(), "rules", "missing: the file needs a list of rules");
        } else if (list.kind() != SourceNode.Kind.LIST) {
            fileError(list.line(), "rules", "expected a list of rules, found " + list.describe());
        } else {
            Map<String, Integer> idLines = new HashMap<>();
            for (int i = 0; i < list.items().size(); i++) {
                Rule rule = new RuleReader(list.items().get(i), i, version, idLines).read();
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        return errors.size() == before ? new RuleSet(version, rules) : null;
    }

    private void fileError(int line, String field, String message) {
        errors.add(new RuleError(file, line, null, field, message));
    }

    /** Reports every key of a mapping that is not allowed, with the allowed ones. */
    private void unknownKeys(SourceNode map, List<String> allowed, String ruleId, String prefix) {
        for (String key : map.fields().keySet()) {
            if (!allowed.contains(key)) {
                errors.add(
                        new RuleError(
                                file,
                                map.keyLine(key),
                                ruleId,
                                prefix + key,
                                "unknown key '"
                                        + key
                                        + "' (allowed: "
                                        + String.join(", ", allowed)
                                        + ")"));
            }
        }
    }

    /** A step as read, before the checks that span steps. */
    private record StepDraft(
            int index,
            SourceNode node,
            String name,
            List<EventType> types,
            Quantifier times,
            boolean timesGiven,
            boolean strict,
            boolean absent,
            Duration forDuration) {

        boolean shapeKnown() {
            return name != null && types != null && times != null;
        }
    }

    /** Reads one rule; errors name the rule by its id once it is known. */
    private final class RuleReader {
        private final SourceNode node;
        private final String version;
        private final Map<String, Integer> idLines;
        private final int errorsBefore = errors.size();
        private String ruleId;
        private String prefix;
        private boolean paramsComplete = true;
        private final List<SourceNode> stepNodes = new ArrayList<>();
        private boolean stepsComplete = true;
        private boolean stepsValid;

        RuleReader(SourceNode node, int index, String version, Map<String, Integer> idLines) {
            this.node = node;
            this.version = version;
            this.idLines = idLines;
            this.prefix = "rules[" + index + "].";
        }

        private void error(SourceNode at, String field, String message) {
            error(at.line(), field, message);
        }

        private void error(int line, String field, String message) {
            errors.add(new RuleError(file, line, ruleId, prefix + field, message));
        }

        Rule read() {
            if (node.kind() != SourceNode.Kind.MAP) {
                errors.add(
                        new RuleError(
                                file,
                                node.line(),
                                null,
                                prefix.substring(0, prefix.length() - 1),
                                "expected a rule (a mapping with id, severity, window and steps),"
                                        + " found "
                                        + node.describe()));
                return null;
            }
            String id = id();
            unknownKeys(node, RULE_KEYS, ruleId, prefix);
            String description = text("description");
            Severity severity = severity();
            RuleMode mode = mode();
            Duration window = null;
            SourceNode w = required("window", "a duration like 15m");
            if (w != null) {
                window = duration(w, "window");
            }
            Map<String, ParamValue> params = params();
            List<Step> steps = steps(params);
            String summary = text("summary");
            if (steps == null) {
                return null;
            }
            Rule rule =
                    new Rule(
                            id,
                            description,
                            severity,
                            mode,
                            window,
                            params,
                            steps,
                            summary,
                            version);
            // An expression is checked against the steps and params it can see: only when they
            // are all valid, else one mistake would be reported again by every expression.
            if (paramsComplete && stepsValid) {
                expressions(rule);
            }
            return errors.size() == errorsBefore ? rule : null;
        }

        private String id() {
            SourceNode n = node.get("id");
            if (n == null) {
                error(node, "id", "missing: every rule needs an id like CARD_TESTING");
                return null;
            }
            if (n.kind() != SourceNode.Kind.STRING) {
                error(n, "id", "expected an id like CARD_TESTING, found " + n.describe());
                return null;
            }
            String id = n.text();
            ruleId = id;
            prefix = "";
            if (!RULE_ID.matcher(id).matches()) {
                error(
                        n,
                        "id",
                        "expected capitals, digits and _, starting with a capital, 3 to 64"
                                + " characters ([A-Z][A-Z0-9_]{2,63})");
                return null;
            }
            Integer first = idLines.putIfAbsent(id, n.line());
            if (first != null) {
                error(n, "id", "the id is already used by the rule at line " + first);
                return null;
            }
            return id;
        }

        private SourceNode required(String key, String expected) {
            SourceNode n = node.get(key);
            if (n == null) {
                error(node, key, "missing (expected " + expected + ")");
            }
            return n;
        }

        /** Optional text (a string scalar); null if absent or wrong. */
        private String text(String key) {
            SourceNode n = node.get(key);
            if (n == null) {
                return null;
            }
            if (n.kind() != SourceNode.Kind.STRING) {
                String hint =
                        n.kind() == SourceNode.Kind.MAP
                                ? " (quote it: YAML reads an unquoted {...} as a mapping)"
                                : "";
                error(n, key, "expected text, found " + n.describe() + hint);
                return null;
            }
            return n.text();
        }

        private Severity severity() {
            SourceNode n = required("severity", "LOW, MEDIUM, HIGH or CRITICAL");
            if (n == null) {
                return null;
            }
            if (n.kind() == SourceNode.Kind.STRING) {
                for (Severity s : Severity.values()) {
                    if (s.name().equals(n.text())) {
                        return s;
                    }
                }
            }
            error(n, "severity", "expected LOW, MEDIUM, HIGH or CRITICAL, found " + n.describe());
            return null;
        }

        private RuleMode mode() {
            SourceNode n = node.get("mode");
            if (n == null) {
                return RuleMode.ACTIVE;
            }
            if (n.kind() == SourceNode.Kind.STRING) {
                for (RuleMode m : RuleMode.values()) {
                    if (m.name().toLowerCase(Locale.ROOT).equals(n.text())) {
                        return m;
                    }
                }
            }
            error(n, "mode", "expected active, shadow or disabled, found " + n.describe());
            return null;
        }

        private Duration duration(SourceNode n, String field) {
            if (n.kind() != SourceNode.Kind.STRING) {
                error(
                        n,
                        field,
                        "expected a duration like 250ms, 30s, 10m, 6h, 90d or PT10M, found "
                                + n.describe());
                return null;
            }
            try {
                return Durations.parse(n.text());
            } catch (IllegalArgumentException e) {
                error(n, field, e.getMessage());
                return null;
            }
        }

        private Map<String, ParamValue> params() {
            Map<String, ParamValue> params = new LinkedHashMap<>();
            SourceNode n = node.get("params");
            if (n == null) {
                return params;
            }
            if (n.kind() != SourceNode.Kind.MAP) {
                error(n, "params", "expected a mapping of names to values, found " + n.describe());
                paramsComplete = false;
                return params;
            }
            for (Map.Entry<String, SourceNode> e : n.fields().entrySet()) {
                String name = e.getKey();
                String field = "params." + name;
                if (!NAME.matcher(name).matches()) {
                    error(
                            n.keyLine(name),
                            field,
                            "a parameter name starts with a small letter, then letters and"
                                    + " digits ([a-z][A-Za-z0-9]*)");
                    paramsComplete = false;
                    continue;
                }
                ParamValue value = paramValue(e.getValue(), field);
                if (value == null) {
                    paramsComplete = false;
                } else {
                    params.put(name, value);
                }
            }
            return params;
        }

        private ParamValue paramValue(SourceNode v, String field) {
            switch (v.kind()) {
                case INT:
                    try {
                        return ParamValue.integer(Long.parseLong(v.text()));
                    } catch (NumberFormatException e) {
                        error(v, field, "the whole number " + v.text() + " is too large");
                        return null;
                    }
                case DECIMAL:
                    if (!PLAIN_DECIMAL.matcher(v.text()).matches()) {
                        error(
                                v,
                                field,
                                "write a decimal with digits and a point, like 0.80, not "
                                        + v.text());
                        return null;
                    }
                    return ParamValue.decimal(new BigDecimal(v.text()));
                case BOOL:
                    return ParamValue.bool(Boolean.parseBoolean(v.text()));
                case STRING:
                    if (Durations.looksLikeDuration(v.text())) {
                        try {
                            return ParamValue.duration(Durations.parse(v.text()), v.text());
                        } catch (IllegalArgumentException e) {
                            error(v, field, e.getMessage());
                            return null;
                        }
                    }
                    return ParamValue.string(v.text());
                default:
                    error(
                            v,
                            field,
                            "expected a number, a decimal, a duration, text or true/false, found "
                                    + v.describe());
                    return null;
            }
        }

        private List<Step> steps(Map<String, ParamValue> params) {
            int before = errors.size();
            List<Step> steps = validSteps(params);
            stepsValid = errors.size() == before;
            return steps;
        }

        private List<Step> validSteps(Map<String, ParamValue> params) {
            SourceNode n = required("steps", "a list of steps");
            if (n == null) {
                return null;
            }
            if (n.kind() != SourceNode.Kind.LIST || n.items().isEmpty()) {
                error(n, "steps", "expected a non-empty list of steps, found " + n.describe());
                return null;
            }
            List<StepDraft> drafts = new ArrayList<>();
            Map<String, Integer> names = new HashMap<>();
            for (int i = 0; i < n.items().size(); i++) {
                StepDraft d = step(n.items().get(i), i, params, names);
                if (d == null || !d.shapeKnown()) {
                    stepsComplete = false;
                }
                drafts.add(d);
            }
            for (StepDraft d : drafts) {
                if (d != null) {
                    placement(d, drafts);
                }
            }
            if (!stepsComplete) {
                return null;
            }
            List<Step> steps = new ArrayList<>();
            for (StepDraft d : drafts) {
                steps.add(
                        new Step(
                                d.name(),
                                d.types(),
                                expressionText(d.node(), "where"),
                                d.times(),
                                expressionText(d.node(), "having"),
                                d.strict(),
                                d.absent(),
                                d.forDuration()));
                stepNodes.add(d.node());
            }
            return steps;
        }

        private String expressionText(SourceNode step, String key) {
            SourceNode e = step.get(key);
            return e != null && e.kind() == SourceNode.Kind.STRING ? e.text() : null;
        }

        private StepDraft step(
                SourceNode s,
                int index,
                Map<String, ParamValue> params,
                Map<String, Integer> names) {
            String at = "steps[" + index + "]";
            if (s.kind() != SourceNode.Kind.MAP) {
                error(
                        s,
                        at,
                        "expected a step (a mapping with name and type), found " + s.describe());
                return null;
            }
            unknownKeys(s, STEP_KEYS, ruleId, prefix + at + ".");
            String name = null;
            SourceNode nameNode = s.get("name");
            if (nameNode == null) {
                error(s, at + ".name", "missing: every step needs a name like small");
            } else if (nameNode.kind() != SourceNode.Kind.STRING
                    || !NAME.matcher(nameNode.text()).matches()) {
                error(
                        nameNode,
                        at + ".name",
                        "expected a name that starts with a small letter, then letters and digits"
                                + " ([a-z][A-Za-z0-9]*), found "
                                + nameNode.describe());
            } else if (names.containsKey(nameNode.text())) {
                error(
                        nameNode,
                        at + ".name",
                        "the name '"
                                + nameNode.text()
                                + "' is already used by steps["
                                + names.get(nameNode.text())
                                + "]");
            } else {
                name = nameNode.text();
                names.put(name, index);
            }
            List<EventType> types = types(s, at);
            Quantifier times = Quantifier.ONE;
            SourceNode timesNode = s.get("times");
            if (timesNode != null) {
                times = times(timesNode, at + ".times", params);
            }
            boolean strict = false;
            SourceNode c = s.get("contiguity");
            if (c != null) {
                if (c.kind() == SourceNode.Kind.STRING
                        && (c.text().equals("strict") || c.text().equals("relaxed"))) {
                    strict = c.text().equals("strict");
                } else {
                    error(
                            c,
                            at + ".contiguity",
                            "expected relaxed or strict, found " + c.describe());
                }
            }
            boolean absent = false;
            SourceNode a = s.get("absent");
            if (a != null) {
                if (a.kind() == SourceNode.Kind.BOOL) {
                    absent = Boolean.parseBoolean(a.text());
                } else {
                    error(a, at + ".absent", "expected true or false, found " + a.describe());
                }
            }
            Duration forDuration = null;
            SourceNode f = s.get("for");
            if (f != null) {
                forDuration = duration(f, at + ".for");
            }
            for (String key : List.of("where", "having")) {
                SourceNode e = s.get(key);
                if (e != null && (e.kind() != SourceNode.Kind.STRING || e.text().isBlank())) {
                    error(e, at + "." + key, "expected an expression, found " + e.describe());
                }
            }
            return new StepDraft(
                    index, s, name, types, times, timesNode != null, strict, absent, forDuration);
        }

        private List<EventType> types(SourceNode s, String at) {
            SourceNode t = s.get("type");
            String field = at + ".type";
            if (t == null) {
                error(s, field, "missing: an event type like CARD_PAYMENT, or a list of them");
                return null;
            }
            List<SourceNode> written = t.kind() == SourceNode.Kind.LIST ? t.items() : List.of(t);
            if (written.isEmpty()) {
                error(t, field, "expected an event type or a non-empty list of them");
                return null;
            }
            List<EventType> types = new ArrayList<>();
            boolean ok = true;
            for (SourceNode one : written) {
                EventType type =
                        one.kind() == SourceNode.Kind.STRING
                                ? EventType.fromWireName(one.text())
                                : null;
                if (type == null) {
                    error(
                            one,
                            field,
                            "unknown event type "
                                    + one.describe()
                                    + " (known: "
                                    + eventTypeNames()
                                    + ")");
                    ok = false;
                } else if (types.contains(type)) {
                    error(one, field, type + " is listed twice");
                    ok = false;
                } else {
                    types.add(type);
                }
            }
            return ok ? types : null;
        }

        private Quantifier times(SourceNode t, String field, Map<String, ParamValue> params) {
            String expected =
                    "expected n, n+ or n..m (n and m whole numbers >= 1 or $params holding"
                            + " them), found ";
            if (!t.isScalar() || t.kind() == SourceNode.Kind.NULL) {
                error(t, field, expected + t.describe());
                return null;
            }
            Matcher m = TIMES.matcher(t.text());
            if ((t.kind() != SourceNode.Kind.INT && t.kind() != SourceNode.Kind.STRING)
                    || !m.matches()) {
                error(t, field, expected + t.describe());
                return null;
            }
            Long min = bound(m.group(1), t, field, params);
            Long max = m.group(2) != null ? Long.valueOf(Quantifier.UNBOUNDED) : min;
            if (m.group(3) != null) {
                max = bound(m.group(3), t, field, params);
            }
            if (min == null || max == null) {
                return null;
            }
            if (min < 1) {
                error(t, field, "a step takes at least 1 event, not " + min);
                return null;
            }
            if (min >= Quantifier.UNBOUNDED
                    || (m.group(2) == null && max >= Quantifier.UNBOUNDED)) {
                error(t, field, "at most " + (Quantifier.UNBOUNDED - 1) + " events; write n+");
                return null;
            }
            if (max < min) {
                error(t, field, "the upper bound " + max + " is below the lower bound " + min);
                return null;
            }
            return new Quantifier(
                    min.intValue(),
                    max.intValue(),
                    paramName(m.group(1)),
                    m.group(3) != null
                            ? paramName(m.group(3))
                            : m.group(2) == null ? paramName(m.group(1)) : null);
        }

        private static String paramName(String bound) {
            return bound.startsWith("$") ? bound.substring(1) : null;
        }

        private Long bound(
                String text, SourceNode t, String field, Map<String, ParamValue> params) {
            if (!text.startsWith("$")) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    error(t, field, "the number " + text + " is too large");
                    return null;
                }
            }
            String name = text.substring(1);
            ParamValue p = params.get(name);
            if (p == null) {
                if (paramsComplete) {
                    error(t, field, "unknown parameter " + text + knownParams(params));
                }
                return null;
            }
            if (p.kind() != ParamValue.Kind.INT) {
                error(
                        t,
                        field,
                        "parameter "
                                + text
                                + " is "
                                + p.text()
                                + ", not a whole number; times needs one");
                return null;
            }
            return (Long) p.value();
        }

        /** The checks that depend on a step's place: absence, strictness, having, for. */
        private void placement(StepDraft d, List<StepDraft> all) {
            String at = "steps[" + d.index() + "]";
            SourceNode s = d.node();
            boolean first = d.index() == 0;
            boolean last = d.index() == all.size() - 1;
            if (d.absent() && first) {
                error(
                        s.get("absent"),
                        at + ".absent",
                        "the first step cannot be absent: a rule starts with an event");
            } else if (d.absent()) {
                if (d.timesGiven() && d.times() != null && !d.times().equals(Quantifier.ONE)) {
                    error(s.get("times"), at + ".times", "an absent step takes no times");
                }
                if (s.get("having") != null) {
                    error(s.get("having"), at + ".having", "an absent step has no having");
                }
                if (d.strict()) {
                    error(
                            s.get("contiguity"),
                            at + ".contiguity",
                            "contiguity: strict applies to present steps, not to an absent one");
                }
                if (last && s.get("for") == null) {
                    error(
                            s.get("absent"),
                            at + ".for",
                            "missing: an absent last step needs for: DURATION, how long after"
                                    + " the last present event it must not occur");
                }
                if (!last && s.get("for") != null) {
                    error(
                            s.get("for"),
                            at + ".for",
                            "only an absent last step has for; an absent step between two steps"
                                    + " lasts until the next one");
                }
                if (!last && !presentAfter(d.index(), all)) {
                    error(
                            s.get("absent"),
                            at + ".absent",
                            "an absent step is followed by a present step or is the last step");
                }
            } else {
                if (s.get("for") != null) {
                    error(s.get("for"), at + ".for", "only an absent last step has for");
                }
                if (first && d.strict()) {
                    error(
                            s.get("contiguity"),
                            at + ".contiguity",
                            "the first step cannot be strict: there is no step before it");
                }
                if (s.get("having") != null && d.times() != null && !repeated(d.times())) {
                    error(
                            s.get("having"),
                            at + ".having",
                            "having is only allowed on a repeated step (times other than 1)");
                }
            }
        }

        private boolean presentAfter(int index, List<StepDraft> all) {
            for (int j = index + 1; j < all.size(); j++) {
                if (all.get(j) != null && !all.get(j).absent()) {
                    return true;
                }
            }
            return false;
        }

        /** Compiles every expression of the rule in its scope (RuleScopes). */
        private void expressions(Rule rule) {
            for (int i = 0; i < rule.steps().size(); i++) {
                Step s = rule.steps().get(i);
                SourceNode at = stepNodes.get(i);
                if (s.where() != null) {
                    compile(
                            s.where(),
                            RuleScopes.where(rule, i),
                            at.get("where"),
                            "steps[" + i + "].where",
                            0);
                }
                if (s.having() != null) {
                    compile(
                            s.having(),
                            RuleScopes.having(rule, i),
                            at.get("having"),
                            "steps[" + i + "].having",
                            0);
                }
            }
            if (rule.summary() == null) {
                return;
            }
            SourceNode at = node.get("summary");
            SummaryTemplate template;
            try {
                template = SummaryTemplate.parse(rule.summary());
            } catch (IllegalArgumentException e) {
                error(at, "summary", e.getMessage());
                return;
            }
            ExprScope scope = RuleScopes.summary(rule);
            for (SummaryTemplate.Part part : template.parts()) {
                if (part instanceof SummaryTemplate.Placeholder p) {
                    compile(p.expression(), scope, at, "summary", p.column() - 1);
                }
            }
        }

        private void compile(
                String source, ExprScope scope, SourceNode at, String field, int columnOffset) {
            try {
                RuleExpression.compile(source, scope);
            } catch (ExprException e) {
                int column = e.column() > 0 ? columnOffset + e.column() : columnOffset;
                error(at, field, (column > 0 ? "column " + column + ": " : "") + e.message());
            }
        }
    }

    private static boolean repeated(Quantifier q) {
        return q.max() != 1;
    }

    private static String knownParams(Map<String, ParamValue> params) {
        return params.isEmpty()
                ? " (the rule has no params)"
                : " (params: " + String.join(", ", params.keySet()) + ")";
    }

    private static String eventTypeNames() {
        StringBuilder b = new StringBuilder();
        for (EventType t : EventType.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(t.name());
        }
        return b.toString();
    }
}
