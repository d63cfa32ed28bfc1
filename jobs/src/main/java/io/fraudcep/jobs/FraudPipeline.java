package io.fraudcep.jobs;

import io.fraudcep.alert.Alert;
import io.fraudcep.detect.DetectionGraph;
import io.fraudcep.detect.RuleVersionGate;
import io.fraudcep.enrich.EnrichmentSettings;
import io.fraudcep.enrich.UserEventOperator;
import io.fraudcep.jobs.io.DeadLetter;
import io.fraudcep.jobs.io.SourceRecord;
import io.fraudcep.model.RejectReason;
import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleSet;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RejectedRuleRecord;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleHistory;
import io.fraudcep.rules.history.RuleLedger;
import io.fraudcep.rules.history.RuleRecordInput;
import io.fraudcep.rules.history.RuleVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The job graph shared by the live and the backtest jobs, in the cookbook's {@code defineWorkflow}
 * style: it takes the parsed source records and returns the streams to sink, so jobs attach Kafka
 * or file sinks and tests attach their own.
 */
public final class FraudPipeline {

    /** Accumulator names, read from the job result by the demo and the backtest. */
    public static final String EVENTS_READ = "events-read";

    public static final String DEAD_LETTERS = "dead-letters";
    public static final String LATE_EVENTS = UserEventOperator.LATE_ACCUMULATOR;
    public static final String DUPLICATES = UserEventOperator.DUPLICATE_ACCUMULATOR;

    private static final OutputTag<DeadLetter> DEAD_LETTER_TAG =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private FraudPipeline() {}

    /** Uid and name prefix of the what-if rules' detection graph. */
    public static final String WHAT_IF_UID_PREFIX = "what-if-";

    /**
     * The streams a job sinks.
     *
     * @param alerts alerts of the active rules in force
     * @param shadowAlerts alerts of the shadow rules in force
     * @param whatIfAlerts alerts of the active what-if rules, or null without what-if rules
     * @param whatIfShadowAlerts alerts of the shadow what-if rules, or null without what-if rules
     * @param deadLetters records that broke the input contract
     * @param lateEvents events behind the watermark
     * @param duplicates duplicates dropped (once per event, whatever the number of rule sets)
     * @param appliedVersions the instant each rule version of the control topic was applied from
     *     (for the audit topic), or null for a job without the control topic
     */
    public record Streams(
            DataStream<Alert> alerts,
            DataStream<Alert> shadowAlerts,
            DataStream<Alert> whatIfAlerts,
            DataStream<Alert> whatIfShadowAlerts,
            DataStream<DeadLetter> deadLetters,
            DataStream<UserEvent> lateEvents,
            DataStream<UserEvent> duplicates,
            DataStream<AppliedVersion> appliedVersions) {}

    /**
     * The rules of a job.
     *
     * @param history the rule file's rules and the control topic's versions known when the job is
     *     built (a replay's whole history)
     * @param horizon how far back any rule version may look
     * @param updates the control topic's records read while the job runs (a live job), or null
     * @param unaudited audit records to write on a first start: the versions of {@code history}
     *     that no run has recorded applying (each from its {@code effectiveFrom})
     */
    public record JobRules(
            RuleHistory history,
            Duration horizon,
            DataStream<RuleRecordInput> updates,
            List<AppliedVersion> unaudited) {

        /** Rules without audit records to write (a replay, a test). */
        public JobRules(
                RuleHistory history, Duration horizon, DataStream<RuleRecordInput> updates) {
            this(history, horizon, updates, List.of());
        }

        /** A fixed rule set: no versions, the default horizon. */
        public static JobRules fixed(RuleSet rules) {
            return new JobRules(RuleHistory.of(rules), DetectionGraph.DEFAULT_RULE_HORIZON, null);
        }
    }

    /** Uid of the rule version gate (parallelism 1). */
    public static final String RULE_GATE_UID = "rule-versions";

    /** The settings every job runs with: {@link DetectionGraph#configure}. */
    public static void configure(StreamExecutionEnvironment env) {
        DetectionGraph.configure(env);
    }

    /** Event time from the parsed event; dead letters never move the watermark. */
    public static WatermarkStrategy<SourceRecord> watermarks(
            Duration outOfOrderness, Duration idleTimeout) {
        WatermarkStrategy<SourceRecord> strategy =
                WatermarkStrategy.<SourceRecord>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner((record, ts) -> record.eventTimeMillis());
        return idleTimeout == null ? strategy : strategy.withIdleness(idleTimeout);
    }

    /**
     * Builds the graph of every job on the source records: split of dead letters, then the
     * detection graph (enrichment and rule engine) of the rules in force and, for a backtest's
     * what-if, a second one of other rules on the same events, its uids prefixed with {@value
     * #WHAT_IF_UID_PREFIX}. Jobs and tests attach their own sources before and sinks after.
     *
     * @param records parsed source records with event-time timestamps and watermarks
     * @param rules the rules in force
     * @param whatIfRules rules to compare with, or null
     * @param enrichment settings of the enrichment (both graphs)
     */
    public static Streams defineWorkflow(
            DataStream<SourceRecord> records,
            RuleSet rules,
            RuleSet whatIfRules,
            EnrichmentSettings enrichment) {
        return defineWorkflow(records, JobRules.fixed(rules), whatIfRules, enrichment);
    }

    /**
     * The graph with rules that change over event time: the history known when the job is built
     * and, for a live job, the control topic's records, which a single {@link RuleVersionGate}
     * validates, places on the event-time axis and broadcasts to the detection operators. Invalid
     * records join the dead letters.
     */
    public static Streams defineWorkflow(
            DataStream<SourceRecord> records,
            JobRules rules,
            RuleSet whatIfRules,
            EnrichmentSettings enrichment) {
        SingleOutputStreamOperator<UserEvent> events =
                records.process(new RecordSplitter())
                        .returns(TypeInformation.of(UserEvent.class))
                        .name("split-dead-letters")
                        .uid("split-dead-letters");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(DEAD_LETTER_TAG);
        DataStream<RuleChange> changes = null;
        DataStream<AppliedVersion> applied = null;
        if (rules.updates() != null) {
            SingleOutputStreamOperator<RuleChange> gate =
                    rules.updates()
                            .connect(
                                    events.filter(new NoEvents())
                                            .name("event-time-to-rule-gate")
                                            .uid("event-time-to-rule-gate"))
                            .transform(
                                    RULE_GATE_UID,
                                    TypeInformation.of(RuleChange.class),
                                    new RuleVersionGate(
                                            ledger(rules.history()),
                                            rules.unaudited(),
                                            rules.horizon()))
                            .setParallelism(1)
                            .setMaxParallelism(1)
                            .uid(RULE_GATE_UID);
            changes = gate;
            applied = gate.getSideOutput(RuleVersionGate.AUDIT);
            deadLetters =
                    deadLetters.union(
                            gate.getSideOutput(RuleVersionGate.REJECTED)
                                    .map(FraudPipeline::deadLetter)
                                    .returns(TypeInformation.of(DeadLetter.class))
                                    .setParallelism(1)
                                    .name("rule-record-dead-letters")
                                    .uid("rule-record-dead-letters"));
        }
        DetectionGraph.Outputs detected =
                DetectionGraph.build(
                        events, rules.history(), changes, enrichment, rules.horizon(), "");
        DetectionGraph.Outputs whatIf =
                whatIfRules == null
                        ? null
                        : DetectionGraph.build(events, whatIfRules, enrichment, WHAT_IF_UID_PREFIX);
        return new Streams(
                detected.alerts(),
                detected.shadowAlerts(),
                whatIf == null ? null : whatIf.alerts(),
                whatIf == null ? null : whatIf.shadowAlerts(),
                deadLetters,
                detected.lateEvents(),
                detected.duplicates(),
                applied);
    }

    /** The last version of each rule id in {@code history}: what the gate starts from. */
    private static RuleLedger ledger(RuleHistory history) {
        Map<String, Long> last = new HashMap<>();
        for (RuleVersion v : history.versions()) {
            last.merge(v.ruleId(), v.ruleVersion(), Math::max);
        }
        RuleLedger ledger = new RuleLedger();
        ledger.restore(last);
        return ledger;
    }

    private static DeadLetter deadLetter(RejectedRuleRecord rejected) {
        RuleRecordInput in = rejected.input();
        return DeadLetter.of(
                RejectReason.INVALID_RULE_RECORD,
                rejected.reason(),
                in.topic(),
                in.partition(),
                in.offset(),
                in.value() == null ? null : in.value().getBytes(StandardCharsets.UTF_8));
    }

    /** Lets the events' watermark through to the rule gate, and no event. */
    static final class NoEvents implements FilterFunction<UserEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(UserEvent event) {
            return false;
        }
    }

    /**
     * Separates accepted events from dead letters, counting both: {@code deadLetters} in all, and
     * {@code rejectedEvents} per source partition (group {@code source}, e.g. {@code
     * user-logins-0}) with a {@code reason} group per reject reason.
     */
    static final class RecordSplitter extends ProcessFunction<SourceRecord, UserEvent> {

        private static final long serialVersionUID = 1L;

        private transient Counter deadLetterMetric;
        private transient LongCounter read;
        private transient LongCounter deadLetters;
        private transient Map<String, Counter> rejectedBySource;

        @Override
        public void open(OpenContext openContext) {
            deadLetterMetric = getRuntimeContext().getMetricGroup().counter("deadLetters");
            rejectedBySource = new HashMap<>();
            read = getRuntimeContext().getLongCounter(EVENTS_READ);
            deadLetters = getRuntimeContext().getLongCounter(DEAD_LETTERS);
        }

        @Override
        public void processElement(SourceRecord record, Context ctx, Collector<UserEvent> out) {
            read.add(1);
            if (record.event() != null) {
                out.collect(record.event());
            } else {
                deadLetterMetric.inc();
                deadLetters.add(1);
                rejected(record.deadLetter()).inc();
                ctx.output(DEAD_LETTER_TAG, record.deadLetter());
            }
        }

        private Counter rejected(DeadLetter d) {
            String source = SourceRecord.sourceName(d.topic(), d.partition());
            return rejectedBySource.computeIfAbsent(
                    source + "/" + d.reason(),
                    k ->
                            getRuntimeContext()
                                    .getMetricGroup()
                                    .addGroup("source", source)
                                    .addGroup("reason", d.reason().name())
                                    .counter("rejectedEvents"));
        }
    }
}
