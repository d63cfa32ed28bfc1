package io.fraudcep.rules;

import io.fraudcep.model.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule in plain English, for the reviewer who signs it off: what it fires on, what that event
 * must follow (types, conditions, how many, how directly), what must not happen, within which
 * window, and how often it may alert. Parameters appear as their values with their names in
 * brackets ({@code amount >= 500.00 [largeAtLeast]}).
 *
 * <pre>
 * CARD_TESTING (HIGH, active): fires on a CARD_PAYMENT with amount >= 500.00 [largeAtLeast] that
 * follows at least 3 [minSmallPayments] CARD_PAYMENTs each with amount < 5.00 [smallBelow], the
 * first of them less than 15 minutes before it. At most one alert per user every 15 minutes.
 * </pre>
 */
public final class RuleExplainer {

    private static final Pattern PARAM = Pattern.compile("\\$([A-Za-z][A-Za-z0-9_]*)");

    private RuleExplainer() {}

    /** A few sentences that say what the rule does. */
    public static String explain(Rule rule) {
        List<Step> present = new ArrayList<>();
        for (Step s : rule.steps()) {
            if (!s.absent()) {
                present.add(s);
            }
        }
        Step trigger = present.get(present.size() - 1);
        Step deadline = rule.endsWithAbsence() ? rule.steps().get(rule.steps().size() - 1) : null;
        String window = Durations.describe(rule.window());

        StringBuilder b = new StringBuilder();
        b.append(rule.id())
                .append(" (")
                .append(rule.severity())
                .append(", ")
                .append(rule.mode().name().toLowerCase(Locale.ROOT))
                .append("): fires ");
        if (deadline != null) {
            b.append(Durations.describe(deadline.forDuration())).append(" after ");
        } else {
            b.append("on ");
        }
        String phrase =
                trigger.repeated() ? "the last of " + events(trigger, rule) : event(trigger, rule);
        b.append(phrase);
        boolean endsWithHaving = trigger.having() != null;
        for (int i = present.size() - 2; i >= 0; i--) {
            Step later = present.get(i + 1);
            boolean firstLink = i == present.size() - 2;
            b.append(firstLink ? (endsWithHaving ? ", that " : " that ") : ", which ");
            b.append(link(later)).append(' ');
            Step earlier = present.get(i);
            b.append(earlier.repeated() ? events(earlier, rule) : event(earlier, rule));
            endsWithHaving = earlier.having() != null;
        }
        b.append(windowClause(present, window));
        if (deadline != null) {
            b.append(", if no ")
                    .append(types(deadline.types(), false))
                    .append(condition(" with ", deadline.where(), rule))
                    .append(" comes in between");
        }
        b.append('.');
        for (int i = 1; i < rule.steps().size() - 1; i++) {
            Step s = rule.steps().get(i);
            if (s.absent()) {
                b.append(" No ")
                        .append(types(s.types(), false))
                        .append(condition(" with ", s.where(), rule))
                        .append(" comes between steps ")
                        .append(presentBefore(rule, i).name())
                        .append(" and ")
                        .append(presentAfter(rule, i).name())
                        .append('.');
            }
        }
        b.append(" At most one alert per user every ")
                .append(window.startsWith("1 ") ? window.substring(2) : window)
                .append('.');
        switch (rule.mode()) {
            case SHADOW:
                b.append(" Shadow mode: its alerts go to the shadow topic only.");
                break;
            case DISABLED:
                b.append(" Disabled: it is not evaluated.");
                break;
            default:
                break;
        }
        return b.toString();
    }

    /** How a step follows the one before it, as a verb agreeing with the later step. */
    private static String link(Step later) {
        if (later.strict()) {
            return later.repeated()
                    ? "the first of which is the user's next event after"
                    : "is the user's next event after";
        }
        return later.repeated() ? "follow" : "follows";
    }

    private static String windowClause(List<Step> present, String window) {
        Step first = present.get(0);
        if (present.size() == 1 && !first.repeated()) {
            return "";
        }
        if (present.size() <= 2) {
            return first.repeated()
                    ? ", the first of them less than " + window + " before it"
                    : ", less than " + window + " before it";
        }
        return ", the first event less than " + window + " before the last";
    }

    /** One event of a single-event step: "a CARD_PAYMENT with amount >= 500.00 [largeAtLeast]". */
    private static String event(Step s, Rule rule) {
        String types = types(s.types(), false);
        return article(types) + " " + types + condition(" with ", s.where(), rule);
    }

    /** The events of a repeated step: "at least 3 [n] CARD_PAYMENTs each with ...". */
    private static String events(Step s, Rule rule) {
        return quantity(s.times(), rule)
                + " "
                + types(s.types(), true)
                + condition(" each with ", s.where(), rule)
                + condition(" such that ", s.having(), rule);
    }

    private static String quantity(Quantifier q, Rule rule) {
        String min = number(q.min(), q.minParam());
        if (q.max() == Quantifier.UNBOUNDED) {
            return min.equals("1") ? "one or more" : "at least " + min;
        }
        if (q.min() == q.max()) {
            return "exactly " + min;
        }
        return "between " + min + " and " + number(q.max(), q.maxParam());
    }

    /** A count of {@code times}, with the name of the parameter it was written with. */
    private static String number(int n, String param) {
        return param == null ? Integer.toString(n) : n + " [" + param + "]";
    }

    private static String condition(String lead, String expression, Rule rule) {
        return expression == null ? "" : lead + substitute(expression, rule);
    }

    /** The expression with each {@code $name} replaced by its value and the name in brackets. */
    static String substitute(String expression, Rule rule) {
        Matcher m = PARAM.matcher(RuleCanonical.expression(expression));
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            ParamValue p = rule.params().get(m.group(1));
            String value =
                    p == null
                            ? m.group()
                            : (p.kind() == ParamValue.Kind.STRING ? "'" + p.text() + "'" : p.text())
                                    + " ["
                                    + m.group(1)
                                    + "]";
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** "CARD_PAYMENT", "TRANSFER_OUT or WITHDRAWAL", plural "CARD_PAYMENTs, ... or WITHDRAWALs". */
    private static String types(List<EventType> types, boolean plural) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) {
                b.append(i == types.size() - 1 ? " or " : ", ");
            }
            b.append(types.get(i).name()).append(plural ? "s" : "");
        }
        return b.toString();
    }

    /** "an" before a type read with a vowel sound (EMAIL_CHANGE, MFA_DISABLED), else "a". */
    private static String article(String type) {
        return "AEIOU".indexOf(type.charAt(0)) >= 0 || type.startsWith("MFA") ? "an" : "a";
    }

    private static Step presentBefore(Rule rule, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (!rule.steps().get(i).absent()) {
                return rule.steps().get(i);
            }
        }
        throw new IllegalArgumentException("a validated rule starts with a present step");
    }

    private static Step presentAfter(Rule rule, int index) {
        for (int i = index + 1; i < rule.steps().size(); i++) {
            if (!rule.steps().get(i).absent()) {
                return rule.steps().get(i);
            }
        }
        throw new IllegalArgumentException("an absent step inside a rule has a present step after");
    }
}
