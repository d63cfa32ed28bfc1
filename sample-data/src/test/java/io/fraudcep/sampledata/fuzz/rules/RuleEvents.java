package io.fraudcep.sampledata.fuzz.rules;

import static io.fraudcep.sampledata.fuzz.RefEvents.T0;
import static io.fraudcep.sampledata.fuzz.RefEvents.USER;

import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleFiles;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.sampledata.fuzz.RefEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Terse builders of one user's events at offsets from {@link RefEvents#T0} (offsets: {@link
 * RefEvents#ms} and its neighbours), and rule files from text.
 */
final class RuleEvents {

    private RuleEvents() {}

    static Instant at(Duration offset) {
        return T0.plus(offset);
    }

    static UserEvent event(
            String id, EventType type, Duration at, Consumer<UserEvent.Builder> fields) {
        return event(USER, id, type, at, fields);
    }

    static UserEvent event(
            String user,
            String id,
            EventType type,
            Duration at,
            Consumer<UserEvent.Builder> fields) {
        UserEvent.Builder b = UserEvent.builder(id, user, type, T0.plus(at));
        fields.accept(b);
        return b.build();
    }

    static UserEvent success(String id, Duration at, String device) {
        return event(id, EventType.LOGIN_SUCCESS, at, b -> b.deviceId(device));
    }

    static UserEvent failure(String id, Duration at, String device) {
        return event(id, EventType.LOGIN_FAILURE, at, b -> b.deviceId(device));
    }

    static UserEvent card(String id, Duration at, String amount) {
        return event(id, EventType.CARD_PAYMENT, at, b -> b.amount(amount));
    }

    static UserEvent transferOut(String id, Duration at, String amount) {
        return event(
                id, EventType.TRANSFER_OUT, at, b -> b.amount(amount).counterpartyId("acct-1"));
    }

    static UserEvent transferIn(String id, Duration at, String amount) {
        return event(
                id, EventType.TRANSFER_IN, at, b -> b.amount(amount).counterpartyId("acct-in"));
    }

    static UserEvent withdrawal(String id, Duration at, String amount) {
        return event(id, EventType.WITHDRAWAL, at, b -> b.amount(amount));
    }

    static UserEvent deposit(String id, Duration at, String amount) {
        return event(id, EventType.DEPOSIT, at, b -> b.amount(amount));
    }

    static UserEvent change(String id, Duration at, EventType type) {
        return event(id, type, at, b -> {});
    }

    static UserEvent payeeAdded(String id, Duration at, String payee) {
        return event(id, EventType.PAYEE_ADDED, at, b -> b.payeeId(payee));
    }

    /** A rule file of one or more rules, given as the YAML of its {@code rules:} list. */
    static RuleSet rules(String rulesYaml) {
        return RuleFiles.parse("version: \"2\"\nrules:\n" + rulesYaml, "test.yaml");
    }

    /**
     * A shipped rule file of the repository's {@code rules/} folder (tests run in the module's
     * folder, one level below the root).
     */
    static String shippedRuleFile(String name) {
        Path path = Path.of("..", "rules", name);
        try {
            return Files.readString(Files.exists(path) ? path : Path.of("rules", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference's alerts with every deadline fired, as "ruleId detectedAt [ids]" lines. */
    static List<String> alerts(RuleSet rules, UserEvent... events) {
        return lines(RuleReference.detect(rules, List.of(events), RuleReference.Deadlines.ALL));
    }

    static List<String> lines(List<RefRuleAlert> alerts) {
        return alerts.stream()
                .map(a -> a.ruleId() + " " + a.detectedAt() + " " + a.eventIds())
                .toList();
    }

    /** The expected line of an alert of {@code ruleId} detected at T0 + offset. */
    static String alert(String ruleId, Duration detectedAt, String... eventIds) {
        return ruleId + " " + T0.plus(detectedAt) + " " + List.of(eventIds);
    }
}
