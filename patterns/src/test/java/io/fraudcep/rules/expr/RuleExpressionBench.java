package io.fraudcep.rules.expr;

import static io.fraudcep.rules.expr.ExprFixtures.T0;
import static io.fraudcep.rules.expr.ExprFixtures.decimal;
import static io.fraudcep.rules.expr.ExprFixtures.payment;
import static io.fraudcep.rules.expr.ExprFixtures.transfer;

import io.fraudcep.model.EventType;
import io.fraudcep.rules.expr.ExprFixtures.Rule;
import io.fraudcep.rules.expr.ExprFixtures.View;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.BooleanSupplier;

/**
 * Prints the CPU time of one evaluation of CARD_TESTING's {@code where}, of MONEY_MULE's {@code
 * having} (three outflows) and of a condition that meets a missing field. Not a test: run its main
 * (e.g. from the IDE); figures vary by machine, load and JDK.
 */
public final class RuleExpressionBench {

    private static final int ROUNDS = 7;
    private static final int EVALUATIONS = 1_000_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Keeps the JIT from dropping the evaluations. */
    static volatile boolean sink;

    private RuleExpressionBench() {}

    public static void main(String[] args) throws ExprException {
        RuleExpression where =
                RuleExpression.compile(
                        "amount < $smallBelow",
                        Rule.rule()
                                .param("smallBelow", decimal("5.00"))
                                .repeated("small", EventType.CARD_PAYMENT)
                                .where("small"));
        View payment = View.testing(payment("4.99"));
        report("amount < $smallBelow", () -> where.test(payment));

        RuleExpression having =
                RuleExpression.compile(
                        "sum(out.amount) >= $passThroughRatio * in.amount",
                        Rule.rule()
                                .param("passThroughRatio", decimal("0.80"))
                                .step("in", EventType.TRANSFER_IN)
                                .repeated("out", EventType.TRANSFER_OUT, EventType.WITHDRAWAL)
                                .having("out"));
        View match =
                View.match()
                        .with("in", transfer(EventType.TRANSFER_IN, "2500.00", T0))
                        .with(
                                "out",
                                transfer(EventType.TRANSFER_OUT, "900.00", T0.plusSeconds(60)),
                                transfer(EventType.WITHDRAWAL, "600.00", T0.plusSeconds(120)),
                                transfer(EventType.TRANSFER_OUT, "600.00", T0.plusSeconds(180)));
        report("MONEY_MULE having, 3 outflows", () -> having.test(match));

        RuleExpression missing =
                RuleExpression.compile(
                        "country == 'DE' or amount < $smallBelow",
                        Rule.rule()
                                .param("smallBelow", decimal("5.00"))
                                .repeated("small", EventType.CARD_PAYMENT)
                                .where("small"));
        report("country (missing) == 'DE' or ..", () -> missing.test(payment));
    }

    private static void report(String name, BooleanSupplier evaluation) {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            boolean any = false;
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < EVALUATIONS; i++) {
                any |= evaluation.getAsBoolean();
            }
            best = Math.min(best, THREADS.getCurrentThreadCpuTime() - start);
            sink = any;
        }
        System.out.printf(
                "%-36s %5d ns per evaluation (CPU time, best of %d rounds of %d)%n",
                name, best / EVALUATIONS, ROUNDS, EVALUATIONS);
    }
}
