package io.fraudcep.rules.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fraudcep.rules.expr.ExprValues.Arithmetic;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Exact comparison and arithmetic of the language's values. */
class ExprValuesTest {

    private static BigDecimal dec(String v) {
        return new BigDecimal(v);
    }

    @Test
    void decimalsCompareByValueWhateverTheirScale() {
        assertThat(ExprValues.compare(dec("5.00"), dec("5"))).isZero();
        assertThat(ExprValues.equal(dec("5.00"), dec("5.0"))).isTrue();
        assertThat(ExprValues.compare(dec("1600.008"), dec("1600.01"))).isNegative();
    }

    @Test
    void integersAndDoublesMeetDecimalsExactly() {
        assertThat(ExprValues.equal(2500L, dec("2500.00"))).isTrue();
        assertThat(ExprValues.compare(dec("0.1"), 0.1)).isNegative();
        assertThat(ExprValues.compare(500.0, dec("500.0"))).isZero();
        assertThat(ExprValues.compare(Math.nextDown(500.0), dec("500"))).isNegative();
        assertThat(ExprValues.compare(9007199254740993L, 9007199254740992.0)).isPositive();
    }

    @Test
    void infinityAndNaNHaveTheirIeeeOrder() {
        assertThat(ExprValues.compare(Double.POSITIVE_INFINITY, dec("1E+400"))).isPositive();
        assertThat(ExprValues.compare(Double.NEGATIVE_INFINITY, Long.MIN_VALUE)).isNegative();
        assertThat(ExprValues.compare(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)).isZero();
        assertThat(ExprValues.compare(Double.NaN, dec("1"))).isNull();
        assertThat(ExprValues.compare(Double.NaN, Double.NaN)).isNull();
        assertThat(ExprValues.equal(Double.NaN, Double.NaN)).isFalse();
        assertThat(ExprValues.equal(-0.0, 0.0)).isTrue();
    }

    @Test
    void otherTypesCompareWithinTheirType() {
        assertThat(ExprValues.compare("DE", "FR")).isNegative();
        assertThat(ExprValues.compare(Duration.ofDays(90), Duration.ofHours(2160))).isZero();
        assertThat(ExprValues.compare(Instant.EPOCH, Instant.EPOCH.plusNanos(1))).isNegative();
        assertThat(ExprValues.equal(true, true)).isTrue();
        assertThat(ExprValues.equal("DE", 1L)).isFalse();
    }

    @Test
    void decimalArithmeticIsExactAndDivisionHas34Digits() {
        assertThat(ExprValues.arithmetic(Arithmetic.MULTIPLY, dec("0.8"), dec("2000.01")))
                .isEqualTo(dec("1600.008"));
        assertThat(ExprValues.arithmetic(Arithmetic.ADD, dec("0.10"), dec("0.20")))
                .isEqualTo(dec("0.30"));
        assertThat(ExprValues.arithmetic(Arithmetic.SUBTRACT, 3L, dec("0.01")))
                .isEqualTo(dec("2.99"));
        assertThat(ExprValues.arithmetic(Arithmetic.DIVIDE, dec("1"), 3L))
                .isEqualTo(dec("0.3333333333333333333333333333333333"));
        assertThat(ExprValues.negate(dec("2.50"))).isEqualTo(dec("-2.50"));
    }

    @Test
    void integerArithmeticFailsOnOverflowAndDivisionByZero() {
        assertThat(ExprValues.arithmetic(Arithmetic.DIVIDE, 7L, 2L)).isEqualTo(3L);
        assertThat(ExprValues.arithmetic(Arithmetic.MULTIPLY, 2L, 2.5)).isEqualTo(5.0);
        assertThatThrownBy(() -> ExprValues.arithmetic(Arithmetic.ADD, Long.MAX_VALUE, 1L))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> ExprValues.arithmetic(Arithmetic.DIVIDE, 1L, 0L))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> ExprValues.arithmetic(Arithmetic.DIVIDE, Long.MIN_VALUE, -1L))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> ExprValues.negate(Long.MIN_VALUE))
                .isInstanceOf(ArithmeticException.class);
    }
}
