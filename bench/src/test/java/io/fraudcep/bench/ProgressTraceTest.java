package io.fraudcep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTraceTest {

    private static final long MS = 1_000_000L;

    @Test
    void aSteadyRunHasNoStallLongerThanTheSampleInterval() {
        ProgressTrace trace = new ProgressTrace();
        long end = 0;
        for (int i = 0; i <= 500; i++) {
            end = i * 20 * MS;
            trace.add(end, (i + 1) * 100L);
        }
        ProgressTrace.Pauses p = trace.pauses(end);
        assertThat(p.longestStallMillis()).isEqualTo(20);
        assertThat(p.seconds()).isEqualTo(10);
        assertThat(p.slowestSecond()).isEqualTo(5_000);
        assertThat(p.medianSecond()).isEqualTo(5_000);
    }

    @Test
    void aPauseShowsAsTheLongestStallAndTheSlowestSecond() {
        ProgressTrace trace = new ProgressTrace();
        long count = 0;
        long end = 0;
        for (int i = 0; i <= 500; i++) {
            end = i * 20 * MS;
            boolean paused = end > 4_000 * MS && end <= 4_400 * MS; // 400 ms without progress
            if (!paused) {
                count += 100;
            }
            trace.add(end, count);
        }
        ProgressTrace.Pauses p = trace.pauses(end);
        assertThat(p.longestStallMillis()).isEqualTo(420);
        assertThat(p.slowestSecond()).isEqualTo(3_000);
        assertThat(p.medianSecond()).isEqualTo(5_000);
    }

    @Test
    void startUpBeforeTheFirstRecordIsNotAStall() {
        ProgressTrace trace = new ProgressTrace();
        trace.add(0, 0);
        trace.add(3_000 * MS, 0);
        trace.add(3_020 * MS, 10);
        trace.add(3_040 * MS, 20);
        ProgressTrace.Pauses p = trace.pauses(3_040 * MS);
        assertThat(p.longestStallMillis()).isEqualTo(20);
        assertThat(p.slowestSecond()).isEqualTo(-1);
    }
}
