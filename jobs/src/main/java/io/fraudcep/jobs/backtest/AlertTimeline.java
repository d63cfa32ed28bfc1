package io.fraudcep.jobs.backtest;

import io.fraudcep.alert.Alert;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Alerts over event time per pattern, counted in buckets of whole UTC days (one day per bucket up
 * to {@link #MAX_BUCKETS} days, wider beyond), for the report's charts.
 *
 * @param firstDay the first day of the first bucket
 * @param bucketDays days per bucket
 * @param buckets number of buckets (0 when there is nothing to show)
 * @param series one entry per pattern, in catalogue order
 */
public record AlertTimeline(
        LocalDate firstDay, int bucketDays, int buckets, Map<String, Series> series) {

    static final int MAX_BUCKETS = 92;

    /**
     * The counts of one pattern per bucket.
     *
     * @param alerts alerts of the configuration in force
     * @param truePositives of those, the ones matching a label (all zero without labels)
     * @param missed positive labels no alert matched, at their labelled detection time
     * @param onlyA what-if: alerts only in A (all zero without a what-if)
     * @param onlyB what-if: alerts only in B
     */
    public record Series(
            int[] alerts, int[] truePositives, int[] missed, int[] onlyA, int[] onlyB) {

        static Series empty(int n) {
            return new Series(new int[n], new int[n], new int[n], new int[n], new int[n]);
        }

        public int total(int[] counts) {
            int sum = 0;
            for (int c : counts) {
                sum += c;
            }
            return sum;
        }
    }

    /** Counts the alerts, and where given the score and the comparison, per pattern and bucket. */
    public static AlertTimeline of(
            List<String> patternIds,
            Collection<Alert> alerts,
            Scorecard score,
            WhatIfComparison whatIf) {
        List<Instant> times = new ArrayList<>();
        alerts.forEach(a -> times.add(a.detectedAt()));
        if (score != null) {
            score.missed().forEach(l -> times.add(l.detectedAt()));
        }
        if (whatIf != null) {
            whatIf.total().onlyB().forEach(r -> times.add(r.detectedAt()));
        }
        Map<String, Series> series = new LinkedHashMap<>();
        if (times.isEmpty()) {
            patternIds.forEach(p -> series.put(p, Series.empty(0)));
            return new AlertTimeline(LocalDate.EPOCH, 1, 0, series);
        }
        LocalDate first = day(times.stream().min(Instant::compareTo).orElseThrow());
        LocalDate last = day(times.stream().max(Instant::compareTo).orElseThrow());
        long days = ChronoUnit.DAYS.between(first, last) + 1;
        int bucketDays = (int) Math.max(1, (days + MAX_BUCKETS - 1) / MAX_BUCKETS);
        int n = (int) ((days + bucketDays - 1) / bucketDays);
        patternIds.forEach(p -> series.put(p, Series.empty(n)));
        AlertTimeline t = new AlertTimeline(first, bucketDays, n, series);
        Set<String> tp = score == null ? Set.of() : score.truePositiveAlertIds();
        for (Alert a : alerts) {
            Series s = t.seriesOf(a.patternId());
            int i = t.bucket(a.detectedAt());
            s.alerts()[i]++;
            if (tp.contains(a.alertId())) {
                s.truePositives()[i]++;
            }
        }
        if (score != null) {
            for (LabelledScenario l : score.missed()) {
                t.seriesOf(l.patternId()).missed()[t.bucket(l.detectedAt())]++;
            }
        }
        if (whatIf != null) {
            for (PatternDiff d : whatIf.patterns()) {
                Series s = t.seriesOf(d.patternId());
                d.onlyA().forEach(r -> s.onlyA()[t.bucket(r.detectedAt())]++);
                d.onlyB().forEach(r -> s.onlyB()[t.bucket(r.detectedAt())]++);
            }
        }
        return t;
    }

    private Series seriesOf(String patternId) {
        return series.computeIfAbsent(patternId, p -> Series.empty(buckets));
    }

    /** The bucket of an instant. */
    int bucket(Instant t) {
        return (int) (ChronoUnit.DAYS.between(firstDay, day(t)) / bucketDays);
    }

    /** The first day of bucket i. */
    public LocalDate startOf(int i) {
        return firstDay.plusDays((long) i * bucketDays);
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }
}
