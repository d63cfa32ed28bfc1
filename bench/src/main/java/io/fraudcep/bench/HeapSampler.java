package io.fraudcep.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Peak heap of one run. A daemon thread samples the used heap every 10 ms (the peak of the sum,
 * which per-pool peak counters cannot give), and the pools' post-GC usage gives the largest live
 * set a collection left behind, which does not depend on how lazily the collector runs.
 */
final class HeapSampler implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakUsed;
    private volatile long peakAfterGc;

    private HeapSampler() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool);
                pool.resetPeakUsage();
            }
        }
        thread = new Thread(this::loop, "bench-heap-sampler");
        thread.setDaemon(true);
    }

    /** Collects garbage left by earlier runs, then starts sampling. */
    static HeapSampler start() {
        System.gc();
        HeapSampler s = new HeapSampler();
        s.thread.start();
        return s;
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long used = memory.getHeapMemoryUsage().getUsed();
        if (used > peakUsed) {
            peakUsed = used;
        }
        long afterGc = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage u = pool.getCollectionUsage();
            if (u != null) {
                afterGc += u.getUsed();
            }
        }
        if (afterGc > peakAfterGc) {
            peakAfterGc = afterGc;
        }
    }

    /** Largest sampled heap use, bytes. */
    long peakUsed() {
        return peakUsed;
    }

    /** Largest heap use right after a collection, bytes (0 if none ran). */
    long peakAfterGc() {
        return peakAfterGc;
    }

    static long maxHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        sample();
    }
}
