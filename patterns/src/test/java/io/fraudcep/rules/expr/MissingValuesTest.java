package io.fraudcep.rules.expr;

import static io.fraudcep.model.EventType.CARD_PAYMENT;
import static io.fraudcep.model.EventType.LOGIN_FAILURE;
import static io.fraudcep.model.EventType.LOGIN_SUCCESS;
import static io.fraudcep.model.EventType.TRANSFER_OUT;
import static io.fraudcep.rules.expr.ExprFixtures.T0;
import static io.fraudcep.rules.expr.ExprFixtures.at;
import static io.fraudcep.rules.expr.ExprFixtures.decimal;
import static io.fraudcep.rules.expr.ExprFixtures.event;
import static io.fraudcep.rules.expr.ExprFixtures.login;
import static io.fraudcep.rules.expr.ExprFixtures.loginAt;
import static io.fraudcep.rules.expr.ExprFixtures.payment;
import static io.fraudcep.rules.expr.ExprFixtures.plain;
import static io.fraudcep.rules.expr.ExprFixtures.withFacts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.expr.ExprFixtures.Rule;
import io.fraudcep.rules.expr.ExprFixtures.View;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A missing optional field (or {@code sincePreviousEvent} on a user's first event) makes the
 * comparison that reads it an error; {@code and}/{@code or} absorb errors as CEL does; a where or
 * having whose result is an error is false, and a summary value null.
 */
class MissingValuesTest {

    private static final Rule RULE =
            Rule.rule()
                    .param("dormancy", ParamValue.duration(Duration.ofDays(90), "90d"))
                    .param("limit", decimal("100.00"))
                    .step("login", LOGIN_SUCCESS)
                    .repeated("failures", LOGIN_FAILURE)
                    .step("payment", CARD_PAYMENT);

    /** A card payment of 5.00 without a country, currency, card, merchant or mcc. */
    private static final EnrichedEvent PAYMENT = payment("5.00");

    @ParameterizedTest(name = "{0} is {1} when country is missing")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "country == 'DE' | false",
                "country != 'DE' | false",
                "not (country == 'DE') | false",
                "country in ['DE', 'FR'] | false",
                "not (country in ['DE', 'FR']) | false",
                "country == 'DE' or amount < 10 | true",
                "amount < 10 or country == 'DE' | true",
                "country == 'DE' or amount > 10 | false",
                "country == 'DE' and amount > 10 | false",
                "amount > 10 and country == 'DE' | false",
                "country == 'DE' and amount < 10 | false",
                "not (country == 'DE' and amount > 10) | true",
                "not (country == 'DE' or amount > 10) | false",
                "currency == 'EUR' or mcc == '5999' or amount == 5 | true",
                "merchantId < 'm' or cardId > 'c' | false",
            })
    void missingFieldMakesItsComparisonAnError(String source, boolean expected) throws Exception {
        assertThat(test(source, RULE.where("payment"), View.testing(PAYMENT))).isEqualTo(expected);
    }

    @Test
    void sincePreviousEventIsMissingOnTheUsersFirstEvent() throws Exception {
        ExprScope scope = RULE.where("login");
        EnrichedEvent first = login(T0, "d1");
        EnrichedEvent returning =
                withFacts(
                        event(LOGIN_SUCCESS, at(Duration.ofDays(91)), b -> b.deviceId("d1")),
                        false,
                        T0,
                        1);
        assertThat(test("sincePreviousEvent >= $dormancy", scope, View.testing(first))).isFalse();
        assertThat(test("sincePreviousEvent < $dormancy", scope, View.testing(first))).isFalse();
        assertThat(test("not (sincePreviousEvent < $dormancy)", scope, View.testing(first)))
                .isFalse();
        assertThat(test("sincePreviousEvent >= $dormancy", scope, View.testing(returning)))
                .isTrue();
        assertThat(
                        RuleExpression.compile("login.sincePreviousEvent", RULE.summary())
                                .value(View.match().with("login", first)))
                .isNull();
    }

    @Test
    void distanceToALoginWithoutCoordinatesIsMissing() throws Exception {
        Rule travel = Rule.rule().step("earlier", LOGIN_SUCCESS).step("later", LOGIN_SUCCESS);
        ExprScope scope = travel.where("later");
        EnrichedEvent paris = loginAt(T0, 48.8566, 2.3522);
        EnrichedEvent nowhere = login(at(Duration.ofHours(1)), "d2");
        assertThat(
                        test(
                                "distanceKm(earlier, later) >= 0",
                                scope,
                                View.testing(nowhere).with("earlier", paris)))
                .isFalse();
        assertThat(
                        test(
                                "not (speedKmh(earlier, later) >= 0)",
                                scope,
                                View.testing(nowhere).with("earlier", paris)))
                .isFalse();
        assertThat(
                        test(
                                "duration(earlier, later) > duration(later, later)",
                                scope,
                                View.testing(nowhere).with("earlier", paris)))
                .isTrue();
    }

    @Test
    void aggregatesSkipEventsWithoutTheFieldAndAreMissingWhenNoneHasIt() throws Exception {
        ExprScope summary = RULE.summary();
        EnrichedEvent f1 = plain(event(LOGIN_FAILURE, T0, b -> b.deviceId("d1")));
        EnrichedEvent f2 = plain(event(LOGIN_FAILURE, T0, b -> b.deviceId("d2").country("FR")));
        View none = View.match().with("failures", f1, f1);
        View one = View.match().with("failures", f1, f2);
        assertThat(RuleExpression.compile("min(failures.country)", summary).value(none)).isNull();
        assertThat(RuleExpression.compile("min(failures.country)", summary).value(one))
                .isEqualTo("FR");
        assertThat(RuleExpression.compile("distinct(failures.country)", summary).value(none))
                .isEqualTo(0L);
        assertThat(RuleExpression.compile("first(failures).country", summary).value(one)).isNull();
        assertThat(RuleExpression.compile("last(failures).country", summary).value(one))
                .isEqualTo("FR");
    }

    @Test
    void summaryValueIsNullWhenMissingOrAnError() throws Exception {
        View match = View.match().with("login", login(T0, "d1")).with("payment", PAYMENT);
        ExprScope summary = RULE.summary();
        assertThat(RuleExpression.compile("payment.country", summary).value(match)).isNull();
        assertThat(RuleExpression.compile("span", summary).value(match)).isNull();
        assertThat(RuleExpression.compile("payment.amount / 0", summary).value(match)).isNull();
        assertThat(RuleExpression.compile("login.deviceId", summary).value(match)).isEqualTo("d1");
    }

    @Test
    void anErrorInArithmeticMakesTheConditionFalse() throws Exception {
        ExprScope scope = RULE.where("payment");
        assertThat(test("amount / 0 > 1", scope, View.testing(PAYMENT))).isFalse();
        assertThat(test("not (amount / 0 > 1)", scope, View.testing(PAYMENT))).isFalse();
        assertThat(test("amount / 0 > 1 or amount == 5", scope, View.testing(PAYMENT))).isTrue();
        assertThat(test("9223372036854775807 + 1 > 0", scope, View.testing(PAYMENT))).isFalse();
    }

    @Test
    void aStepWithoutEventsInTheViewReadsAsMissing() throws Exception {
        ExprScope scope = RULE.where("payment");
        assertThat(test("login.deviceId == 'd1'", scope, View.testing(PAYMENT))).isFalse();
        assertThat(test("not (login.deviceId == 'd1')", scope, View.testing(PAYMENT))).isFalse();
        assertThat(test("count(failures) == 0", scope, View.testing(PAYMENT))).isTrue();
    }

    @Test
    void aTransferWithoutCountryIsNotFromAnotherCountry() throws Exception {
        Rule r = Rule.rule().param("home", ParamValue.string("DE")).step("t", TRANSFER_OUT);
        EnrichedEvent noCountry =
                plain(event(TRANSFER_OUT, T0, b -> b.amount("10.00").counterpartyId("a")));
        assertThat(test("country != $home", r.where("t"), View.testing(noCountry))).isFalse();
    }

    @Test
    void aFaultOfTheMatchViewIsNotTakenForMissingData() throws Exception {
        RuleExpression e =
                RuleExpression.compile("count(failures) > 1 or amount > 0", RULE.where("payment"));
        MatchView broken =
                new MatchView() {
                    @Override
                    public EnrichedEvent current() {
                        return PAYMENT;
                    }

                    @Override
                    public List<EnrichedEvent> events(String step) {
                        throw new IllegalStateException("no such step bound: " + step);
                    }
                };
        assertThatThrownBy(() -> e.test(broken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no such step bound: failures");
    }

    private static boolean test(String source, ExprScope scope, View view) throws ExprException {
        return RuleExpression.compile(source, scope).test(view);
    }
}
