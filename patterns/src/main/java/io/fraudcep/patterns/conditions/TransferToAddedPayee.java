package io.fraudcep.patterns.conditions;

import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * A {@code TRANSFER_OUT} of at least the given amount whose counterparty is the payee that the
 * match's earlier {@code PAYEE_ADDED} step took: a condition on an earlier matched event.
 */
public class TransferToAddedPayee extends IterativeCondition<EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    private final String payeeStep;
    private final long minCents;

    public TransferToAddedPayee(String payeeStep, long minCents) {
        this.payeeStep = payeeStep;
        this.minCents = minCents;
    }

    /** The part of the condition that needs no earlier event: used to pre-filter events. */
    public boolean couldMatch(EnrichedEvent e) {
        return e.event().type() == EventType.TRANSFER_OUT
                && e.event().amount() >= minCents
                && e.event().counterpartyId() != null;
    }

    @Override
    public boolean filter(EnrichedEvent e, Context<EnrichedEvent> ctx) throws Exception {
        if (!couldMatch(e)) {
            return false;
        }
        for (EnrichedEvent payee : ctx.getEventsForPattern(payeeStep)) {
            if (e.event().counterpartyId().equals(payee.event().payeeId())) {
                return true;
            }
        }
        return false;
    }
}
