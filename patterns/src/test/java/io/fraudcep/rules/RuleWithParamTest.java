package io.fraudcep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Changing a parameter of a loaded rule changes every place it is used, times included. */
class RuleWithParamTest {

    @Test
    void aTimesWrittenWithTheParameterFollowsItsNewValue() {
        Rule rule = RuleFiles.defaults().rule("CARD_TESTING");

        Rule changed = rule.withParam("minSmallPayments", ParamValue.integer(5));

        assertThat(changed.step("small").times())
                .isEqualTo(new Quantifier(5, Quantifier.UNBOUNDED));
        assertThat(changed.step("small").times().minParam()).isEqualTo("minSmallPayments");
        assertThat(RuleExplainer.explain(changed)).contains("at least 5 [minSmallPayments]");
        assertThat(RuleCanonical.hash(changed)).isNotEqualTo(RuleCanonical.hash(rule));
    }

    @Test
    void aParameterTheRuleDoesNotDeclareIsRefused() {
        Rule rule = RuleFiles.defaults().rule("VELOCITY");

        assertThatThrownBy(() -> rule.withParam("minTransactionz", ParamValue.integer(3)))
                .hasMessage("rule VELOCITY has no parameter minTransactionz");
    }
}
