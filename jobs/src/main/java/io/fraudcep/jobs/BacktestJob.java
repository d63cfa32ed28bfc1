package io.fraudcep.jobs;

import io.fraudcep.alert.Alert;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.jobs.backtest.BacktestOptions;
import io.fraudcep.jobs.backtest.BacktestWriter;
import io.fraudcep.jobs.backtest.DuplicateCounter;
import io.fraudcep.jobs.backtest.LabelledScenario;
import io.fraudcep.jobs.backtest.ReplayInput;
import io.fraudcep.jobs.backtest.ReplayOutput;
import io.fraudcep.jobs.io.DeadLetter;
import io.fraudcep.jobs.io.FutureTimestampGuard;
import io.fraudcep.jobs.io.SourceRecord;
import io.fraudcep.jobs.local.StateBackendProfile;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.jobs.rules.RuleHistoryReader;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleHistoryBuilder;
import io.fraudcep.rules.history.RuleHistoryFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Replays a historical log through the very same pipeline as {@link DetectionJob}, bounded, in
 * event time, from JSONL files or from a range of the Kafka input topics, and writes the alerts as
 * JSONL (one alert of alerts.md per line, sorted by detection time and id) or to a topic. At the
 * end of the input the final watermark flushes every pending match, so nothing a live job would
 * alert is lost.
 *
 * <p>With {@code --labels} it scores the alerts against the generator's labels; with {@code
 * --compare-rules} it runs a second rule file on the same parsed events in the same pass and
 * compares the two. Either way it prints a report and writes it as JSON and as a self-contained
 * HTML page.
 *
 * <p>Three layers, as {@link DetectionJob}: {@link BacktestOptions} parses the arguments into a
 * {@link Config}; {@link #run} builds the source and the collecting sink around {@link
 * FraudPipeline#defineWorkflow} and runs the job; {@link BacktestWriter} writes what it brought
 * back.
 */
public final class BacktestJob {

    /**
     * A validated backtest.
     *
     * @param input what to replay
     * @param output alerts file, or null
     * @param alertsTopic alerts topic (Kafka replays only), or null
     * @param shadowAlerts shadow rules' alert file, or null
     * @param deadLetters dead-letter file, or null
     * @param lateEvents late-event file, or null
     * @param rules the rules in force (A)
     * @param rulesFile their file, or null for the shipped defaults
     * @param whatIf the rules to compare with (B), or null
     * @param whatIfFile their file, or null
     * @param labels labels to score against, or null
     * @param labelsFile their file, or null
     * @param reportJson report JSON file, or null
     * @param reportHtml report HTML file, or null
     * @param outOfOrderness watermark bound
     * @param futureGuard rejects events implausibly far ahead of the end of the replayed range
     * @param ruleHistory where the rule versions to replay come from
     * @param ruleHorizon how far back any rule version may look
     * @param parallelism replay parallelism
     * @param stateBackend the keyed state backend of {@code --state-backend}, or null: the
     *     environment's (the heap on the local MiniCluster, the cluster's under {@code flink run})
     */
    public record Config(
            ReplayInput input,
            Path output,
            String alertsTopic,
            Path shadowAlerts,
            Path deadLetters,
            Path lateEvents,
            RuleSet rules,
            Path rulesFile,
            RuleSet whatIf,
            Path whatIfFile,
            List<LabelledScenario> labels,
            Path labelsFile,
            Path reportJson,
            Path reportHtml,
            Duration outOfOrderness,
            FutureTimestampGuard futureGuard,
            RuleHistorySource ruleHistory,
            Duration ruleHorizon,
            int parallelism,
            StateBackendProfile stateBackend) {

        /** Parses and validates arguments; throws {@link UsageException} naming the option. */
        public static Config parse(String... args) {
            return BacktestOptions.parse(args);
        }

        /** "defaults (version 2)" or "FILE (version 3)". */
        public String describeRules() {
            return describe(rulesFile, rules);
        }

        /** The what-if rules, described like {@link #describeRules}, or null. */
        public String describeWhatIf() {
            return whatIf == null ? null : describe(whatIfFile, whatIf);
        }

        private static String describe(Path file, RuleSet rules) {
            return (file == null ? "defaults" : file.toString())
                    + " (version "
                    + rules.version()
                    + ")";
        }
    }

    /**
     * Where a replay's rule versions come from: a history file, the control topic (and its audit
     * topic) of the replayed cluster, or nowhere (the rule file alone).
     *
     * @param file a JSONL history file, or null
     * @param rulesTopic the control topic, or null
     * @param appliedTopic the audit topic, or null
     */
    public record RuleHistorySource(Path file, String rulesTopic, String appliedTopic) {
        public static final RuleHistorySource NONE = new RuleHistorySource(null, null, null);

        /**
         * Reads the versions: every valid record at the instant the live job applied it from (where
         * an audit record says), else at its {@code effectiveFrom}; invalid records are skipped, as
         * the live job dead-lettered them.
         */
        RuleHistoryBuilder read(RuleSet base, Duration horizon, ReplayInput input) {
            if (file != null) {
                return RuleHistoryFiles.read(file, base, horizon);
            }
            if (rulesTopic != null && input instanceof ReplayInput.Kafka kafka) {
                Properties client = new Properties();
                client.putAll(kafka.kafka().clientProperties());
                client.put("bootstrap.servers", kafka.kafka().bootstrapServers());
                return RuleHistoryReader.read(
                                client,
                                rulesTopic,
                                appliedTopic,
                                base,
                                horizon,
                                Duration.ofSeconds(60))
                        .builder();
            }
            return new RuleHistoryBuilder(base, horizon);
        }
    }

    /**
     * What a backtest produced. Every list of alerts is sorted by detection time and id.
     *
     * @param alerts the alerts of the active rules in force
     * @param shadowAlerts the alerts of the shadow rules in force
     * @param whatIfAlerts the alerts of the active what-if rules (empty without)
     * @param whatIfShadowAlerts the alerts of the shadow what-if rules (empty without)
     * @param deadLetters rejected records
     * @param lateEvents events behind the watermark
     * @param eventsRead records read
     * @param duplicates duplicates dropped
     * @param elapsed wall-clock duration of the job
     * @param ruleHistory the rule versions replayed
     * @param rejectedRuleRecords the control topic's records that changed nothing
     */
    public record Result(
            List<Alert> alerts,
            List<Alert> shadowAlerts,
            List<Alert> whatIfAlerts,
            List<Alert> whatIfShadowAlerts,
            List<DeadLetter> deadLetters,
            List<UserEvent> lateEvents,
            long eventsRead,
            long duplicates,
            Duration elapsed,
            RuleHistory ruleHistory,
            List<RuleHistoryBuilder.Rejected> rejectedRuleRecords) {}

    private BacktestJob() {}

    public static void main(String[] args) throws Exception {
        if (Options.wantsHelp(args)) {
            System.out.println(BacktestOptions.options().help());
            return;
        }
        Config config;
        try {
            config = Config.parse(args);
            if (config.input() instanceof ReplayInput.Kafka kafka) {
                kafka.checkTopicsExist(Duration.ofSeconds(30));
            }
        } catch (UsageException | IllegalStateException e) {
            System.err.println("backtest: " + e.getMessage());
            System.exit(e instanceof UsageException ? 2 : 1);
            return;
        }
        Result result = run(environment(config), config);
        BacktestWriter.writeAll(config, result, System.out);
    }

    /**
     * The environment a backtest runs on: a MiniCluster in this JVM ({@code bin/fraud backtest}),
     * or the cluster a {@code flink run} submits to, with the state backend of {@code
     * --state-backend} if given.
     */
    public static StreamExecutionEnvironment environment(Config config) {
        Configuration conf = new Configuration();
        if (config.stateBackend() != null) {
            config.stateBackend().applyTo(conf);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    /** Runs the replay on {@code env} and brings its outputs back. */
    public static Result run(StreamExecutionEnvironment env, Config config) throws Exception {
        FraudPipeline.configure(env);
        env.setParallelism(config.parallelism());

        RuleHistoryBuilder history =
                config.ruleHistory().read(config.rules(), config.ruleHorizon(), config.input());
        DataStream<SourceRecord> records =
                config.input().records(env, config.outOfOrderness(), config.futureGuard());
        FraudPipeline.Streams streams =
                FraudPipeline.defineWorkflow(
                        records,
                        new FraudPipeline.JobRules(history.build(), config.ruleHorizon(), null),
                        config.whatIf(),
                        EnrichmentSettings.DEFAULTS);
        if (config.alertsTopic() != null) {
            KafkaSettings kafka = ((ReplayInput.Kafka) config.input()).kafka();
            streams.alerts()
                    .sinkTo(kafka.alertSink(DeliveryGuarantee.AT_LEAST_ONCE, "fraud-backtest"))
                    .name("alert-sink")
                    .uid("alert-sink");
        }
        DataStream<ReplayOutput> outputs = collected(streams);

        long start = System.nanoTime();
        Map<ReplayOutput.Kind, List<Alert>> alerts = new EnumMap<>(ReplayOutput.Kind.class);
        List<DeadLetter> deadLetters = new ArrayList<>();
        List<UserEvent> late = new ArrayList<>();
        JobExecutionResult jobResult;
        try (CloseableIterator<ReplayOutput> it = outputs.collectAsync()) {
            JobClient client = env.executeAsync("fraud-backtest");
            while (it.hasNext()) {
                ReplayOutput o = it.next();
                switch (o.kind()) {
                    case DEAD_LETTER -> deadLetters.add(o.deadLetter());
                    case LATE_EVENT -> late.add(o.lateEvent());
                    default ->
                            alerts.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o.alert());
                }
            }
            jobResult = client.getJobExecutionResult().get();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Result(
                sorted(alerts, ReplayOutput.Kind.ALERT),
                sorted(alerts, ReplayOutput.Kind.SHADOW_ALERT),
                sorted(alerts, ReplayOutput.Kind.WHAT_IF_ALERT),
                sorted(alerts, ReplayOutput.Kind.WHAT_IF_SHADOW_ALERT),
                deadLetters,
                late,
                counter(jobResult, FraudPipeline.EVENTS_READ),
                counter(jobResult, DuplicateCounter.ACCUMULATOR),
                elapsed,
                history.build(),
                history.rejected());
    }

    private static List<Alert> sorted(
            Map<ReplayOutput.Kind, List<Alert>> alerts, ReplayOutput.Kind kind) {
        List<Alert> list = alerts.getOrDefault(kind, new ArrayList<>());
        list.sort(Comparator.comparing(Alert::detectedAt).thenComparing(Alert::alertId));
        return list;
    }

    /**
     * Every stream the client brings back, as one union: two collect streams read one after the
     * other could stall the job.
     */
    private static DataStream<ReplayOutput> collected(FraudPipeline.Streams streams) {
        TypeInformation<ReplayOutput> type = TypeInformation.of(ReplayOutput.class);
        List<DataStream<ReplayOutput>> more = new ArrayList<>();
        more.add(streams.shadowAlerts().map(ReplayOutput::ofShadowAlert).returns(type));
        more.add(streams.deadLetters().map(ReplayOutput::ofDeadLetter).returns(type));
        more.add(streams.lateEvents().map(ReplayOutput::ofLateEvent).returns(type));
        more.add(
                streams.duplicates()
                        .process(new DuplicateCounter())
                        .returns(type)
                        .name("count-duplicates"));
        if (streams.whatIfAlerts() != null) {
            more.add(streams.whatIfAlerts().map(ReplayOutput::ofWhatIfAlert).returns(type));
            more.add(
                    streams.whatIfShadowAlerts()
                            .map(ReplayOutput::ofWhatIfShadowAlert)
                            .returns(type));
        }
        @SuppressWarnings("unchecked")
        DataStream<ReplayOutput>[] rest = more.toArray(new DataStream[0]);
        return streams.alerts().map(ReplayOutput::ofAlert).returns(type).union(rest);
    }

    private static long counter(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v == null ? 0L : ((Number) v).longValue();
    }
}
