package io.fraudcep.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording spent CPU and allocated memory, by method: execution samples by top frame
 * (self) and by any frame (total), and by thread (Flink names task threads after their chained
 * operators); allocation samples weighted by their bytes, by allocating frame, by the first frame
 * outside the JDK, and by class. Also {@code bin/fraud bench --jfr-summary FILE}.
 */
final class JfrSummary {

    private final Map<String, Long> cpuSelf = new HashMap<>();
    private final Map<String, Long> cpuTotal = new HashMap<>();
    private final Map<String, Long> cpuThread = new HashMap<>();
    private final Map<String, Long> allocTop = new HashMap<>();
    private final Map<String, Long> allocApp = new HashMap<>();
    private final Map<String, Long> allocClass = new HashMap<>();
    private final Set<Long> allocThreads = new HashSet<>();
    private long samples;
    private long allocBytes;

    static JfrSummary read(Path file) throws IOException {
        JfrSummary s = new JfrSummary();
        List<RecordedEvent> allocations = new ArrayList<>();
        try (RecordingFile f = new RecordingFile(file)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.ExecutionSample")) {
                    s.execution(e);
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    allocations.add(e);
                }
            }
        }
        // In time order, so that each thread's first sample is known (the file is not sorted).
        allocations.sort(java.util.Comparator.comparing(RecordedEvent::getStartTime));
        allocations.forEach(s::allocation);
        return s;
    }

    private void execution(RecordedEvent e) {
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
            return;
        }
        samples++;
        List<RecordedFrame> frames = st.getFrames();
        cpuSelf.merge(name(frames.get(0)), 1L, Long::sum);
        Set<String> distinct = new HashSet<>();
        for (RecordedFrame f : frames) {
            distinct.add(name(f));
        }
        distinct.forEach(m -> cpuTotal.merge(m, 1L, Long::sum));
        RecordedThread t = e.getThread("sampledThread");
        cpuThread.merge(threadName(t), 1L, Long::sum);
    }

    private void allocation(RecordedEvent e) {
        // A thread's first sample weighs everything it allocated since it started, before the
        // recording too (the main thread's can be tens of GB): leave it out.
        RecordedThread thread = e.getThread();
        if (thread != null && allocThreads.add(thread.getId())) {
            return;
        }
        long weight = e.getLong("weight");
        allocBytes += weight;
        allocClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
            return;
        }
        List<RecordedFrame> frames = st.getFrames();
        allocTop.merge(name(frames.get(0)), weight, Long::sum);
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (!(type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun."))) {
                allocApp.merge(name(f), weight, Long::sum);
                break;
            }
        }
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m.getType().getName() + "." + m.getName();
    }

    /** "user-enrichment -> ... (1/2)#0" -> "user-enrichment -> ...". */
    private static String threadName(RecordedThread t) {
        if (t == null) {
            return "?";
        }
        String n = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        n = n.replaceAll(" \\(\\d+/\\d+\\)#\\d+$", "");
        n = n.replaceAll("-\\d+$", "-N");
        return n.length() > 110 ? n.substring(0, 107) + "..." : n;
    }

    long executionSamples() {
        return samples;
    }

    void print(PrintStream out, int top) {
        out.printf("CPU: %,d execution samples (Java code only; 10 ms per thread)%n", samples);
        table(out, "CPU self (top frame)", cpuSelf, samples, top, false);
        table(out, "CPU total (method anywhere on the stack)", cpuTotal, samples, top, false);
        table(out, "CPU by thread", cpuThread, samples, 12, false);
        out.printf(
                "%nAllocation: %,d MB sampled (jdk.ObjectAllocationSample weights)%n",
                allocBytes >> 20);
        table(out, "Allocation by allocating frame", allocTop, allocBytes, top, true);
        table(out, "Allocation by first frame outside the JDK", allocApp, allocBytes, top, true);
        table(out, "Allocation by class", allocClass, allocBytes, 15, true);
    }

    private static void table(
            PrintStream out,
            String title,
            Map<String, Long> counts,
            long total,
            int top,
            boolean bytes) {
        out.printf("%n%s%n", title);
        List<Map.Entry<String, Long>> rows = new ArrayList<>(counts.entrySet());
        rows.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        if (title.startsWith("CPU total")) {
            // Thread, task and mailbox frames sit under nearly every sample and say nothing.
            int before = rows.size();
            rows.removeIf(r -> r.getValue() > 0.75 * total);
            out.printf(
                    "  (%d frames on more than 75%% of the stacks left out)%n",
                    before - rows.size());
        }
        for (Map.Entry<String, Long> r : rows.subList(0, Math.min(top, rows.size()))) {
            out.printf(
                    "  %5.1f%%  %10s  %s%n",
                    100.0 * r.getValue() / Math.max(1, total),
                    bytes
                            ? String.format("%,d MB", r.getValue() >> 20)
                            : String.format("%,d", r.getValue()),
                    r.getKey());
        }
    }
}
