package io.fraudcep.jobs;

import io.fraudcep.alert.Alert;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.jobs.io.FutureTimestampGuard;
import io.fraudcep.jobs.io.SourceRecord;
import io.fraudcep.jobs.monitor.AlertGate;
import io.fraudcep.jobs.monitor.EventTimeMonitor;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import io.fraudcep.jobs.rules.RuleHistoryReader;
import io.fraudcep.jobs.rules.RuleTopics;
import io.fraudcep.rules.Durations;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RuleHistoryBuilder;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleRecordInput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live detection job: reads the three input topics, evaluates the rules (the shipped
 * rules-default.yaml or {@code --rules FILE}) per user in event time, and writes the alerts of
 * active rules, the alerts of shadow rules, dead letters and late events to their topics. The main
 * class of the job jar, submitted with {@code flink run}.
 *
 * <p>Three layers: {@link #main} parses arguments into a validated {@link Config}; {@link #run}
 * builds the Kafka source and sinks; {@link FraudPipeline#defineWorkflow} builds the graph.
 */
public final class DetectionJob {

    /** Delivery of the outputs. */
    public enum Delivery {
        /** Kafka transactions committed on checkpoints: read_committed consumers see each once. */
        EXACTLY_ONCE,
        /** Lowest latency; a failure may repeat an alert (same alertId). */
        AT_LEAST_ONCE
    }

    /** What the source does at the end of the topics. */
    public enum StopAt {
        /** Run forever. */
        NEVER,
        /** Stop at the latest offsets seen at start-up (for demos, tests and catch-up runs). */
        LATEST
    }

    static final Option<String> GROUP_ID =
            Option.text("group-id", "fraud-detection", "Kafka consumer group of the job");
    static final Option<StartingPosition> STARTING_OFFSETS =
            Option.custom(
                    "starting-offsets",
                    "committed|earliest|latest|TIMESTAMP",
                    StartingPosition.parse("committed"),
                    "where to start reading when no checkpoint or savepoint is restored"
                            + " (committed falls back to earliest)",
                    StartingPosition::parse);

    /**
     * How much of the log before {@code --alerts-from} a job folds into its state.
     *
     * @param lookBack the span before the instant, or null for the whole log
     */
    public record History(Duration lookBack) implements java.io.Serializable {

        /** The longest look-back of the default rules: 180 days of devices. */
        public static final History DEFAULT = new History(Duration.ofDays(180));

        static History parse(String text) {
            return "earliest".equals(text.trim())
                    ? new History(null)
                    : new History(Durations.parse(text));
        }

        /** Where a job going live at {@code alertsFrom} starts reading. */
        StartingPosition start(Instant alertsFrom) {
            return lookBack == null
                    ? StartingPosition.parse("earliest")
                    : StartingPosition.parse(alertsFrom.minus(lookBack).toString());
        }

        @Override
        public String toString() {
            return lookBack == null ? "earliest" : Durations.format(lookBack);
        }
    }

    static final Option<Instant> ALERTS_FROM =
            Option.custom(
                    "alerts-from",
                    "INSTANT",
                    null,
                    "go live on an existing log: read --history before INSTANT into state, write"
                            + " alerts only for triggers at or after it (earlier ones are counted,"
                            + " not written), report the catch-up, then run live; sets where a"
                            + " fresh job starts reading",
                    DetectionJob::instant);
    static final Option<History> HISTORY =
            Option.custom(
                    "history",
                    "earliest|DURATION",
                    History.DEFAULT,
                    "with --alerts-from: how much of the log before the instant to fold in; 180d"
                            + " covers every look-back of the default rules (new devices),"
                            + " earliest also every user's whole history (dormancy beyond it)",
                    History::parse);
    static final Option<StopAt> STOP_AT =
            Option.choice(
                    "stop-at",
                    StopAt.class,
                    StopAt.NEVER,
                    "end of input: latest stops a fresh run at the offsets seen at start-up (no"
                            + " effect on a run restored from a savepoint: end those with"
                            + " flink stop --drain)");
    static final Option<Delivery> DELIVERY =
            Option.choice(
                    "delivery-guarantee", Delivery.class, Delivery.EXACTLY_ONCE, "output delivery");
    static final Option<String> TRANSACTIONAL_ID_PREFIX =
            Option.text(
                    "transactional-id-prefix",
                    "fraud-detection",
                    "prefix of the sinks' Kafka transactional ids (unique per job)");
    static final Option<Duration> CHECKPOINT_INTERVAL =
            Option.duration(
                    "checkpoint-interval",
                    Duration.ofSeconds(10),
                    "checkpoint interval; bounds exactly-once alert latency");
    public static final Option<Duration> OUT_OF_ORDERNESS =
            Option.nonNegativeDuration(
                    "out-of-orderness",
                    Duration.ofSeconds(5),
                    "how late an event may arrive behind newer ones and still count");

    /**
     * The default of {@code --idle-timeout}, the pause tolerance: a producer that pauses this long
     * (a restart, a deployment, a rebalance, the job started before it) loses nothing; a partition
     * that stays quiet holds alerts back this long at most.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);

    public static final Option<Duration> MAX_FUTURE_SKEW =
            Option.duration(
                    "max-future-skew",
                    Duration.ofHours(1),
                    "an event further ahead of the wall clock than this is a dead letter"
                            + " (FUTURE_TIMESTAMP) and never moves the watermark; a replay measures"
                            + " from the end of its range instead");
    static final Option<Duration> IDLE_TIMEOUT =
            Option.duration(
                    "idle-timeout",
                    DEFAULT_IDLE_TIMEOUT,
                    "pause tolerance: a partition without records holds back the watermark (and"
                            + " so the alerts) this long, then turns idle until it sends again;"
                            + " a partition that resumes within it loses nothing, one that resumes"
                            + " later may find its backlog behind the watermark (late events)");

    private static Instant instant(String text) {
        try {
            return Instant.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "must be an ISO-8601 instant such as 2026-07-01T00:00:00Z, not '" + text + "'");
        }
    }

    /** The default of {@code --watermark-interval}: short, for alerts within tens of ms. */
    public static final Duration DEFAULT_WATERMARK_INTERVAL = Duration.ofMillis(10);

    /** The default of {@code --buffer-timeout}. */
    public static final Duration DEFAULT_BUFFER_TIMEOUT = Duration.ofMillis(5);

    static final Option<Duration> WATERMARK_INTERVAL =
            Option.duration(
                    "watermark-interval",
                    DEFAULT_WATERMARK_INTERVAL,
                    "how often the source emits a watermark (pipeline.auto-watermark-interval);"
                            + " an event waits for the next one after the out-of-orderness bound,"
                            + " so this adds up to its length to every alert's latency");
    static final Option<Duration> BUFFER_TIMEOUT =
            Option.nonNegativeDuration(
                    "buffer-timeout",
                    DEFAULT_BUFFER_TIMEOUT,
                    "longest time a network buffer between operators waits to fill before it is"
                            + " sent (execution.buffer-timeout.interval); 0 sends every record at"
                            + " once, at a cost in throughput");
    static final Option<Integer> PARALLELISM =
            Option.positiveInt("parallelism", null, "job parallelism (default: the cluster's)");

    static Options options() {
        List<Option<?>> all = new ArrayList<>(KafkaSettings.options());
        all.addAll(
                List.of(
                        GROUP_ID,
                        STARTING_OFFSETS,
                        ALERTS_FROM,
                        HISTORY,
                        STOP_AT,
                        DELIVERY,
                        TRANSACTIONAL_ID_PREFIX,
                        CHECKPOINT_INTERVAL,
                        OUT_OF_ORDERNESS,
                        MAX_FUTURE_SKEW,
                        IDLE_TIMEOUT,
                        WATERMARK_INTERVAL,
                        BUFFER_TIMEOUT,
                        RuleFileOptions.RULES,
                        RuleFileOptions.PATTERNS,
                        RuleTopics.RULES_TOPIC,
                        RuleTopics.APPLIED_TOPIC,
                        RuleTopics.RULE_HORIZON,
                        PARALLELISM));
        return new Options(
                "DetectionJob",
                "Evaluates the fraud rules per user in event time on the Kafka user-action log.",
                all);
    }

    /**
     * The validated configuration of a run.
     *
     * @param kafka topics and client settings
     * @param groupId consumer group
     * @param startingPosition where to start without a restored state
     * @param alertsFrom the go-live instant (alerts before it are held back), or null
     * @param stopAt end of input
     * @param delivery output delivery guarantee
     * @param transactionalIdPrefix sinks' transactional id prefix
     * @param checkpointInterval checkpoint interval
     * @param outOfOrderness watermark bound
     * @param maxFutureSkew how far ahead of the wall clock an event may be
     * @param idleTimeout partition idleness
     * @param watermarkInterval periodic watermark interval
     * @param bufferTimeout network buffer timeout (0: flush every record)
     * @param rules the rule file's rules: in force until the control topic's versions replace them
     * @param ruleTopics the control topic, its audit topic and the rules' look-back horizon
     * @param parallelism job parallelism, or null for the environment's
     */
    public record Config(
            KafkaSettings kafka,
            String groupId,
            StartingPosition startingPosition,
            Instant alertsFrom,
            StopAt stopAt,
            Delivery delivery,
            String transactionalIdPrefix,
            Duration checkpointInterval,
            Duration outOfOrderness,
            Duration maxFutureSkew,
            Duration idleTimeout,
            Duration watermarkInterval,
            Duration bufferTimeout,
            RuleSet rules,
            RuleTopics ruleTopics,
            Integer parallelism) {

        /** Parses and validates arguments; throws {@link UsageException} naming the option. */
        public static Config parse(String... args) {
            Options.Parsed o = options().parse(args);
            RuleSet rules =
                    RuleFileOptions.load(RuleFileOptions.RULES, o.get(RuleFileOptions.RULES));
            Instant alertsFrom = o.get(ALERTS_FROM);
            StartingPosition start = o.get(STARTING_OFFSETS);
            if (alertsFrom != null) {
                if (o.has(STARTING_OFFSETS)) {
                    throw new UsageException(
                            "--starting-offsets: not with --alerts-from, which starts reading"
                                    + " --history before its instant");
                }
                start = o.get(HISTORY).start(alertsFrom);
            } else if (o.has(HISTORY)) {
                throw new UsageException("--history: only with --alerts-from");
            }
            return new Config(
                    KafkaSettings.from(o),
                    o.get(GROUP_ID),
                    start,
                    alertsFrom,
                    o.get(STOP_AT),
                    o.get(DELIVERY),
                    o.get(TRANSACTIONAL_ID_PREFIX),
                    o.get(CHECKPOINT_INTERVAL),
                    o.get(OUT_OF_ORDERNESS),
                    o.get(MAX_FUTURE_SKEW),
                    o.get(IDLE_TIMEOUT),
                    o.get(WATERMARK_INTERVAL),
                    o.get(BUFFER_TIMEOUT),
                    rules,
                    new RuleTopics(
                            o.get(RuleTopics.RULES_TOPIC),
                            o.get(RuleTopics.APPLIED_TOPIC),
                            o.get(RuleTopics.RULE_HORIZON)),
                    o.get(PARALLELISM));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DetectionJob.class);

    /** How long reading the control topic's history may take when the job is built. */
    private static final Duration HISTORY_READ_TIMEOUT = Duration.ofSeconds(60);

    private DetectionJob() {}

    public static void main(String[] args) throws Exception {
        if (Options.wantsHelp(args)) {
            System.out.println(options().help());
            return;
        }
        Config config;
        try {
            config = Config.parse(args);
        } catch (UsageException e) {
            System.err.println("DetectionJob: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    }

    /** Builds the job on {@code env} and runs it to completion (forever unless bounded). */
    public static JobExecutionResult run(StreamExecutionEnvironment env, Config config)
            throws Exception {
        build(env, config);
        return env.execute("fraud-detection");
    }

    /**
     * Builds the job graph on {@code env} without running it. Reads the control topic's history
     * (and creates the rule topics where missing), so the brokers must answer. With exactly-once,
     * first checks the brokers' transaction protocol ({@link TransactionVersionCheck}) and warns on
     * the log and on stderr when a failover would lose alerts.
     */
    public static void build(StreamExecutionEnvironment env, Config config) {
        configure(env, config);

        KafkaSettings kafka = config.kafka();
        DeliveryGuarantee guarantee =
                config.delivery() == Delivery.EXACTLY_ONCE
                        ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE;
        TransactionVersionCheck.check(kafka, guarantee).report(System.err);

        OffsetsInitializer stop =
                config.stopAt() == StopAt.LATEST ? OffsetsInitializer.latest() : null;
        DataStream<SourceRecord> records =
                env.fromSource(
                                kafka.source(
                                        config.groupId(),
                                        config.startingPosition().toOffsetsInitializer(),
                                        stop,
                                        FutureTimestampGuard.wallClock(config.maxFutureSkew())),
                                FraudPipeline.watermarks(
                                        config.outOfOrderness(),
                                        // A bounded run needs no idleness: a finished partition
                                        // stops holding the watermark, and idleness could call
                                        // a partition still queued behind others idle.
                                        config.stopAt() == StopAt.LATEST
                                                ? null
                                                : config.idleTimeout()),
                                "kafka-source")
                        .uid("kafka-source");
        FraudPipeline.Streams streams =
                FraudPipeline.defineWorkflow(
                        records,
                        rules(env, config, stop),
                        null,
                        EnrichmentSettings.DEFAULTS.withObserver(
                                new EventTimeMonitor(config.idleTimeout())));
        String prefix = config.transactionalIdPrefix();
        streams.alerts()
                .transform(
                        "alert-gate",
                        TypeInformation.of(Alert.class),
                        new AlertGate(config.alertsFrom()))
                .uid("alert-gate")
                .sinkTo(kafka.alertSink(guarantee, prefix))
                .name("alert-sink")
                .uid("alert-sink");
        streams.shadowAlerts()
                .transform(
                        "shadow-alert-gate",
                        TypeInformation.of(Alert.class),
                        new AlertGate(config.alertsFrom()))
                .uid("shadow-alert-gate")
                .sinkTo(kafka.shadowAlertSink(guarantee, prefix))
                .name("shadow-alert-sink")
                .uid("shadow-alert-sink");
        streams.deadLetters()
                .sinkTo(kafka.deadLetterSink(guarantee, prefix))
                .name("dead-letter-sink")
                .uid("dead-letter-sink");
        streams.lateEvents()
                .sinkTo(kafka.lateEventSink(guarantee, prefix))
                .name("late-event-sink")
                .uid("late-event-sink");
        streams.appliedVersions()
                .sinkTo(config.ruleTopics().auditSink(kafka, guarantee, prefix))
                .setParallelism(1)
                .name("rules-applied-sink")
                .uid("rules-applied-sink");
    }

    /** The job's settings on {@code env}: pipeline, latency, parallelism, checkpointing. */
    public static void configure(StreamExecutionEnvironment env, Config config) {
        FraudPipeline.configure(env);
        Configuration latency = new Configuration();
        latency.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, config.watermarkInterval());
        latency.set(ExecutionOptions.BUFFER_TIMEOUT, config.bufferTimeout());
        env.configure(latency);
        if (config.parallelism() != null) {
            env.setParallelism(config.parallelism());
        }
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }

    /**
     * The job's rules: the rule file's, then the control topic's versions as read now, up to its
     * current end (each at the instant a previous run applied it from, where the audit topic says),
     * then the records that follow, read while the job runs from exactly there. A job restored from
     * a checkpoint or savepoint keeps the versions of its state instead and resumes the topic from
     * its checkpointed offsets.
     */
    private static FraudPipeline.JobRules rules(
            StreamExecutionEnvironment env, Config config, OffsetsInitializer stop) {
        RuleTopics topics = config.ruleTopics();
        KafkaSettings kafka = config.kafka();
        Properties client = new Properties();
        client.putAll(kafka.clientProperties());
        client.put("bootstrap.servers", kafka.bootstrapServers());
        topics.ensureTopics(client);
        RuleHistoryReader.Snapshot known =
                RuleHistoryReader.read(
                        client,
                        topics.rulesTopic(),
                        topics.appliedTopic(),
                        config.rules(),
                        topics.horizon(),
                        HISTORY_READ_TIMEOUT);
        for (RuleHistoryBuilder.Rejected r : known.rejected()) {
            LOG.warn("Rule record {} changes nothing: {}", r.where(), r.reason());
        }
        DataStream<RuleRecordInput> updates =
                env.fromSource(
                                topics.source(
                                        kafka, config.groupId(), known.rulesEndOffsets(), stop),
                                WatermarkStrategy.noWatermarks(),
                                "rules-source")
                        .setParallelism(1)
                        .uid("rules-source");
        return new FraudPipeline.JobRules(
                known.history(), topics.horizon(), updates, unaudited(known));
    }

    /**
     * The versions read at build that no run has recorded applying: on a first start the job
     * applies them from their {@code effectiveFrom} and records it, so every version applied has
     * its audit record.
     */
    private static List<AppliedVersion> unaudited(RuleHistoryReader.Snapshot known) {
        Set<String> audited = new HashSet<>();
        for (AppliedVersion a : known.applied()) {
            audited.add(a.ruleId() + "#" + a.ruleVersion());
        }
        List<AppliedVersion> missing = new ArrayList<>();
        for (RuleRecord r : known.builder().records()) {
            if (!audited.contains(r.ruleId() + "#" + r.ruleVersion())) {
                missing.add(
                        new AppliedVersion(
                                r.ruleId(),
                                r.ruleVersion(),
                                r.effectiveFrom(),
                                r.effectiveFrom(),
                                false,
                                RuleCanonical.patternVersion(r.rule()),
                                r.rule().mode().name().toLowerCase(java.util.Locale.ROOT)));
            }
        }
        return missing;
    }
}
