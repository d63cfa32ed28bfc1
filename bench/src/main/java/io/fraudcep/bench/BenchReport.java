package io.fraudcep.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.bench.ThroughputBench.Kind;
import io.fraudcep.bench.ThroughputBench.Run;
import io.fraudcep.jobs.DetectionJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders bench results as the printed table and as JSON. */
final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchReport() {}

    /** Median events/s of a kind's runs, or NaN if it did not run. */
    static double median(List<Run> runs) {
        if (runs == null || runs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> rates = new ArrayList<>();
        runs.forEach(r -> rates.add(r.eventsPerSecond()));
        rates.sort(null);
        int n = rates.size();
        return n % 2 == 1 ? rates.get(n / 2) : (rates.get(n / 2 - 1) + rates.get(n / 2)) / 2;
    }

    private static long max(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
        return runs.stream().mapToLong(f).max().orElse(-1);
    }

    // ---- throughput --------------------------------------------------------------------------

    static void print(ThroughputBench.Result r, PrintStream out) {
        ThroughputBench.Settings s = r.settings();
        out.println();
        out.printf(
                "Throughput: %,d events, state backend %s, parallelism %d, %d partitions per"
                        + " topic, %d run(s) each, median; broker: %s; max heap %,d MB; %d cores%n",
                r.log().events(),
                s.stateBackend().cliName(),
                s.parallelism(),
                s.partitions(),
                s.runs(),
                r.broker(),
                HeapSampler.maxHeap() >> 20,
                Runtime.getRuntime().availableProcessors());
        out.printf(
                "%-66s %12s %8s %7s %9s %9s %9s %9s %9s%n",
                "",
                "events/s",
                "s",
                "start",
                "heap MB",
                "live MB",
                "JVM cpu",
                "brk cpu",
                "oth cpu");
        for (Kind k : Kind.values()) {
            List<Run> runs = r.runs().get(k);
            if (runs == null) {
                continue;
            }
            Run mid = closestToMedian(runs);
            out.printf(
                    "%-66s %,12.0f %8.1f %7s %,9d %,9d %8.0fs %8s %8s%n",
                    k.label,
                    median(runs),
                    mid.elapsedNanos() / 1e9,
                    mid.runningNanos() < 0
                            ? "-"
                            : String.format(
                                    "%.1f", (mid.elapsedNanos() - mid.runningNanos()) / 1e9),
                    max(runs, Run::peakHeapBytes) >> 20,
                    max(runs, Run::peakHeapAfterGcBytes) >> 20,
                    mid.jvmCpuNanos() / 1e9,
                    mid.brokerCpuNanos() < 0
                            ? "-"
                            : String.format("%.0fs", mid.brokerCpuNanos() / 1e9),
                    mid.otherCpuNanos() < 0
                            ? "-"
                            : String.format("%.0fs", mid.otherCpuNanos() / 1e9));
        }
        double limit = median(r.runs().get(Kind.LIMIT));
        double kafka = median(r.runs().get(Kind.PIPELINE_KAFKA));
        double files = median(r.runs().get(Kind.PIPELINE_FILES));
        double naive = median(r.runs().get(Kind.NAIVE));
        out.println();
        if (!r.disturbed().isEmpty()) {
            out.printf(
                    "%d run(s) were DISTURBED (other processes above %.2f cores) and measured"
                            + " again up to %d times; the last attempt counts%n",
                    r.disturbed().size(), s.disturbedAboveCores(), s.retriesIfDisturbed());
        }
        ratio(out, "pipeline from Kafka / limit", kafka, limit, "target >= 0.50");
        ratio(out, "pipeline from Kafka / naive baseline", kafka, naive, "target >= 3.0");
        ratio(out, "pipeline from files / limit", files, limit, null);
        ratio(out, "pipeline from files / naive baseline", files, naive, null);
        out.println(
                "(events/s: records read / time from all tasks running to the end of the job;"
                        + " s: submission to end of the median run, of which start: scheduling,"
                        + " deployment and operator start-up; heap MB: largest sampled heap use of"
                        + " any run; live MB: largest heap left after a GC; cpu: CPU seconds of the"
                        + " median run: bench JVM, broker, all other processes of the machine,"
                        + " which should be near 0)");
        printRuleVersions(r, out);
        if (r.state() != null) {
            ThroughputBench.State st = r.state();
            out.println();
            out.printf(
                    "State: savepoint of the DetectionJob after all %,d records (canonical, %s)%n",
                    st.eventsRead(), st.savepoint().path());
            out.printf(
                    "  size on disk                     %,14d bytes%n",
                    st.savepoint().bytesOnDisk());
            out.printf(
                    "  per user in the log (%,9d)     %,14.0f bytes   target <= 2048 per active"
                            + " user%n",
                    st.users(), st.bytesPerUser());
            out.printf(
                    "  per user active in the last 24 h (%,d) %,8.0f bytes%n",
                    st.activeLastDay(), st.bytesPerActiveUser());
            out.println("  by operator (uid):");
            st.savepoint()
                    .perOperator()
                    .forEach(
                            (uid, bytes) ->
                                    out.printf(
                                            "    %-32s %,14d bytes  %,8.0f per user%n",
                                            uid, bytes, bytes / (double) st.users()));
        }
    }

    // ---- rule versions during a run ------------------------------------------------------------

    /** Throughput may drop at most this much with rule versions published during the run. */
    static final double RULE_VERSIONS_TOLERANCE = 0.10;

    /**
     * The runs without and with rule versions side by side.
     *
     * @param without runs of {@link Kind#PIPELINE_KAFKA_LIVE}
     * @param with runs of {@link Kind#PIPELINE_KAFKA_VERSIONS}
     */
    record RuleVersionsComparison(List<Run> without, List<Run> with) {

        /** The comparison, or null if either kind did not run. */
        static RuleVersionsComparison of(ThroughputBench.Result r) {
            List<Run> without = r.runs().get(Kind.PIPELINE_KAFKA_LIVE);
            List<Run> with = r.runs().get(Kind.PIPELINE_KAFKA_VERSIONS);
            return without == null || with == null || without.isEmpty() || with.isEmpty()
                    ? null
                    : new RuleVersionsComparison(without, with);
        }

        double eventsPerSecondWithout() {
            return median(without);
        }

        double eventsPerSecondWith() {
            return median(with);
        }

        /** Relative difference of the median rates: with / without - 1. */
        double eventsPerSecondDifference() {
            return eventsPerSecondWith() / eventsPerSecondWithout() - 1;
        }

        double cpuSecondsWithout() {
            return medianOf(without, Run::jvmCpuNanos) / 1e9;
        }

        double cpuSecondsWith() {
            return medianOf(with, Run::jvmCpuNanos) / 1e9;
        }

        double cpuDifference() {
            return cpuSecondsWith() / cpuSecondsWithout() - 1;
        }

        /** Whether the median rate with versions is at least 90 % of the one without. */
        boolean withinTolerance() {
            return eventsPerSecondDifference() >= -RULE_VERSIONS_TOLERANCE;
        }

        /** Rate with / rate without for each round both ran in (back to back). */
        List<Double> perRound() {
            List<Double> ratios = new ArrayList<>();
            for (Run w : with) {
                for (Run o : without) {
                    if (o.index() == w.index()) {
                        ratios.add(w.eventsPerSecond() / o.eventsPerSecond());
                    }
                }
            }
            return ratios;
        }
    }

    private static double medianOf(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
        long[] v = runs.stream().mapToLong(f).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }

    private static String counterList(List<Run> runs, String name) {
        return runs.stream()
                .map(r -> String.valueOf(r.counters().getOrDefault(name, 0L)))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The run with the longest stall. */
    private static Run longestStall(List<Run> runs) {
        Run longest = runs.get(0);
        for (Run r : runs) {
            if (stall(r) > stall(longest)) {
                longest = r;
            }
        }
        return longest;
    }

    private static long stall(Run r) {
        return r.counters().getOrDefault("longestStallMillis", -1L);
    }

    private static String stallText(List<Run> runs) {
        Run r = longestStall(runs);
        return String.format(
                "%,d (%,d)", stall(r), r.counters().getOrDefault("longestStallGcMillis", 0L));
    }

    /** The run whose slowest second was the smallest share of its median second. */
    private static Run worstSecond(List<Run> runs) {
        Run worst = null;
        double share = Double.MAX_VALUE;
        for (Run r : runs) {
            double s = slowestSecondShare(r);
            if (!Double.isNaN(s) && s < share) {
                share = s;
                worst = r;
            }
        }
        return worst;
    }

    private static double slowestSecondShare(Run r) {
        long slowest = r.counters().getOrDefault("slowestSecondEvents", -1L);
        long median = r.counters().getOrDefault("medianSecondEvents", -1L);
        return slowest < 0 || median <= 0 ? Double.NaN : slowest / (double) median;
    }

    private static String slowestSecond(List<Run> runs) {
        Run worst = worstSecond(runs);
        return worst == null
                ? "-"
                : String.format(
                        "%,d (%.0f %%)",
                        worst.counters().get("slowestSecondEvents"),
                        100 * slowestSecondShare(worst));
    }

    private static void printRuleVersions(ThroughputBench.Result r, PrintStream out) {
        RuleVersionsComparison c = RuleVersionsComparison.of(r);
        if (c == null) {
            return;
        }
        int versions = r.settings().ruleVersions();
        out.println();
        out.printf(
                "Rule versions during the run: the DetectionJob unbounded on a fresh control topic,"
                        + " without versions and with %d published while it reads the log, back to"
                        + " back (order swapped every other round); medians of %d run(s)%n",
                versions, Math.min(c.without().size(), c.with().size()));
        out.printf(
                "  %-28s %12s %9s %9s %8s %18s %14s %22s%n",
                "",
                "events/s",
                "JVM cpu",
                "brk cpu",
                "GC",
                "stall ms (in GC)",
                "beyond GC ms",
                "slowest second (share)");
        ruleVersionsRow(out, "without rule versions", c.without());
        ruleVersionsRow(out, "with " + versions + " rule versions", c.with());
        out.printf(
                "  %-28s %+11.1f%% %+8.1f%%%n",
                "difference", 100 * c.eventsPerSecondDifference(), 100 * c.cpuDifference());
        out.printf(
                "  per round (with / without): %s%n",
                c.perRound().stream()
                        .map(d -> String.format("%.3f", d))
                        .collect(java.util.stream.Collectors.joining(", ")));
        out.printf(
                "  versions applied per run: %s (late: %s; published while the log was read: %s;"
                        + " rejected: %s); stalls of %d ms or more beyond GC within 2 s after a"
                        + " version: %s%n",
                counterList(c.with(), "ruleVersionsApplied"),
                counterList(c.with(), "ruleVersionsLate"),
                counterList(c.with(), "ruleVersionsPublishedWhileReading"),
                counterList(c.with(), "ruleVersionsRejected"),
                ThroughputBench.STALL_MILLIS,
                counterList(c.with(), "stallsBeyondGcNearVersion"));
        out.printf(
                "  throughput with %d rule versions within %.0f %% of the run without: %s (%+.1f"
                        + " %%)%n",
                versions,
                100 * RULE_VERSIONS_TOLERANCE,
                c.withinTolerance() ? "yes" : "NO",
                100 * c.eventsPerSecondDifference());
        out.println(
                "(events/s: records / time from all tasks running to the last record reaching the"
                        + " rule engine, read from the job's counters every 20 ms; cpu, GC: median"
                        + " CPU and garbage-collection seconds to that moment; stall: longest time"
                        + " without a record reaching the rule engine, any run, and the collections"
                        + " within it; beyond GC: the longest stall net of collections, any run;"
                        + " slowest second: fewest records in a whole second after the first, in the"
                        + " run where that is the smallest share of its median second)");
    }

    private static void ruleVersionsRow(PrintStream out, String name, List<Run> runs) {
        out.printf(
                "  %-28s %,12.0f %8.1fs %9s %7.1fs %18s %,14d %22s%n",
                name,
                median(runs),
                medianOf(runs, Run::jvmCpuNanos) / 1e9,
                runs.stream().allMatch(x -> x.brokerCpuNanos() >= 0)
                        ? String.format("%.1fs", medianOf(runs, Run::brokerCpuNanos) / 1e9)
                        : "-",
                medianOf(runs, x -> x.counters().getOrDefault("gcMillis", 0L)) / 1e3,
                stallText(runs),
                max(runs, x -> x.counters().getOrDefault("longestStallBeyondGcMillis", 0L)),
                slowestSecond(runs));
    }

    private static ObjectNode ruleVersionsJson(ThroughputBench.Result r) {
        RuleVersionsComparison c = RuleVersionsComparison.of(r);
        if (c == null) {
            return null;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("versionsPerRun", r.settings().ruleVersions());
        n.set("withoutRuleVersions", ruleVersionsSide(c.without()));
        n.set("withRuleVersions", ruleVersionsSide(c.with()));
        ArrayNode applied = n.putArray("appliedPerRun");
        ArrayNode late = n.putArray("latePerRun");
        ArrayNode whileReading = n.putArray("publishedWhileReadingPerRun");
        ArrayNode rejected = n.putArray("rejectedPerRun");
        ArrayNode nearVersion = n.putArray("stallsBeyondGcNearVersionPerRun");
        for (Run run : c.with()) {
            applied.add(run.counters().getOrDefault("ruleVersionsApplied", 0L));
            late.add(run.counters().getOrDefault("ruleVersionsLate", 0L));
            whileReading.add(run.counters().getOrDefault("ruleVersionsPublishedWhileReading", 0L));
            rejected.add(run.counters().getOrDefault("ruleVersionsRejected", 0L));
            nearVersion.add(run.counters().getOrDefault("stallsBeyondGcNearVersion", 0L));
        }
        n.put("eventsPerSecondDifference", round3(c.eventsPerSecondDifference()));
        n.put("cpuSecondsDifference", round3(c.cpuDifference()));
        ArrayNode rounds = n.putArray("perRoundRatio");
        c.perRound().forEach(d -> rounds.add(round3(d)));
        n.put("tolerance", RULE_VERSIONS_TOLERANCE);
        n.put("withinTolerance", c.withinTolerance());
        return n;
    }

    private static ObjectNode ruleVersionsSide(List<Run> runs) {
        ObjectNode n = JSON.createObjectNode();
        n.put("medianEventsPerSecond", Math.round(median(runs)));
        n.put("medianJvmCpuSeconds", round3(medianOf(runs, Run::jvmCpuNanos) / 1e9));
        if (runs.stream().allMatch(x -> x.brokerCpuNanos() >= 0)) {
            n.put("medianBrokerCpuSeconds", round3(medianOf(runs, Run::brokerCpuNanos) / 1e9));
        }
        n.put(
                "medianGcSeconds",
                round3(medianOf(runs, x -> x.counters().getOrDefault("gcMillis", 0L)) / 1e3));
        Run longest = longestStall(runs);
        n.put("longestStallMillis", stall(longest));
        n.put("longestStallGcMillis", longest.counters().getOrDefault("longestStallGcMillis", 0L));
        n.put(
                "longestStallBeyondGcMillis",
                max(runs, x -> x.counters().getOrDefault("longestStallBeyondGcMillis", 0L)));
        Run worst = worstSecond(runs);
        if (worst != null) {
            n.put("slowestSecondEvents", worst.counters().get("slowestSecondEvents"));
            n.put("slowestSecondShareOfMedian", round3(slowestSecondShare(worst)));
        }
        return n;
    }

    private static double round3(double d) {
        return Math.round(d * 1000) / 1000.0;
    }

    private static Run closestToMedian(List<Run> runs) {
        double m = median(runs);
        Run best = runs.get(0);
        for (Run r : runs) {
            if (Math.abs(r.eventsPerSecond() - m) < Math.abs(best.eventsPerSecond() - m)) {
                best = r;
            }
        }
        return best;
    }

    private static void ratio(PrintStream out, String name, double a, double b, String target) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return;
        }
        out.printf("%-40s %6.2f%s%n", name, a / b, target == null ? "" : "   (" + target + ")");
    }

    static ObjectNode json(ThroughputBench.Result r) {
        ThroughputBench.Settings s = r.settings();
        ObjectNode root = JSON.createObjectNode();
        root.put("mode", "throughput");
        root.put("date", Instant.now().toString());
        machine(root);
        ObjectNode cfg = root.putObject("settings");
        cfg.put("stateBackend", s.stateBackend().cliName());
        cfg.put("users", s.log().users());
        cfg.put("days", s.log().days());
        cfg.put("seed", s.log().seed());
        cfg.put("parallelism", s.parallelism());
        cfg.put("partitions", s.partitions());
        cfg.put("runs", s.runs());
        cfg.put("disturbedAboveCores", s.disturbedAboveCores());
        cfg.put("retriesIfDisturbed", s.retriesIfDisturbed());
        cfg.put("ruleVersions", s.ruleVersions());
        cfg.put("broker", r.broker());
        cfg.put(
                "watermarkInterval",
                s.watermarkInterval() == null
                        ? "defaults: DetectionJob "
                                + DetectionJob.DEFAULT_WATERMARK_INTERVAL.toMillis()
                                + "ms, others 200ms"
                        : s.watermarkInterval().toMillis() + "ms");
        cfg.put(
                "bufferTimeout",
                s.bufferTimeout() == null
                        ? "defaults: DetectionJob "
                                + DetectionJob.DEFAULT_BUFFER_TIMEOUT.toMillis()
                                + "ms, others 100ms"
                        : s.bufferTimeout().toMillis() + "ms");
        ObjectNode log = root.putObject("log");
        log.put("dir", r.log().dir().toString());
        log.put("events", r.log().events());
        log.put("users", r.log().users());
        log.put("activeLastDay", r.log().activeLastDay());
        log.put("firstEvent", r.log().firstEvent().toString());
        log.put("lastEvent", r.log().lastEvent().toString());
        log.put("bytes", r.log().bytes());
        ObjectNode load = root.putObject("load");
        load.put("records", r.load().sent());
        load.put("seconds", r.load().elapsed().toMillis() / 1000.0);
        ObjectNode results = root.putObject("results");
        for (Map.Entry<Kind, List<Run>> e : r.runs().entrySet()) {
            ObjectNode k = results.putObject(e.getKey().name().toLowerCase().replace('_', '-'));
            k.put("what", e.getKey().label);
            k.put("stateBackend", s.stateBackend().cliName());
            k.put("medianEventsPerSecond", Math.round(median(e.getValue())));
            k.put("peakHeapBytes", max(e.getValue(), Run::peakHeapBytes));
            k.put("peakHeapAfterGcBytes", max(e.getValue(), Run::peakHeapAfterGcBytes));
            ArrayNode runs = k.putArray("runs");
            e.getValue().forEach(run -> runs.add(run(run)));
        }
        ArrayNode disturbed = root.putArray("disturbedRuns");
        for (Run run : r.disturbed()) {
            ObjectNode n = run(run);
            n.put("kind", run.kind().name().toLowerCase().replace('_', '-'));
            disturbed.add(n);
        }
        double limit = median(r.runs().get(Kind.LIMIT));
        double kafka = median(r.runs().get(Kind.PIPELINE_KAFKA));
        double files = median(r.runs().get(Kind.PIPELINE_FILES));
        double naive = median(r.runs().get(Kind.NAIVE));
        ObjectNode ratios = root.putObject("ratios");
        putRatio(ratios, "pipelineKafkaOverLimit", kafka, limit);
        putRatio(ratios, "pipelineKafkaOverNaive", kafka, naive);
        putRatio(ratios, "pipelineFilesOverLimit", files, limit);
        putRatio(ratios, "pipelineFilesOverNaive", files, naive);
        ObjectNode versions = ruleVersionsJson(r);
        if (versions != null) {
            root.set("ruleVersions", versions);
        }
        if (r.profiled() != null) {
            ObjectNode p = root.putObject("profiledRun");
            p.put("file", s.profile().toString());
            p.setAll(run(r.profiled()));
        }
        if (r.state() != null) {
            ThroughputBench.State st = r.state();
            ObjectNode state = root.putObject("state");
            state.put("savepoint", st.savepoint().path().toString());
            state.put("bytesOnDisk", st.savepoint().bytesOnDisk());
            state.put("users", st.users());
            state.put("bytesPerUser", Math.round(st.bytesPerUser()));
            state.put("activeLastDay", st.activeLastDay());
            state.put("bytesPerActiveUser", Math.round(st.bytesPerActiveUser()));
            state.put("eventsRead", st.eventsRead());
            ObjectNode ops = state.putObject("bytesPerOperator");
            st.savepoint().perOperator().forEach(ops::put);
        }
        return root;
    }

    private static ObjectNode run(Run run) {
        ObjectNode n = JSON.createObjectNode();
        n.put("run", run.index());
        n.put("events", run.events());
        n.put("seconds", run.elapsedNanos() / 1e9);
        n.put(
                "startUpSeconds",
                run.runningNanos() < 0 ? null : (run.elapsedNanos() - run.runningNanos()) / 1e9);
        n.put("eventsPerSecond", Math.round(run.eventsPerSecond()));
        n.put("eventsPerSecondFromSubmission", Math.round(run.eventsPerSecondFromSubmission()));
        n.put("peakHeapBytes", run.peakHeapBytes());
        n.put("peakHeapAfterGcBytes", run.peakHeapAfterGcBytes());
        n.put("jvmCpuSeconds", run.jvmCpuNanos() / 1e9);
        if (run.brokerCpuNanos() >= 0) {
            n.put("brokerCpuSeconds", run.brokerCpuNanos() / 1e9);
        }
        if (run.otherCpuNanos() >= 0) {
            n.put("otherProcessesCpuSeconds", run.otherCpuNanos() / 1e9);
        }
        run.counters().forEach(n::put);
        return n;
    }

    private static void putRatio(ObjectNode n, String name, double a, double b) {
        if (!Double.isNaN(a) && !Double.isNaN(b)) {
            n.put(name, Math.round(a / b * 1000) / 1000.0);
        }
    }

    // ---- latency -----------------------------------------------------------------------------

    static void print(LatencyBench.Result r, PrintStream out) {
        LatencyBench.Settings s = r.settings();
        out.println();
        out.printf(
                "Latency: %,d events/s for %d s after %d s warm-up, %,d background users, a burst"
                        + " every %d ms; parallelism %d, %d partitions per topic; watermark"
                        + " interval %s, buffer timeout %s; state backend %s; broker: %s%n",
                s.rate(),
                s.duration().toSeconds(),
                s.warmUp().toSeconds(),
                s.users(),
                s.burstEvery().toMillis(),
                s.parallelism(),
                s.partitions(),
                effective(s.watermarkInterval(), DetectionJob.DEFAULT_WATERMARK_INTERVAL),
                effective(s.bufferTimeout(), DetectionJob.DEFAULT_BUFFER_TIMEOUT),
                s.stateBackend().cliName(),
                r.broker());
        out.printf(
                "%-62s %9s %15s %18s %18s %18s%n",
                "", "alerts", "sent ev/s", "append->append", "beyond the bound", "append->visible");
        out.printf(
                "%-62s %9s %15s %18s %18s %18s%n",
                "", "(missing)", "", "p50/p99/max ms", "p50/p99/max ms", "p50/p99/max ms");
        for (LatencyBench.ModeResult m : r.modes()) {
            out.printf(
                    "%-62s %9s %,15.0f %18s %18s %18s%n",
                    m.mode().describe(),
                    m.alerts() + " (" + m.missing() + ")",
                    m.eventsPerSecond(),
                    triple(m.appendToAppend()),
                    triple(m.beyondBound()),
                    triple(m.appendToVisible()));
        }
        out.println(
                "(append->append: alert's LogAppendTime minus its triggering event's; beyond the"
                        + " bound: the same minus --out-of-orderness; append->visible: when a"
                        + " read_committed consumer received the alert. Target: at-least-once p99"
                        + " beyond the bound <= 50 ms)");
        for (LatencyBench.ModeResult m : r.modes()) {
            out.printf(
                    "  %s: alerts per pattern %s, late events %d; cores busy: bench JVM %.2f,"
                            + " broker %.2f, other processes %.2f%n",
                    m.mode().describe(),
                    m.alertsPerPattern(),
                    m.lateEvents(),
                    m.benchCpuShare(),
                    m.brokerCpuShare(),
                    m.otherCpuShare());
        }
    }

    private static String triple(LatencyBench.Stats st) {
        return st.count() == 0 ? "-" : st.p50() + "/" + st.p99() + "/" + st.max();
    }

    static ObjectNode json(LatencyBench.Result r) {
        LatencyBench.Settings s = r.settings();
        ObjectNode root = JSON.createObjectNode();
        root.put("mode", "latency");
        root.put("date", Instant.now().toString());
        machine(root);
        ObjectNode cfg = root.putObject("settings");
        cfg.put("stateBackend", s.stateBackend().cliName());
        cfg.put("rate", s.rate());
        cfg.put("durationSeconds", s.duration().toSeconds());
        cfg.put("warmUpSeconds", s.warmUp().toSeconds());
        cfg.put("backgroundUsers", s.users());
        cfg.put("burstEveryMillis", s.burstEvery().toMillis());
        cfg.put("parallelism", s.parallelism());
        cfg.put("partitions", s.partitions());
        cfg.put("broker", r.broker());
        cfg.put(
                "watermarkIntervalMillis",
                (s.watermarkInterval() == null
                                ? DetectionJob.DEFAULT_WATERMARK_INTERVAL
                                : s.watermarkInterval())
                        .toMillis());
        cfg.put(
                "bufferTimeoutMillis",
                (s.bufferTimeout() == null
                                ? DetectionJob.DEFAULT_BUFFER_TIMEOUT
                                : s.bufferTimeout())
                        .toMillis());
        ArrayNode modes = root.putArray("modes");
        for (LatencyBench.ModeResult m : r.modes()) {
            ObjectNode n = modes.addObject();
            n.put("delivery", m.mode().delivery);
            n.put("outOfOrdernessMillis", m.mode().outOfOrderness.toMillis());
            if (m.mode().checkpointInterval != null) {
                n.put("checkpointIntervalMillis", m.mode().checkpointInterval.toMillis());
            }
            n.put("eventsSent", m.eventsSent());
            n.put("eventsPerSecond", Math.round(m.eventsPerSecond()));
            n.put("expectedAlerts", m.expected());
            n.put("alerts", m.alerts());
            n.put("missing", m.missing());
            n.put("lateEvents", m.lateEvents());
            n.put("benchJvmCores", Math.round(m.benchCpuShare() * 100) / 100.0);
            n.put("brokerCores", Math.round(m.brokerCpuShare() * 100) / 100.0);
            n.put("otherProcessesCores", Math.round(m.otherCpuShare() * 100) / 100.0);
            ObjectNode pp = n.putObject("alertsPerPattern");
            m.alertsPerPattern().forEach(pp::put);
            stats(n.putObject("appendToAppendMillis"), m.appendToAppend());
            stats(n.putObject("beyondBoundMillis"), m.beyondBound());
            stats(n.putObject("appendToVisibleMillis"), m.appendToVisible());
        }
        return root;
    }

    private static void stats(ObjectNode n, LatencyBench.Stats st) {
        n.put("count", st.count());
        n.put("p50", st.p50());
        n.put("p99", st.p99());
        n.put("max", st.max());
    }

    private static String effective(Duration given, Duration jobDefault) {
        return given == null
                ? jobDefault.toMillis() + " ms (the DetectionJob's default)"
                : given.toMillis() + " ms";
    }

    // ---- one run of both ---------------------------------------------------------------------

    /** The figures the targets of the benchmark name, from a throughput and a latency run. */
    static void printSummary(ThroughputBench.Result t, LatencyBench.Result l, PrintStream out) {
        double limit = median(t.runs().get(Kind.LIMIT));
        double kafka = median(t.runs().get(Kind.PIPELINE_KAFKA));
        double files = median(t.runs().get(Kind.PIPELINE_FILES));
        double naive = median(t.runs().get(Kind.NAIVE));
        out.println();
        out.println("Summary");
        summaryRate(out, "limit (KafkaSource + parse)", limit);
        summaryRate(out, "pipeline from Kafka", kafka);
        summaryRate(out, "pipeline from files", files);
        summaryRate(out, "naive baseline", naive);
        ratio(out, "  pipeline from Kafka / limit", kafka, limit, "target >= 0.50");
        ratio(out, "  pipeline from Kafka / naive baseline", kafka, naive, "target >= 3.0");
        RuleVersionsComparison versions = RuleVersionsComparison.of(t);
        if (versions != null) {
            out.printf(
                    "  %-38s %,9.0f events/s, without %,.0f (%+.1f %%, target >= -%.0f %%)%n",
                    "with " + t.settings().ruleVersions() + " rule versions",
                    versions.eventsPerSecondWith(),
                    versions.eventsPerSecondWithout(),
                    100 * versions.eventsPerSecondDifference(),
                    100 * RULE_VERSIONS_TOLERANCE);
        }
        if (t.state() != null) {
            out.printf(
                    "  %-38s %,9.0f bytes   (target <= 2048)%n",
                    "state per user", t.state().bytesPerUser());
        }
        for (LatencyBench.ModeResult m : l.modes()) {
            out.printf(
                    "  %-38s p50 %s, p99 %s, max %s ms beyond the bound%s%n",
                    "latency " + m.mode().name().toLowerCase().replace('_', '-'),
                    m.beyondBound().p50(),
                    m.beyondBound().p99(),
                    m.beyondBound().max(),
                    m.mode().checkpointInterval == null
                            ? "   (target p99 <= 50)"
                            : "; visible to read_committed p99 "
                                    + m.appendToVisible().p99()
                                    + " ms");
        }
    }

    private static void summaryRate(PrintStream out, String name, double rate) {
        if (!Double.isNaN(rate)) {
            out.printf("  %-38s %,9.0f events/s%n", name, rate);
        }
    }

    /** One JSON document: {@code throughput} and {@code latency}, each if it ran. */
    static ObjectNode json(ThroughputBench.Result t, LatencyBench.Result l) {
        ObjectNode root = JSON.createObjectNode();
        root.put("date", Instant.now().toString());
        machine(root);
        if (t != null) {
            root.set("throughput", json(t));
        }
        if (l != null) {
            root.set("latency", json(l));
        }
        return root;
    }

    // ---- scale ------------------------------------------------------------------------------

    static void print(ScaleBench.Result r, PrintStream out) {
        ScaleBench.Settings s = r.settings();
        out.println();
        out.printf(
                "Scale: state backend %s, parallelism %d, %d partitions per topic, checkpoints"
                        + " every %d ms while the measured part is read; broker: %s; %d cores%n",
                s.stateBackend().cliName(),
                s.parallelism(),
                s.partitions(),
                s.checkpointInterval().toMillis(),
                r.broker(),
                Runtime.getRuntime().availableProcessors());
        out.printf(
                "%10s %10s %10s %11s %9s %9s %9s %8s %9s %8s %12s %8s%n",
                "users",
                "prefix ev",
                "prefix e/s",
                "measured e/s",
                "B/user sp",
                "B/user cp",
                "savept s",
                "restore s",
                "ckpts",
                "ckpt ms",
                "incr. bytes",
                "max ms");
        for (ScaleBench.Step st : r.steps()) {
            ScaleBench.Checkpoints c = st.checkpoints();
            out.printf(
                    "%,10d %,10d %,10.0f %,11.0f %,9.0f %9s %9.1f %8.1f %9d %,8d %,12d %,8d%n",
                    st.users(),
                    st.prefixEvents(),
                    st.prefixEvents() / st.prefixSeconds(),
                    st.eventsPerSecond(),
                    st.savepointBytesPerUser(),
                    Double.isNaN(st.checkpointBytesPerUser())
                            ? "-"
                            : String.format("%,.0f", st.checkpointBytesPerUser()),
                    st.savepointSeconds(),
                    st.restoreSeconds(),
                    c.completed(),
                    c.medianDurationMillis(),
                    c.medianIncrementalBytes(),
                    c.maxDurationMillis());
        }
        if (r.steps().size() > 1) {
            ScaleBench.Step a = r.steps().get(0);
            ScaleBench.Step b = r.steps().get(r.steps().size() - 1);
            out.printf(
                    "Growth %,d -> %,d users (x%.1f): measured events/s x%.2f, savepoint bytes"
                            + " per user x%.2f, restore time x%.2f, median checkpoint duration"
                            + " x%.2f%n",
                    a.users(),
                    b.users(),
                    b.users() / (double) a.users(),
                    b.eventsPerSecond() / a.eventsPerSecond(),
                    b.savepointBytesPerUser() / a.savepointBytesPerUser(),
                    b.restoreSeconds() / a.restoreSeconds(),
                    b.checkpoints().medianDurationMillis()
                            / (double) Math.max(1, a.checkpoints().medianDurationMillis()));
        }
        out.println(
                "(prefix: two events per user in the 20 h before T0, read from Kafka by the"
                        + " DetectionJob, then stop-with-savepoint; measured e/s: events of the"
                        + " measured part (users at random) / time from the restored job's first"
                        + " record read to the last record reaching the rule engine; B/user sp:"
                        + " savepoint (canonical) / users; B/user cp: full size of the last"
                        + " checkpoint / users; restore s: submission of the restored job to its"
                        + " first record read; ckpt ms: median end-to-end duration of the"
                        + " checkpoints during the measured part; incr. bytes: median size they"
                        + " uploaded (incremental for rocksdb, the full state for hashmap))");
    }

    static ObjectNode json(ScaleBench.Result r) {
        ScaleBench.Settings s = r.settings();
        ObjectNode root = JSON.createObjectNode();
        root.put("mode", "scale");
        root.put("date", Instant.now().toString());
        machine(root);
        ObjectNode cfg = root.putObject("settings");
        cfg.put("stateBackend", s.stateBackend().cliName());
        cfg.put("parallelism", s.parallelism());
        cfg.put("partitions", s.partitions());
        cfg.put("measuredEvents", s.measuredEvents());
        cfg.put("checkpointIntervalMillis", s.checkpointInterval().toMillis());
        cfg.put("broker", r.broker());
        ArrayNode steps = root.putArray("steps");
        for (ScaleBench.Step st : r.steps()) {
            ObjectNode n = steps.addObject();
            n.put("stateBackend", s.stateBackend().cliName());
            n.put("users", st.users());
            n.put("prefixEvents", st.prefixEvents());
            n.put("prefixSeconds", st.prefixSeconds());
            n.put("prefixProduceSeconds", st.produceSeconds());
            n.put("measuredEvents", st.measuredEvents());
            n.put("measuredSeconds", st.measuredSeconds());
            n.put("measuredEventsPerSecond", Math.round(st.eventsPerSecond()));
            n.put("savepointBytes", st.savepointBytes());
            n.put("savepointBytesPerUser", Math.round(st.savepointBytesPerUser()));
            ObjectNode ops = n.putObject("savepointBytesPerOperator");
            st.savepointPerOperator().forEach(ops::put);
            n.put("savepointSeconds", st.savepointSeconds());
            n.put("restoreSeconds", st.restoreSeconds());
            ScaleBench.Checkpoints c = st.checkpoints();
            ObjectNode cp = n.putObject("checkpoints");
            cp.put("completed", c.completed());
            cp.put("failed", c.failed());
            cp.put("medianDurationMillis", c.medianDurationMillis());
            cp.put("maxDurationMillis", c.maxDurationMillis());
            cp.put("medianIncrementalBytes", c.medianIncrementalBytes());
            cp.put("lastFullBytes", c.lastFullBytes());
            if (c.lastFullBytes() >= 0) {
                n.put("checkpointBytesPerUser", Math.round(st.checkpointBytesPerUser()));
            }
        }
        if (r.steps().size() > 1) {
            ScaleBench.Step a = r.steps().get(0);
            ScaleBench.Step b = r.steps().get(r.steps().size() - 1);
            ObjectNode g = root.putObject("growth");
            g.put("fromUsers", a.users());
            g.put("toUsers", b.users());
            g.put("eventsPerSecondRatio", b.eventsPerSecond() / a.eventsPerSecond());
            g.put("bytesPerUserRatio", b.savepointBytesPerUser() / a.savepointBytesPerUser());
            g.put("restoreSecondsRatio", b.restoreSeconds() / a.restoreSeconds());
        }
        return root;
    }

    private static void machine(ObjectNode root) {
        ObjectNode m = root.putObject("machine");
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapBytes", HeapSampler.maxHeap());
        m.put(
                "java",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    static void write(ObjectNode json, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    }
}
