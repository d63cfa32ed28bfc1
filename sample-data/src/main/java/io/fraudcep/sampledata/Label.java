package io.fraudcep.sampledata;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fraudcep.model.EventTime;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One line of {@code labels.jsonl}: an injected scenario and, for a positive, the alert the
 * pipeline must emit for it ({@code detectedAt} = the time of {@code triggerEventId}, or for a rule
 * that fires when something does not happen, such as {@code UNREMEDIATED_TAKEOVER}, its deadline).
 *
 * @param userId the user carrying the scenario
 * @param scenario what was injected
 * @param firstEventId the first event of the scenario's match (positive) or of the near miss
 * @param lastEventId the last matched event (positive) or the last event of the near miss
 * @param windowStart time of the first event
 * @param windowEnd the alert's detection time (positive) or the time of the last event
 * @param params the drawn parameters, in insertion order (numbers, strings)
 */
record Label(
        String userId,
        Scenario scenario,
        String firstEventId,
        String lastEventId,
        Instant windowStart,
        Instant windowEnd,
        Map<String, Object> params) {

    /**
     * Writes the label as one JSON object: {@code userId, patternId} (the rule's id), {@code
     * positive, variant}, then for a positive {@code firstEventId, triggerEventId, windowStart,
     * detectedAt}, for a near miss {@code firstEventId, lastEventId, firstEventAt, lastEventAt},
     * then {@code params}.
     */
    void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("userId", userId);
        g.writeStringField("patternId", scenario.patternId());
        g.writeBooleanField("positive", scenario.positive());
        g.writeStringField("variant", scenario.variant());
        g.writeStringField("firstEventId", firstEventId);
        if (scenario.positive()) {
            g.writeStringField("triggerEventId", lastEventId);
            g.writeStringField("windowStart", EventTime.format(windowStart));
            g.writeStringField("detectedAt", EventTime.format(windowEnd));
        } else {
            g.writeStringField("lastEventId", lastEventId);
            g.writeStringField("firstEventAt", EventTime.format(windowStart));
            g.writeStringField("lastEventAt", EventTime.format(windowEnd));
        }
        g.writeObjectFieldStart("params");
        for (Map.Entry<String, Object> p : params.entrySet()) {
            Object v = p.getValue();
            if (v instanceof Integer) {
                g.writeNumberField(p.getKey(), (Integer) v);
            } else if (v instanceof Long) {
                g.writeNumberField(p.getKey(), (Long) v);
            } else if (v instanceof Double) {
                g.writeNumberField(p.getKey(), (Double) v);
            } else if (v instanceof BigDecimal) {
                // Money: a decimal string, like amounts on the wire.
                g.writeStringField(p.getKey(), ((BigDecimal) v).toPlainString());
            } else {
                g.writeStringField(p.getKey(), String.valueOf(v));
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
