package io.fraudcep.rules.expr;

import static io.fraudcep.model.EventType.LOGIN_FAILURE;
import static io.fraudcep.model.EventType.LOGIN_SUCCESS;
import static io.fraudcep.model.EventType.TRANSFER_IN;
import static io.fraudcep.model.EventType.TRANSFER_OUT;
import static io.fraudcep.model.EventType.WITHDRAWAL;
import static io.fraudcep.rules.expr.ExprFixtures.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fraudcep.rules.ParamValue;
import io.fraudcep.rules.expr.ExprFixtures.Rule;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every static check of {@link RuleExpression#compile}: its message and its column. */
class ExprErrorsTest {

    /**
     * login (LOGIN_SUCCESS), failures (repeated LOGIN_FAILURE), between (absent), in (TRANSFER_IN),
     * out (repeated TRANSFER_OUT/WITHDRAWAL), later (LOGIN_SUCCESS).
     */
    private static final Rule RULE =
            Rule.rule()
                    .param("minAmount", decimal("1000.00"))
                    .param("dormancy", ParamValue.duration(Duration.ofDays(90), "90d"))
                    .step("login", LOGIN_SUCCESS)
                    .repeated("failures", LOGIN_FAILURE)
                    .absent("between", LOGIN_SUCCESS)
                    .step("in", TRANSFER_IN)
                    .repeated("out", TRANSFER_OUT, WITHDRAWAL)
                    .step("later", LOGIN_SUCCESS);

    @ParameterizedTest(name = "where of {0}: {1}")
    @CsvSource(
            delimiterString = " | ",
            quoteCharacter = '`',
            value = {
                // names
                "in | amountt > 1 | unknown field amountt | 1",
                "in | login.devise == 'd' | unknown field devise | 7",
                "in | logn.deviceId == 'd' | unknown step logn | 1",
                "in | amount.x == 1 | amount is a field, not a step | 1",
                "in | login == 'd' | step login needs a field, e.g. login.type | 1",
                "login | later.deviceId == deviceId | step later comes after login: a where reads only"
                        + " the steps before its own | 1",
                "in | count(out) > 1 | step out comes after in: a where reads only the steps before"
                        + " its own | 7",
                "in | between.deviceId == 'd' | step between is absent: it has no events to read | 1",
                "in | amount > $minAmont | unknown parameter $minAmont: declare it under params | 10",
                "in | size(counterpartyId) > 1 | unknown function size | 1",
                "in | span > $dormancy | span is only known in a summary | 1",
                // fields no type of the step carries
                "login | amount > 1 | field amount is never present on LOGIN_SUCCESS | 1",
                "in | login.amount > 1 | field amount is never present on LOGIN_SUCCESS | 7",
                "in | lat > 1 | field lat is never present on TRANSFER_IN | 1",
                "later | first(failures).payeeId == 'p' | field payeeId is never present on"
                        + " LOGIN_FAILURE | 17",
                "later | sum(out.deviceId) > 1 | sum needs a number: deviceId is a string | 9",
                "later | min(failures.newDevice) | min needs ordered values: newDevice is a boolean"
                        + " | 14",
                // step shapes
                "in | failures.deviceId == 'd' | failures is a repeated step: write"
                        + " first(failures).deviceId, last(failures).deviceId or an aggregate such"
                        + " as count(failures) | 1",
                "in | count(login) > 1 | login is a single step: count applies to repeated steps"
                        + " (write login.field) | 7",
                "in | first(login).deviceId == 'd' | login is a single step: first applies to"
                        + " repeated steps (write login.field) | 7",
                "in | sum(in.amount) > 1 | in its own where, in is the event under test: sum reads a"
                        + " repeated step before it | 5",
                "later | distanceKm(failures, later) > 1 | failures is a repeated step: distanceKm"
                        + " takes single steps | 12",
                "later | distanceKm(in, later) > 1 | distanceKm needs coordinates: in is never a"
                        + " login (TRANSFER_IN) | 12",
                "later | first(failures) == 'd' | expected .: write first(step).field | 17",
                "later | count(failures.deviceId) > 1 | expected ): write count(step) | 15",
                "later | distanceKm(login) > 1 | expected ,: write distanceKm(step, step) | 17",
                // types
                "in | amount < 'x' | cannot compare decimal with string (<) | 8",
                "in | amount == true | cannot compare decimal with boolean (==) | 8",
                "in | sincePreviousEvent > 5.0 | cannot compare duration with decimal (>) | 20",
                "later | login.amount > 1 | field amount is never present on LOGIN_SUCCESS | 7",
                "later | in.amount * lat > 1 | cannot apply * to a decimal and a double: money never"
                        + " passes through double | 11",
                "later | lat + in.amount > 1 | cannot apply + to a decimal and a double: money never"
                        + " passes through double | 5",
                "in | counterpartyId + 1 == 'x' | cannot apply + to string and integer | 16",
                "in | -counterpartyId == 'x' | cannot negate a string | 1",
                "in | amount and newDevice | and needs a condition on each side, not decimal and"
                        + " boolean | 8",
                "in | newDevice or 1 | or needs a condition on each side, not boolean and integer"
                        + " | 11",
                "in | not country == 'DE' | not needs a condition, not a string (to negate a"
                        + " comparison, write not (a == b)) | 1",
                "in | country in 'DE' | in needs a list after it, e.g. country in ['DE', 'FR'] | 9",
                "in | country in [1, 2] | cannot look for a string in a list of integer | 9",
                "in | amount in [100, 2500.00] | a list must hold values of one type: write its"
                        + " numbers all as decimals (100.00) or all as integers | 8",
                "in | amount | a where must be a condition (true or false), not a decimal | 0",
                "in | country | a where must be a condition (true or false), not a string | 0",
                "in | [newDevice] | a where must be a condition (true or false), not a list | 0",
                // syntax
                "in | amount < | syntax error: the expression ends too early | 9",
                "in | (amount > 1 | syntax error: missing ) | 12",
                "in | amount > 1 1 | syntax error: unexpected 1 | 12",
                "in | amount > > 1 | syntax error: unexpected > | 10",
                "in | amount = 1 | = is not a comparison: write == | 8",
                "in | newDevice && true | write and instead of && | 11",
                "in | newDevice || true | write or instead of || | 11",
                "in | !newDevice | write not instead of ! | 1",
                "in | amount > .5 | a decimal needs a digit before its point (0.5, not .5) | 10",
                "in | amount > 5. | a decimal needs a digit after its point (5.0, not 5.) | 10",
                "in | amount > 1e3 | malformed number 1e | 10",
                "in | amount > 99999999999999999999 | integer 99999999999999999999 is too large | 10",
                "in | country == 'DE | string not closed: ' missing | 12",
                "in | country == 'D\\E' | unknown escape \\E (only \\\\, \\' and \\\") | 14",
                "in | amount > $ | $ must be followed by a parameter name | 10",
                "in | amount # 1 | unexpected character '#' | 8",
                "in | '   ' | a where must be a condition (true or false), not a string | 0",
            })
    void whereErrorNamesTheCulpritAndItsColumn(
            String own, String source, String message, int column) {
        ExprException e = compileError(source, RULE.where(own));
        assertThat(e.message()).isEqualTo(message);
        assertThat(e.column()).isEqualTo(column);
        assertThat(e.getMessage())
                .isEqualTo(column > 0 ? "column " + column + ": " + message : message);
    }

    @ParameterizedTest(name = "having of out: {0}")
    @CsvSource(
            delimiterString = " | ",
            quoteCharacter = '`',
            value = {
                "out.amount > 1 | out is a repeated step: write first(out).amount, last(out).amount"
                        + " or an aggregate such as count(out) | 1",
                "amount > 1 | a having has no event under test: name the step, e.g."
                        + " sum(out.amount) | 1",
                "sum(out.amount) | a having must be a condition (true or false), not a decimal | 0",
                "later.deviceId == 'd' | step later comes after out: a having reads only the steps"
                        + " before its own | 1",
                "sum(out.amount) >= in.amount * in.lat | field lat is never present on"
                        + " TRANSFER_IN | 35",
            })
    void havingErrorNamesTheCulprit(String source, String message, int column) {
        ExprException e = compileError(source, RULE.having("out"));
        assertThat(e.message()).isEqualTo(message);
        assertThat(e.column()).isEqualTo(column);
    }

    @ParameterizedTest(name = "summary: {0}")
    @CsvSource(
            delimiterString = " | ",
            quoteCharacter = '`',
            value = {
                "amount | a summary has no event under test: name the step, e.g. step.amount | 1",
                "between.deviceId | step between is absent: it has no events to read | 1",
                "[1, 2] | a summary placeholder must be one value, not a list | 0",
                "'' | empty expression | 0",
            })
    void summaryErrorNamesTheCulprit(String source, String message, int column) {
        ExprException e = compileError(source.equals("''") ? " " : source, RULE.summary());
        assertThat(e.message()).isEqualTo(message);
        assertThat(e.column()).isEqualTo(column);
    }

    private static ExprException compileError(String source, ExprScope scope) {
        return catchThrowableOfType(
                ExprException.class, () -> RuleExpression.compile(source, scope));
    }
}
