package io.fraudcep.detect;

import io.fraudcep.model.UserEvent;
import io.fraudcep.rules.RuleCanonical;
import io.fraudcep.rules.history.AppliedVersion;
import io.fraudcep.rules.history.RejectedRuleRecord;
import io.fraudcep.rules.history.RuleChange;
import io.fraudcep.rules.history.RuleLedger;
import io.fraudcep.rules.history.RuleRecord;
import io.fraudcep.rules.history.RuleRecordException;
import io.fraudcep.rules.history.RuleRecordInput;
import io.fraudcep.rules.history.RuleRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * The one place where the live job decides when a rule version takes effect (rules.md). A single
 * instance reads the control topic's records (first input) and the events' watermark (second input,
 * which carries no records). For each record it
 *
 * <ul>
 *   <li>validates it: parseable, known fields, a valid rule that fits the look-back horizon, a key
 *       equal to its rule id, a version above the last accepted one of its id; otherwise it goes to
 *       {@link #REJECTED} with the reason naming the rule and the field, and nothing changes;
 *   <li>fixes the instant it is applied from: its {@code effectiveFrom}, or, if the watermark has
 *       already passed that (events up to it may have been judged), the first instant after the
 *       watermark; and writes that to {@link #AUDIT}, so a replay applies it at the same instant;
 *   <li>sends it to the detection operators, before it lets the watermark pass that instant.
 * </ul>
 *
 * <p>Its output watermark is the events' alone: the control topic, idle nearly always, never holds
 * back event time, and its records are ordered against events by this operator, not by arrival at
 * each subtask. The ledger and the last watermark seen are checkpointed, so a restored job does not
 * mistake a late version for a timely one.
 */
public class RuleVersionGate extends AbstractStreamOperator<RuleChange>
        implements TwoInputStreamOperator<RuleRecordInput, UserEvent, RuleChange> {

    private static final long serialVersionUID = 1L;

    /** The instant each accepted version was applied from: to the audit topic. */
    public static final OutputTag<AppliedVersion> AUDIT =
            new OutputTag<>("rule-versions-applied", TypeInformation.of(AppliedVersion.class));

    /** Records that changed nothing: to the dead letters. */
    public static final OutputTag<RejectedRuleRecord> REJECTED =
            new OutputTag<>("rule-records-rejected", TypeInformation.of(RejectedRuleRecord.class));

    private final Map<String, Long> initialVersions;
    private final List<AppliedVersion> unaudited;
    private final Duration horizon;

    private transient RuleLedger ledger;
    private transient long watermark;
    private transient ListState<String> ledgerState;
    private transient ListState<Long> watermarkState;
    private transient ListState<String> pendingAuditState;
    private transient List<AppliedVersion> pendingAudits;
    private transient Counter appliedCounter;
    private transient Counter lateCounter;
    private transient Counter rejectedCounter;

    /**
     * @param known the last version of each rule id known when the job is built (the versions read
     *     before the job's rules source starts), used on a first start only
     * @param horizon the detection operators' look-back horizon
     */
    public RuleVersionGate(RuleLedger known, Duration horizon) {
        this(known, List.of(), horizon);
    }

    /**
     * @param known the last version of each rule id known when the job is built
     * @param unaudited the audit records of the versions known when the job is built that no run
     *     has recorded yet (each applied from its {@code effectiveFrom}): written on a first start
     * @param horizon the detection operators' look-back horizon
     */
    public RuleVersionGate(RuleLedger known, List<AppliedVersion> unaudited, Duration horizon) {
        this.initialVersions = new HashMap<>(known.lastVersions());
        this.unaudited = List.copyOf(unaudited);
        this.horizon = horizon;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        ledgerState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("rule-ledger", Types.STRING));
        watermarkState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("last-watermark", Types.LONG));
        pendingAuditState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("pending-audits", Types.STRING));
        ledger = new RuleLedger(horizon);
        watermark = Long.MIN_VALUE;
        pendingAudits = new ArrayList<>();
        if (context.isRestored()) {
            for (String json : pendingAuditState.get()) {
                pendingAudits.add(RuleRecords.parseApplied(json));
            }
            Map<String, Long> versions = new HashMap<>();
            for (String entry : ledgerState.get()) {
                int at = entry.lastIndexOf('=');
                versions.merge(
                        entry.substring(0, at), Long.parseLong(entry.substring(at + 1)), Math::max);
            }
            ledger.restore(versions);
            for (Long w : watermarkState.get()) {
                watermark = Math.max(watermark, w);
            }
        } else {
            ledger.restore(initialVersions);
            pendingAudits.addAll(unaudited);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<String> entries = new ArrayList<>();
        ledger.lastVersions().forEach((id, v) -> entries.add(id + "=" + v));
        ledgerState.update(entries);
        watermarkState.update(List.of(watermark));
        List<String> pending = new ArrayList<>();
        for (AppliedVersion a : pendingAudits) {
            pending.add(RuleRecords.toJson(a));
        }
        pendingAuditState.update(pending);
    }

    /** The audit records of the versions the job was built with, once, before anything else. */
    private void writePendingAudits() {
        if (pendingAudits.isEmpty()) {
            return;
        }
        for (AppliedVersion a : pendingAudits) {
            appliedCounter.inc();
            output.collect(AUDIT, new StreamRecord<>(a));
        }
        pendingAudits.clear();
    }

    @Override
    public void open() throws Exception {
        super.open();
        appliedCounter = getMetricGroup().counter("ruleVersionsApplied");
        lateCounter = getMetricGroup().counter("ruleVersionsAppliedLate");
        rejectedCounter = getMetricGroup().counter("ruleRecordsRejected");
    }

    @Override
    public void processElement1(StreamRecord<RuleRecordInput> element) {
        writePendingAudits();
        RuleRecordInput input = element.getValue();
        RuleRecord record;
        try {
            record = ledger.admit(input.key(), input.value());
        } catch (RuleRecordException e) {
            rejectedCounter.inc();
            output.collect(
                    REJECTED,
                    new StreamRecord<>(
                            new RejectedRuleRecord(input, e.ruleId(), e.field(), e.getMessage())));
            return;
        }
        boolean late =
                watermark != Long.MIN_VALUE && record.effectiveFrom().toEpochMilli() <= watermark;
        Instant appliedFrom = late ? Instant.ofEpochMilli(watermark + 1) : record.effectiveFrom();
        appliedCounter.inc();
        if (late) {
            lateCounter.inc();
        }
        output.collect(
                new StreamRecord<>(
                        new RuleChange(
                                record.ruleId(),
                                record.ruleVersion(),
                                appliedFrom,
                                record.ruleJson())));
        output.collect(
                AUDIT,
                new StreamRecord<>(
                        new AppliedVersion(
                                record.ruleId(),
                                record.ruleVersion(),
                                record.effectiveFrom(),
                                appliedFrom,
                                late,
                                RuleCanonical.patternVersion(record.rule()),
                                record.rule().mode().name().toLowerCase(Locale.ROOT))));
    }

    /** The second input carries the events' watermark only. */
    @Override
    public void processElement2(StreamRecord<UserEvent> element) {}

    /** The control topic's watermark is not event time: ignored. */
    @Override
    public void processWatermark1(Watermark mark) {}

    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        writePendingAudits();
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    /** Idleness follows the events' input alone, as the watermark does. */
    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int inputIndex) {
        if (inputIndex == 1) {
            output.emitWatermarkStatus(status);
        }
    }
}
