package io.fraudcep.jobs.backtest;

import io.fraudcep.model.UserEvent;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts the duplicates of one detection graph into its own accumulator and emits nothing. With a
 * what-if configuration two graphs de-duplicate the same events, and the enrichment's shared
 * accumulator would count each duplicate twice.
 */
public final class DuplicateCounter extends ProcessFunction<UserEvent, ReplayOutput> {

    private static final long serialVersionUID = 1L;

    public static final String ACCUMULATOR = "backtest-duplicates";

    private transient LongCounter duplicates;

    @Override
    public void open(OpenContext openContext) {
        duplicates = getRuntimeContext().getLongCounter(ACCUMULATOR);
    }

    @Override
    public void processElement(UserEvent event, Context ctx, Collector<ReplayOutput> out) {
        duplicates.add(1);
    }
}
