package io.fraudcep.rules.expr;

import static io.fraudcep.model.EventType.CARD_PAYMENT;
import static io.fraudcep.model.EventType.LOGIN_FAILURE;
import static io.fraudcep.model.EventType.LOGIN_SUCCESS;
import static io.fraudcep.model.EventType.PASSWORD_CHANGE;
import static io.fraudcep.model.EventType.PAYEE_ADDED;
import static io.fraudcep.model.EventType.TRANSFER_IN;
import static io.fraudcep.model.EventType.TRANSFER_OUT;
import static io.fraudcep.model.EventType.WITHDRAWAL;
import static io.fraudcep.rules.expr.ExprFixtures.T0;
import static io.fraudcep.rules.expr.ExprFixtures.at;
import static io.fraudcep.rules.expr.ExprFixtures.decimal;
import static io.fraudcep.rules.expr.ExprFixtures.event;
import static io.fraudcep.rules.expr.ExprFixtures.login;
import static io.fraudcep.rules.expr.ExprFixtures.loginAt;
import static io.fraudcep.rules.expr.ExprFixtures.plain;
import static io.fraudcep.rules.expr.ExprFixtures.transfer;
import static io.fraudcep.rules.expr.ExprFixtures.transferEvent;
import static io.fraudcep.rules.expr.ExprFixtures.withFacts;
import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.expr.ExprFixtures.Rule;
import io.fraudcep.rules.expr.ExprFixtures.View;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each construct of the language evaluates to (rules.md, "where", "having", summary). */
class RuleExpressionTest {

    /** A rule with a step of every shape, and a parameter of every kind. */
    private static final Rule RULE =
            Rule.rule()
                    .param("minAmount", decimal("1000.00"))
                    .param("ratio", decimal("0.80"))
                    .param("maxPrior", ParamValue.integer(10))
                    .param("dormancy", ParamValue.duration(Duration.ofDays(90), "90d"))
                    .param("home", ParamValue.string("DE"))
                    .param("flag", ParamValue.bool(true))
                    .param("minKm", decimal("500.0"))
                    .param("minKmh", decimal("1000.0"))
                    .step("login", LOGIN_SUCCESS)
                    .repeated("failures", LOGIN_FAILURE)
                    .step("in", TRANSFER_IN)
                    .repeated("out", TRANSFER_OUT, WITHDRAWAL)
                    .step("transfer", TRANSFER_OUT);

    private static final EnrichedEvent TRANSFER =
            plain(
                    event(
                            TRANSFER_OUT,
                            at(Duration.ofMinutes(30)),
                            b ->
                                    b.amount("2500.00")
                                            .counterpartyId("acct-9")
                                            .country("DE")
                                            .currency("EUR")));

    private static boolean onTransfer(String source) throws ExprException {
        return RuleExpression.compile(source, RULE.where("transfer")).test(View.testing(TRANSFER));
    }

    @ParameterizedTest(name = "{0} is {1} for an amount of 2500.00")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "amount < 2500.01 | true",
                "amount < 2500.00 | false",
                "amount <= 2500.00 | true",
                "amount > 2499.99 | true",
                "amount > 2500 | false",
                "amount >= $minAmount | true",
                "amount == 2500 | true",
                "amount == 2500.000 | true",
                "amount != 2500.0 | false",
                "amount != 2499.99 | true",
                "-amount < 0 | true",
                "amount + 0.01 == 2500.01 | true",
                "amount - 500 == 2000 | true",
                "2 * amount == 5000 | true",
                "amount / 3 * 3 == 2500 | false",
                "amount / 4 == 625 | true",
                "amount / 3 > 833.33 | true",
                "(amount - 500) * 2 == 4000 | true",
                "amount - 500 * 2 == 1500 | true",
            })
    void comparesAndComputesDecimalsExactly(String source, boolean expected) throws Exception {
        assertThat(onTransfer(source)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "amount > 1 and country == 'DE' | true",
                "amount > 1 and country == 'FR' | false",
                "amount > 9999 or country == 'DE' | true",
                "amount > 9999 or country == 'FR' | false",
                "not (country == 'FR') | true",
                "not (amount > 1 and country == 'DE') | false",
                "not (amount > 9999) and not (country == 'FR') | true",
                "amount > 9999 or country == 'FR' or currency == 'EUR' | true",
                "(amount > 9999 or country == 'DE') and currency == 'EUR' | true",
                "amount > 9999 or country == 'DE' and currency == 'USD' | false",
                "true | true",
                "false or not false | true",
                "$flag | true",
                "newDevice == $flag | false",
            })
    void combinesConditionsWithAndOrNotAndParentheses(String source, boolean expected)
            throws Exception {
        assertThat(onTransfer(source)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "country in ['DE', 'FR'] | true",
                "country in [\"AT\", \"FR\"] | false",
                "country in [$home] | true",
                "not (country in ['AT']) | true",
                "amount in [100.00, 2500.00] | true",
                "amount in [2500] | true",
                "amount in [0.5, 1.0] | false",
                "type in ['TRANSFER_OUT', 'WITHDRAWAL'] | true",
                "counterpartyId == \"acct-9\" | true",
                "counterpartyId == 'acct-9' | true",
                "counterpartyId != 'it\\'s' | true",
                "country == $home | true",
                "type == 'TRANSFER_OUT' | true",
                "type == 'WITHDRAWAL' | false",
                "currency < 'USD' | true",
                "eventId == 'none' | false",
                "userId == 'u1' | true",
            })
    void testsMembershipAndStrings(String source, boolean expected) throws Exception {
        assertThat(onTransfer(source)).isEqualTo(expected);
    }

    @Test
    void readsTheEventUnderTestByItsOwnStepName() throws Exception {
        assertThat(onTransfer("transfer.amount >= $minAmount")).isTrue();
        assertThat(onTransfer("transfer.amount == amount and transfer.type == type")).isTrue();
        assertThat(
                        RuleExpression.compile("transfer.amount > 1", RULE.where("transfer"))
                                .readsSteps())
                .isFalse();
    }

    @Test
    void readsTheFactsAboutTheUserBeforeTheEvent() throws Exception {
        Instant t = at(Duration.ofDays(100));
        EnrichedEvent returning =
                withFacts(
                        event(LOGIN_SUCCESS, t, b -> b.deviceId("d2").coordinates(48.85, 2.35)),
                        true,
                        T0,
                        4);
        ExprScope scope = RULE.where("login");
        assertThat(test("newDevice", scope, returning)).isTrue();
        assertThat(test("not newDevice", scope, returning)).isFalse();
        assertThat(test("sincePreviousEvent >= $dormancy", scope, returning)).isTrue();
        assertThat(test("sincePreviousEvent < $dormancy", scope, returning)).isFalse();
        assertThat(test("priorEvents < $maxPrior", scope, returning)).isTrue();
        assertThat(test("priorEvents == 4 and priorEvents > 3", scope, returning)).isTrue();
        assertThat(test("hasCoordinates", scope, returning)).isTrue();
        assertThat(test("hasCoordinates", scope, login(t, "d1"))).isFalse();
        assertThat(
                        test(
                                "timestamp > login.timestamp",
                                RULE.where("transfer"),
                                TRANSFER,
                                login(T0, "d1")))
                .isTrue();
    }

    @Test
    void readsEarlierSingleStepsFieldsAndFacts() throws Exception {
        EnrichedEvent payee = plain(event(PAYEE_ADDED, T0, b -> b.payeeId("acct-9")));
        Rule drain = Rule.rule().step("payee", PAYEE_ADDED).step("transfer", TRANSFER_OUT);
        View view = View.testing(TRANSFER).with("payee", payee);
        assertThat(compile("counterpartyId == payee.payeeId", drain.where("transfer")).test(view))
                .isTrue();
        assertThat(compile("counterpartyId != payee.payeeId", drain.where("transfer")).test(view))
                .isFalse();

        EnrichedEvent in = withFacts(transferEvent(TRANSFER_IN, "3000.00", T0), false, T0, 7);
        View afterIn = View.testing(TRANSFER).with("in", in).with("login", login(T0, "d1"));
        ExprScope scope = RULE.where("transfer");
        assertThat(compile("in.priorEvents < $maxPrior", scope).test(afterIn)).isTrue();
        assertThat(compile("in.sincePreviousEvent == duration(in, in)", scope).test(afterIn))
                .isTrue();
        assertThat(compile("login.deviceId == 'd1' and in.amount > amount", scope).test(afterIn))
                .isTrue();
        assertThat(compile("in.amount > amount", scope).readsSteps()).isTrue();
    }

    @Test
    void readsRepeatedStepsThroughFirstLastAndAggregates() throws Exception {
        EnrichedEvent f1 = failure(at(Duration.ofMinutes(1)), "d1", "DE");
        EnrichedEvent f2 = failure(at(Duration.ofMinutes(2)), "d2", null);
        EnrichedEvent f3 = failure(at(Duration.ofMinutes(3)), "d1", "FR");
        EnrichedEvent success = login(at(Duration.ofMinutes(4)), "d1");
        Rule stuffing =
                Rule.rule().repeated("failures", LOGIN_FAILURE).step("success", LOGIN_SUCCESS);
        ExprScope scope = stuffing.where("success");
        View view = View.testing(success).with("failures", f1, f2, f3);
        assertThat(compile("count(failures) == 3", scope).test(view)).isTrue();
        assertThat(compile("distinct(failures.deviceId) == 2", scope).test(view)).isTrue();
        assertThat(compile("distinct(failures.country) == 2", scope).test(view)).isTrue();
        assertThat(compile("first(failures).deviceId == deviceId", scope).test(view)).isTrue();
        assertThat(compile("last(failures).country == 'FR'", scope).test(view)).isTrue();
        assertThat(compile("first(failures).country == 'DE'", scope).test(view)).isTrue();
        assertThat(compile("min(failures.country) == 'DE'", scope).test(view)).isTrue();
        assertThat(compile("max(failures.country) == 'FR'", scope).test(view)).isTrue();
        assertThat(
                        compile("min(failures.timestamp) == first(failures).timestamp", scope)
                                .test(view))
                .isTrue();
    }

    @Test
    void sumsMinimaAndMaximaOfAmountsAreExact() throws Exception {
        View view =
                View.match()
                        .with("in", transfer(TRANSFER_IN, "2000.01", T0))
                        .with(
                                "out",
                                transfer(TRANSFER_OUT, "0.10", T0),
                                transfer(WITHDRAWAL, "0.20", T0),
                                transfer(TRANSFER_OUT, "1599.70", T0));
        ExprScope summary = RULE.summary();
        assertThat(compile("sum(out.amount)", summary).value(view))
                .isEqualTo(new BigDecimal("1600.00"));
        assertThat(compile("min(out.amount)", summary).value(view))
                .isEqualTo(new BigDecimal("0.10"));
        assertThat(compile("max(out.amount)", summary).value(view))
                .isEqualTo(new BigDecimal("1599.70"));
        assertThat(compile("sum(out.amount) == 1600", RULE.having("out")).test(view)).isTrue();
    }

    @ParameterizedTest(name = "outflows of 800.00 and {0} against 0.80 * 2000.01 = 1600.008: {1}")
    @CsvSource({"800.00, false", "800.01, true"})
    void moneyMuleHavingComparesAtTheExactBoundary(String second, boolean expected)
            throws Exception {
        Rule mule =
                Rule.rule()
                        .param("passThroughRatio", decimal("0.80"))
                        .step("in", TRANSFER_IN)
                        .repeated("out", TRANSFER_OUT, WITHDRAWAL);
        RuleExpression having =
                compile("sum(out.amount) >= $passThroughRatio * in.amount", mule.having("out"));
        View view =
                View.match()
                        .with("in", transfer(TRANSFER_IN, "2000.01", T0))
                        .with(
                                "out",
                                transfer(TRANSFER_OUT, "800.00", at(Duration.ofMinutes(1))),
                                transfer(WITHDRAWAL, second, at(Duration.ofMinutes(2))));
        assertThat(having.test(view)).isEqualTo(expected);
        assertThat(compile("0.8 * 2000.01 == 1600.008", mule.having("out")).test(view)).isTrue();
        assertThat(having.readsSteps()).isTrue();
    }

    @Test
    void stepNamedInAndTheInOperatorLiveSideBySide() throws Exception {
        Rule mule =
                Rule.rule()
                        .param("minTransferIn", decimal("2000.00"))
                        .step("in", TRANSFER_IN)
                        .repeated("out", TRANSFER_OUT, WITHDRAWAL);
        EnrichedEvent in =
                plain(
                        event(
                                TRANSFER_IN,
                                T0,
                                b -> b.amount("2500.00").counterpartyId("acct-1").country("DE")));
        assertThat(
                        compile(
                                        "in.amount >= $minTransferIn and country in ['DE', 'FR']"
                                                + " and in.country in ['DE']",
                                        mule.where("in"))
                                .test(View.testing(in)))
                .isTrue();
        View match = View.match().with("in", in).with("out", transfer(WITHDRAWAL, "10.00", T0));
        assertThat(
                        compile(
                                        "in.counterpartyId in ['acct-1'] and count(out) in [1, 2]",
                                        mule.having("out"))
                                .test(match))
                .isTrue();
        assertThat(compile("in.amount", mule.summary()).value(match))
                .isEqualTo(new BigDecimal("2500.00"));
    }

    @Test
    void stepsMayBeNamedLikeFunctionsAndKeywords() throws Exception {
        Rule odd = Rule.rule().step("count", TRANSFER_IN).step("not", TRANSFER_OUT);
        View view = View.testing(TRANSFER).with("count", transfer(TRANSFER_IN, "1.00", T0));
        assertThat(
                        compile(
                                        "count.amount < not.amount and not (count.amount > 2)",
                                        odd.where("not"))
                                .test(view))
                .isTrue();
    }

    @Test
    void measuresDistanceAndSpeedBetweenLogins() throws Exception {
        Rule travel =
                Rule.rule()
                        .param("minDistanceKm", decimal("500.0"))
                        .param("minSpeedKmh", decimal("1000.0"))
                        .step("earlier", LOGIN_SUCCESS)
                        .absent("between", LOGIN_SUCCESS)
                        .step("later", LOGIN_SUCCESS);
        String where =
                "hasCoordinates and distanceKm(earlier, later) >= $minDistanceKm and"
                        + " speedKmh(earlier, later) > $minSpeedKmh";
        RuleExpression impossible = compile(where, travel.where("later"));
        EnrichedEvent paris = loginAt(T0, 48.8566, 2.3522);
        EnrichedEvent newYork1h = loginAt(at(Duration.ofHours(1)), 40.7128, -74.0060);
        EnrichedEvent newYork8h = loginAt(at(Duration.ofHours(8)), 40.7128, -74.0060);
        EnrichedEvent newYorkSameInstant = loginAt(T0, 40.7128, -74.0060);
        EnrichedEvent versailles = loginAt(at(Duration.ofMinutes(1)), 48.8049, 2.1204);
        assertThat(impossible.test(View.testing(newYork1h).with("earlier", paris))).isTrue();
        assertThat(impossible.test(View.testing(newYork8h).with("earlier", paris))).isFalse();
        assertThat(impossible.test(View.testing(newYorkSameInstant).with("earlier", paris)))
                .isTrue();
        assertThat(impossible.test(View.testing(versailles).with("earlier", paris))).isFalse();
        assertThat(impossible.readsSteps()).isTrue();

        View match = View.match().with("earlier", paris).with("later", newYork1h);
        assertThat((Double) compile("distanceKm(earlier, later)", travel.summary()).value(match))
                .isCloseTo(5837.2, org.assertj.core.data.Offset.offset(0.1));
        assertThat((Double) compile("speedKmh(earlier, later)", travel.summary()).value(match))
                .isCloseTo(5837.2, org.assertj.core.data.Offset.offset(0.1));
        View sameInstant = View.match().with("earlier", paris).with("later", newYorkSameInstant);
        assertThat(compile("speedKmh(earlier, later)", travel.summary()).value(sameInstant))
                .isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void comparesDoublesWithDecimalsExactly() throws Exception {
        Rule r = Rule.rule().param("km", decimal("500.0")).step("login", LOGIN_SUCCESS);
        EnrichedEvent paris = loginAt(T0, 48.85, 2.35);
        ExprScope scope = r.where("login");
        // The double nearest to 48.85 lies just above it: 48.850000000000001421...
        assertThat(test("lat > 48.85", scope, paris)).isTrue();
        assertThat(test("lat == 48.85", scope, paris)).isFalse();
        assertThat(test("lat < 48.850000000000002", scope, paris)).isTrue();
        assertThat(test("lon > 2 and lon < 3 and lat * 2 > 97", scope, paris)).isTrue();
        assertThat(test("priorEvents < lat", scope, paris)).isTrue();
    }

    @Test
    void measuresDurationsBetweenSteps() throws Exception {
        Rule takeover =
                Rule.rule()
                        .param("quick", ParamValue.duration(Duration.ofMinutes(10), "10m"))
                        .step("login", LOGIN_SUCCESS)
                        .step("change", PASSWORD_CHANGE);
        EnrichedEvent change = plain(event(PASSWORD_CHANGE, at(Duration.ofMinutes(5)), b -> b));
        View view = View.testing(change).with("login", login(T0, "d1"));
        assertThat(compile("duration(login, change) < $quick", takeover.where("change")).test(view))
                .isTrue();
        assertThat(compile("duration(change, login) < $quick", takeover.where("change")).test(view))
                .isTrue();
        assertThat(compile("duration(login, change) > $quick", takeover.where("change")).test(view))
                .isFalse();
        assertThat(
                        compile("duration(login, change)", takeover.summary())
                                .value(
                                        View.match()
                                                .with("login", login(T0, "d1"))
                                                .with("change", change)))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void summaryValuesKeepTheirTypesAndScale() throws Exception {
        Rule mule =
                Rule.rule()
                        .param("passThroughRatio", decimal("0.80"))
                        .param("smallBelow", decimal("5.00"))
                        .step("in", TRANSFER_IN)
                        .repeated("out", TRANSFER_OUT, WITHDRAWAL);
        EnrichedEvent in =
                withFacts(transferEvent(TRANSFER_IN, "2500.00", T0), false, T0.minusSeconds(90), 3);
        View match =
                View.match()
                        .with("in", in)
                        .with(
                                "out",
                                transfer(TRANSFER_OUT, "1000.00", at(Duration.ofMinutes(1))),
                                transfer(WITHDRAWAL, "1100.50", at(Duration.ofMinutes(2))))
                        .span(Duration.ofMinutes(2));
        ExprScope summary = mule.summary();
        assertThat(compile("count(out)", summary).value(match)).isEqualTo(2L);
        assertThat(compile("sum(out.amount)", summary).value(match).toString())
                .isEqualTo("2100.50");
        assertThat(compile("in.amount", summary).value(match).toString()).isEqualTo("2500.00");
        assertThat(compile("$smallBelow", summary).value(match).toString()).isEqualTo("5.00");
        assertThat(compile("$passThroughRatio * in.amount", summary).value(match).toString())
                .isEqualTo("2000.0000");
        assertThat(compile("in.counterpartyId", summary).value(match)).isEqualTo("acct-1");
        assertThat(compile("last(out).type", summary).value(match)).isEqualTo("WITHDRAWAL");
        assertThat(compile("in.priorEvents", summary).value(match)).isEqualTo(3L);
        assertThat(compile("in.sincePreviousEvent", summary).value(match))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(compile("in.newDevice", summary).value(match)).isEqualTo(false);
        assertThat(compile("in.timestamp", summary).value(match)).isEqualTo(T0);
        assertThat(compile("span", summary).value(match)).isEqualTo(Duration.ofMinutes(2));
        assertThat(compile("span", summary).readsSteps()).isTrue();
        assertThat(compile("sum(out.amount) > in.amount", summary).value(match)).isEqualTo(false);
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        RuleExpression original =
                compile("amount >= $minAmount and country in ['DE']", RULE.where("transfer"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        RuleExpression copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (RuleExpression) in.readObject();
        }
        assertThat(copy.source()).isEqualTo(original.source());
        assertThat(copy.readsSteps()).isFalse();
        assertThat(copy.test(View.testing(TRANSFER))).isTrue();
        assertThat(copy.test(View.testing(plain(event(CARD_PAYMENT, T0, b -> b.amount("1.00"))))))
                .isFalse();
    }

    private static EnrichedEvent failure(Instant t, String device, String country) {
        return plain(event(LOGIN_FAILURE, t, b -> b.deviceId(device).country(country)));
    }

    private static boolean test(String source, ExprScope scope, EnrichedEvent current)
            throws ExprException {
        return compile(source, scope).test(View.testing(current));
    }

    private static boolean test(
            String source, ExprScope scope, EnrichedEvent current, EnrichedEvent login)
            throws ExprException {
        return compile(source, scope).test(View.testing(current).with("login", login));
    }

    private static RuleExpression compile(String source, ExprScope scope) throws ExprException {
        return RuleExpression.compile(source, scope);
    }
}
