package io.fraudcep.detect;

import io.fraudcep.alert.Detection;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.patterns.CepFraudPattern;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/** Turns the CEP matches of one pattern into detections. */
public class CepDetectionFunction extends PatternProcessFunction<EnrichedEvent, Detection> {

    private static final long serialVersionUID = 1L;

    private final CepFraudPattern pattern;

    public CepDetectionFunction(CepFraudPattern pattern) {
        this.pattern = pattern;
    }

    @Override
    public void processMatch(
            Map<String, List<EnrichedEvent>> match, Context ctx, Collector<Detection> out) {
        Detection detection = pattern.toDetection(match);
        if (detection != null) {
            out.collect(detection);
        }
    }
}
