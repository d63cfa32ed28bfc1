package io.fraudcep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Busy CPU time of the whole machine, from {@code /proc/stat} (Linux), so that a run can report how
 * much CPU other processes took while it was measured: on a shared two-core machine that is the
 * first thing to check when a figure looks odd.
 */
final class MachineCpu {

    private static final Path STAT = Path.of("/proc/stat");

    /** USER_HZ: the kernel's unit for /proc/stat, 100 on every common Linux build. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private MachineCpu() {}

    /** Busy (non-idle, non-iowait) CPU time of all cores since boot, or -1 if unknown. */
    static long busyNanos() {
        try {
            List<String> lines = Files.readAllLines(STAT);
            String[] f = lines.get(0).trim().split("\\s+");
            if (!f[0].equals("cpu") || f.length < 8) {
                return -1;
            }
            long busy = 0;
            // user nice system idle iowait irq softirq steal
            int[] busyFields = {1, 2, 3, 6, 7, 8};
            for (int i : busyFields) {
                if (i < f.length) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
