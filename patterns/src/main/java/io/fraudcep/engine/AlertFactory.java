package io.fraudcep.engine;

import io.fraudcep.alert.Alert;
import io.fraudcep.alert.AlertIds;
import io.fraudcep.alert.Fact;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.Money;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.Step;
import io.fraudcep.rules.SummaryTemplate;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the alert of a rule's canonical match: ids and times (alerts.md), the summary sentence
 * (the rule's template with its placeholders filled, or one generated from the steps), and the
 * evidence, each fact under the rule-language expression that reads it: per present step its count
 * and total (repeated steps) or type, amount and identifying fields (single-event steps), and the
 * value of every summary placeholder.
 */
final class AlertFactory implements Serializable {

    private static final long serialVersionUID = 1L;

    private final CompiledRule rule;
    private final String patternVersion;

    AlertFactory(CompiledRule rule) {
        this.rule = rule;
        this.patternVersion = RuleCanonical.patternVersion(rule.rule);
    }

    String patternVersion() {
        return patternVersion;
    }

    /** The alert of the match bound in {@code matcher} (after {@link Matcher#bindBest()}). */
    Alert alert(String userId, Instant detectedAt, Matcher matcher) {
        int[] indices = matcher.matchIndices();
        List<String> eventIds = new ArrayList<>(indices.length);
        Instant windowStart = null;
        for (int s = 0; s < rule.stepCount(); s++) {
            List<EnrichedEvent> events = matcher.boundEvents(s);
            if (events != null) {
                for (EnrichedEvent e : events) {
                    eventIds.add(e.eventId());
                    if (windowStart == null) {
                        windowStart = e.timestamp();
                    }
                }
            }
        }
        List<Fact> evidence = stepFacts(matcher);
        String summary;
        if (rule.summary == null) {
            summary = generatedSummary(matcher);
        } else {
            Object[] values = new Object[rule.placeholders.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = rule.placeholders[i].value(matcher);
                Fact fact = fact(rule.placeholders[i].source(), values[i]);
                if (fact != null
                        && evidence.stream().noneMatch(f -> f.name().equals(fact.name()))) {
                    evidence.add(fact);
                }
            }
            summary = fill(rule.summary, values);
        }
        return new Alert(
                AlertIds.of(rule.rule.id(), userId, eventIds),
                rule.rule.id(),
                patternVersion,
                rule.rule.severity(),
                userId,
                windowStart,
                detectedAt,
                eventIds,
                summary,
                evidence);
    }

    private String fill(SummaryTemplate template, Object[] values) {
        List<String> sources = template.placeholders();
        StringBuilder b = new StringBuilder();
        for (SummaryTemplate.Part part : template.parts()) {
            if (part instanceof SummaryTemplate.Placeholder p) {
                b.append(text(values[sources.indexOf(p.expression())]));
            } else {
                b.append(((SummaryTemplate.Text) part).text());
            }
        }
        return b.toString();
    }

    /**
     * Per present step, under the expression that reads it: {@code count(s)} and {@code
     * sum(s.amount)} of a repeated step, {@code s.type}, {@code s.amount} and identifying fields of
     * a single-event step; and {@code spanSeconds}.
     */
    private List<Fact> stepFacts(Matcher matcher) {
        List<Fact> facts = new ArrayList<>();
        for (int s : rule.present) {
            Step step = rule.rule.steps().get(s);
            List<EnrichedEvent> events = matcher.boundEvents(s);
            long total = 0;
            boolean amounts = true;
            for (EnrichedEvent e : events) {
                if (e.event().amountCents() == null) {
                    amounts = false;
                } else {
                    total += e.event().amountCents();
                }
            }
            String n = step.name();
            if (step.repeated()) {
                facts.add(Fact.integer("count(" + n + ")", events.size()));
                if (amounts) {
                    facts.add(Fact.money("sum(" + n + ".amount)", total));
                }
            } else {
                EnrichedEvent e = events.get(0);
                facts.add(Fact.text(n + ".type", e.event().type().name()));
                if (amounts) {
                    facts.add(Fact.money(n + ".amount", total));
                }
                addText(facts, n + ".deviceId", e.event().deviceId());
                addText(facts, n + ".counterpartyId", e.event().counterpartyId());
                addText(facts, n + ".payeeId", e.event().payeeId());
                addText(facts, n + ".cardId", e.event().cardId());
                addText(facts, n + ".merchantId", e.event().merchantId());
            }
        }
        facts.add(Fact.integer("spanSeconds", matcher.span().toSeconds()));
        return facts;
    }

    private static void addText(List<Fact> facts, String name, String value) {
        if (value != null) {
            facts.add(Fact.text(name, value));
        }
    }

    private String generatedSummary(Matcher matcher) {
        List<String> parts = new ArrayList<>();
        for (int s : rule.present) {
            Step step = rule.rule.steps().get(s);
            List<EnrichedEvent> events = matcher.boundEvents(s);
            String types = String.join(" or ", step.types().stream().map(Enum::name).toList());
            if (step.repeated()) {
                parts.add(events.size() + " " + types + " (" + step.name() + ")");
            } else {
                Long cents = events.get(0).event().amountCents();
                parts.add(
                        events.get(0).event().type().name()
                                + (cents == null ? "" : " of " + Money.format(cents))
                                + " ("
                                + step.name()
                                + ")");
            }
        }
        String sentence = String.join(", then ", parts) + " within " + describe(matcher.span());
        if (rule.trailingAbsent >= 0) {
            Step absent = rule.rule.steps().get(rule.trailingAbsent);
            sentence += ", then no " + absent.name() + " for " + describe(rule.absencePeriod);
        }
        return rule.rule.id() + ": " + sentence + ".";
    }

    /** How a placeholder's value reads in a sentence. */
    static String text(Object value) {
        if (value == null) {
            return "?";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double d) {
            if (d.isInfinite()) {
                return "infinite";
            }
            return BigDecimal.valueOf(d).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
        }
        if (value instanceof Duration d) {
            return describe(d);
        }
        return String.valueOf(value);
    }

    /** A placeholder's value as evidence, under its expression; null for a missing value. */
    private static Fact fact(String name, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return Fact.decimal(name, d);
        }
        if (value instanceof Double d) {
            return d.isInfinite()
                    ? Fact.text(name, "infinite")
                    : Fact.decimal(name, BigDecimal.valueOf(d).setScale(1, RoundingMode.HALF_EVEN));
        }
        if (value instanceof Long || value instanceof Integer) {
            return Fact.integer(name, ((Number) value).longValue());
        }
        if (value instanceof Boolean b) {
            return Fact.bool(name, b);
        }
        if (value instanceof Duration d) {
            return Fact.text(name, d.toString());
        }
        return Fact.text(name, String.valueOf(value));
    }

    /** A short human form of an interval, e.g. "4 min 30 s" or "2.5 s". */
    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms < 60_000) {
            return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + " s";
        }
        long totalSeconds = ms / 1000;
        long days = totalSeconds / 86_400;
        long h = (totalSeconds % 86_400) / 3600;
        long m = (totalSeconds % 3600) / 60;
        long s = totalSeconds % 60;
        List<String> parts = new ArrayList<>();
        if (days > 0) {
            parts.add(days + " d");
        }
        if (h > 0) {
            parts.add(h + " h");
        }
        if (m > 0) {
            parts.add(m + " min");
        }
        if (s > 0) {
            parts.add(s + " s");
        }
        return String.join(" ", parts);
    }
}
