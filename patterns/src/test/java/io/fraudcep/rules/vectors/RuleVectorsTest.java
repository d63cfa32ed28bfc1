package io.fraudcep.rules.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.alert.Alert;
import io.fraudcep.detect.DetectionTestKit;
import io.fraudcep.rules.RuleSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every rule's test vectors ({@code rules/vectors/<RULE_ID>.yaml}) through the real detection graph
 * on a MiniCluster: one job per rule and params variant runs all its cases at once, each case as
 * its own user, and each case is one test that compares that user's alerts with the vector's, field
 * by field.
 */
class RuleVectorsTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** The rule files, relative to the patterns module (Maven runs tests there). */
    private static final Path RULES = Path.of("..", "rules");

    private static final Path VECTORS = RULES.resolve("vectors");

    private static final Comparator<ExpectedAlert> ORDER =
            Comparator.comparing(ExpectedAlert::userId)
                    .thenComparing(ExpectedAlert::detectedAt)
                    .thenComparing(ExpectedAlert::alertId);

    @TestFactory
    Stream<DynamicNode> everyRuleGivesExactlyTheAlertsOfItsVectors() {
        List<VectorFile> files = VectorFile.readAll(VECTORS);
        assertThat(files).as("vector files in %s", VECTORS.toAbsolutePath()).isNotEmpty();
        return files.stream().map(file -> rule(file, "hashmap"));
    }

    /**
     * The same with the per-user state in RocksDB: every read of it goes through the hand-written
     * serializer, so a field it lost or garbled would show in some vector's alerts.
     */
    @TestFactory
    Stream<DynamicNode> everyRuleGivesExactlyTheAlertsOfItsVectorsWithStateInRocksDb() {
        return VectorFile.readAll(VECTORS).stream().map(file -> rule(file, "rocksdb"));
    }

    private static DynamicContainer rule(VectorFile file, String stateBackend) {
        Map<String, Job> jobs = new LinkedHashMap<>();
        for (VectorCase c : file.cases()) {
            jobs.computeIfAbsent(c.variant(), v -> new Job(file, c.params(), stateBackend))
                    .cases
                    .add(c);
        }
        List<DynamicNode> tests = new ArrayList<>();
        for (VectorCase c : file.cases()) {
            Job job = jobs.get(c.variant());
            tests.add(
                    dynamicTest(
                            "#" + c.number() + " " + c.name(), () -> assertCase(c, job.alerts())));
        }
        return dynamicContainer(
                file.rule() + " (" + file.ruleFile() + ", state in " + stateBackend + ")",
                tests.stream());
    }

    private static void assertCase(VectorCase c, List<Alert> all) {
        List<ExpectedAlert> actual =
                all.stream().filter(c::owns).map(ExpectedAlert::actual).sorted(ORDER).toList();
        List<ExpectedAlert> expected = c.alerts().stream().sorted(ORDER).toList();
        assertThat(actual).as("alerts of %s, case %s", c.user(), c.name()).isEqualTo(expected);
    }

    /** One Flink job: a rule variant on the merged logs of its cases, run once, on first need. */
    private static final class Job {
        final VectorFile file;
        final ObjectNode params;
        final String stateBackend;
        final List<VectorCase> cases = new ArrayList<>();
        private List<Alert> alerts;
        private RuntimeException failure;

        Job(VectorFile file, ObjectNode params, String stateBackend) {
            this.file = file;
            this.params = params;
            this.stateBackend = stateBackend;
        }

        List<Alert> alerts() {
            if (alerts == null && failure == null) {
                try {
                    RuleSet rules =
                            RuleUnderTest.of(RULES.resolve(file.ruleFile()), file.rule(), params);
                    alerts =
                            DetectionTestKit.run(
                                    SharedLog.of(cases),
                                    rules,
                                    2,
                                    Duration.ofSeconds(5),
                                    stateBackend);
                } catch (Exception e) {
                    failure = new IllegalStateException("the job of " + file.rule() + " failed", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return alerts;
        }
    }
}
