package io.fraudcep.patterns;

import io.fraudcep.alert.Detection;
import io.fraudcep.alert.Fact;
import io.fraudcep.alert.Severity;
import io.fraudcep.enrich.EnrichedEvent;
import io.fraudcep.model.EventType;
import io.fraudcep.model.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * MONEY_MULE: a {@code TRANSFER_IN} of amount A >= 2000.00, then {@code TRANSFER_OUT} and/or {@code
 * WITHDRAWAL} events after it whose running total reaches >= 80% of A; the event that reaches it
 * less than 2 h after the {@code TRANSFER_IN}. The running total is over every outflow after the
 * transfer in, compared exactly (total × 100 >= A × 80).
 */
public class MoneyMule implements StatefulFraudPattern<RecentEvents> {

    private static final long serialVersionUID = 1L;

    private static final byte IN = 1;
    private static final byte OUT = 2;

    public static final PatternDefinition DEFINITION =
            new PatternDefinition(
                    "MONEY_MULE",
                    Severity.HIGH,
                    Duration.ofHours(2),
                    "a TRANSFER_IN of A >= minTransferIn, then TRANSFER_OUT and/or WITHDRAWAL whose"
                            + " running total reaches >= passThroughRatio × A, less than the window"
                            + " after the TRANSFER_IN",
                    List.of(
                            ParameterSpec.money(
                                    "minTransferIn", "2000.00", "incoming transfer at least"),
                            ParameterSpec.decimal(
                                    "passThroughRatio", "0.80", "share of it passed on")),
                    MoneyMule::new);

    private final PatternConfig config;
    private final long minInCents;
    private final BigDecimal ratio;
    private final long windowNanos;

    public MoneyMule(PatternConfig config) {
        this.config = config;
        this.minInCents = config.moneyCents("minTransferIn");
        this.ratio = config.decimal("passThroughRatio");
        this.windowNanos = config.window().toNanos();
    }

    @Override
    public PatternConfig config() {
        return config;
    }

    @Override
    public boolean accepts(EnrichedEvent e) {
        EventType t = e.event().type();
        return (t == EventType.TRANSFER_IN && e.event().amount() >= minInCents)
                || t == EventType.TRANSFER_OUT
                || t == EventType.WITHDRAWAL;
    }

    @Override
    public Class<RecentEvents> stateClass() {
        return RecentEvents.class;
    }

    @Override
    public RecentEvents newState() {
        return new RecentEvents();
    }

    @Override
    public Detection onEvent(RecentEvents recent, EnrichedEvent e) {
        recent.dropNotWithin(e.timestamp(), windowNanos);
        dropLeadingOutflows(recent);
        boolean incoming = e.event().type() == EventType.TRANSFER_IN;
        if (incoming) {
            recent.append(e.eventId(), e.timestamp(), e.event().amount(), IN);
            return null;
        }
        if (recent.size() == 0) {
            return null; // no transfer in to pass on
        }
        recent.append(e.eventId(), e.timestamp(), e.event().amount(), OUT);
        // The earliest transfer in whose following outflows reach the ratio: the largest match.
        int n = recent.size();
        long[] outflowAfter = new long[n];
        long running = 0;
        for (int i = n - 1; i >= 0; i--) {
            outflowAfter[i] = running;
            if (recent.kinds[i] == OUT) {
                running += recent.cents[i];
            }
        }
        for (int i = 0; i < n; i++) {
            if (recent.kinds[i] == IN && reaches(outflowAfter[i], recent.cents[i])) {
                return detection(recent, i, outflowAfter[i], e);
            }
        }
        return null;
    }

    private boolean reaches(long outCents, long inCents) {
        return BigDecimal.valueOf(outCents).compareTo(ratio.multiply(BigDecimal.valueOf(inCents)))
                >= 0;
    }

    private Detection detection(RecentEvents recent, int in, long outCents, EnrichedEvent e) {
        List<String> ids = new ArrayList<>();
        ids.add(recent.ids[in]);
        int outflows = 0;
        for (int j = in + 1; j < recent.size(); j++) {
            if (recent.kinds[j] == OUT) {
                ids.add(recent.ids[j]);
                outflows++;
            }
        }
        long inCents = recent.cents[in];
        BigDecimal share =
                BigDecimal.valueOf(outCents * 100)
                        .divide(BigDecimal.valueOf(inCents), 1, RoundingMode.DOWN);
        Duration span = Duration.between(recent.time(in), e.timestamp());
        return new Detection(
                config.id(),
                e.userId(),
                recent.time(in),
                e.timestamp(),
                ids,
                String.format(
                        "Received %s, then passed %s (%s%%) on in %d outflows within %s.",
                        Money.format(inCents),
                        Money.format(outCents),
                        share.toPlainString(),
                        outflows,
                        Windows.describe(span)),
                List.of(
                        Fact.money("transferInAmount", inCents),
                        Fact.money("passedOnAmount", outCents),
                        Fact.decimal("passedOnPercent", share),
                        Fact.integer("outflows", outflows),
                        Fact.integer("spanSeconds", span.toSeconds())));
    }

    /** Outflows before the oldest kept transfer in can never count: drop them. */
    private static void dropLeadingOutflows(RecentEvents recent) {
        int from = 0;
        while (from < recent.size() && recent.kinds[from] == OUT) {
            from++;
        }
        recent.dropFirst(from);
    }

    @Override
    public boolean expire(RecentEvents recent, long nowMillis) {
        recent.dropNotWithin(nowMillis * 1_000_000L, windowNanos);
        dropLeadingOutflows(recent);
        return recent.size() == 0;
    }
}
