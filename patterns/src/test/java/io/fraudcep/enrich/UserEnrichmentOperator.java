package io.fraudcep.enrich;

import io.fraudcep.model.UserEvent;
import io.fraudcep.state.UserState;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/** The enrichment on its own, emitting each accepted event with its own event time: for tests. */
public class UserEnrichmentOperator extends UserEventOperator<EnrichedEvent>
        implements OneInputStreamOperator<UserEvent, EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    public UserEnrichmentOperator(EnrichmentSettings settings) {
        super(settings);
    }

    @Override
    public void processElement(StreamRecord<UserEvent> element) throws Exception {
        processEvent(element);
    }

    @Override
    protected void accepted(UserState state, EnrichedEvent event) {
        output.collect(new StreamRecord<>(event, event.event().timestampMillis()));
    }
}
