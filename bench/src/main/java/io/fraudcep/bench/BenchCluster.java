package io.fraudcep.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.metrics.MetricRegistryConfiguration;
import org.apache.flink.runtime.metrics.MetricRegistryImpl;
import org.apache.flink.runtime.metrics.ReporterSetup;
import org.apache.flink.runtime.metrics.filter.ReporterFilter;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One local Flink MiniCluster (one TaskManager with as many slots as the parallelism) shared by
 * every run of a bench, and the environments that submit jobs to it. Sharing the cluster keeps its
 * start-up out of the measured time and gives every run the same slots, memory and JIT.
 *
 * <p>The state backend of {@link BenchStateBackend} (heap unless asked), filesystem checkpoint
 * storage under the work directory (the default in-memory storage caps state at 5 MB), no restarts:
 * a failing run fails the bench. Its only metric reporter is {@link LiveCounters}, which the bench
 * reads while a job runs.
 */
public final class BenchCluster implements AutoCloseable {

    private static final String TARGET = "bench-minicluster";

    private final Cluster cluster;
    private final Configuration jobDefaults;
    private final LiveCounters counters = new LiveCounters();
    private final BenchStateBackend backend;

    /**
     * @param parallelism slots of the TaskManager
     * @param checkpointDir checkpoint and savepoint directory
     * @param watermarkInterval {@code pipeline.auto-watermark-interval}, or null for Flink's
     *     default (200 ms)
     * @param bufferTimeout {@code execution.buffer-timeout.interval}, or null for Flink's default
     *     (100 ms)
     */
    public BenchCluster(
            int parallelism, Path checkpointDir, Duration watermarkInterval, Duration bufferTimeout)
            throws Exception {
        this(
                parallelism,
                checkpointDir,
                watermarkInterval,
                bufferTimeout,
                BenchStateBackend.HASHMAP);
    }

    /**
     * @param backend the keyed state backend of the cluster and of every job submitted to it
     */
    BenchCluster(
            int parallelism,
            Path checkpointDir,
            Duration watermarkInterval,
            Duration bufferTimeout,
            BenchStateBackend backend)
            throws Exception {
        this.backend = backend;
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        // A random REST port: 8081 may belong to someone's standalone cluster.
        conf.set(RestOptions.BIND_PORT, "0");
        backend.applyTo(conf);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, checkpointDir.toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        cluster =
                new Cluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(parallelism)
                                .build());
        cluster.start();

        jobDefaults = new Configuration();
        jobDefaults.set(DeploymentOptions.TARGET, TARGET);
        jobDefaults.set(DeploymentOptions.ATTACHED, true);
        jobDefaults.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        jobDefaults.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
        jobDefaults.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // A job's own state backend settings override the cluster's: set them on both.
        backend.applyTo(jobDefaults);
        if (watermarkInterval != null) {
            jobDefaults.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, watermarkInterval);
        }
        if (bufferTimeout != null) {
            jobDefaults.set(ExecutionOptions.BUFFER_TIMEOUT, bufferTimeout);
        }
    }

    /**
     * The DetectionJob's own {@code --watermark-interval} and {@code --buffer-timeout} (which
     * override the cluster's) for the bench's settings of the same names; none where the bench
     * leaves them to their defaults, so the job runs with its own.
     */
    static List<String> detectionJobArgs(Duration watermarkInterval, Duration bufferTimeout) {
        List<String> args = new ArrayList<>();
        if (watermarkInterval != null) {
            args.addAll(List.of("--watermark-interval", watermarkInterval.toMillis() + "ms"));
        }
        if (bufferTimeout != null) {
            args.addAll(List.of("--buffer-timeout", bufferTimeout.toMillis() + "ms"));
        }
        return args;
    }

    /** A fresh environment whose jobs run on this cluster. */
    public StreamExecutionEnvironment environment() {
        return new StreamExecutionEnvironment(
                new Loader(), new Configuration(jobDefaults), BenchCluster.class.getClassLoader());
    }

    /** The keyed state backend of every job on this cluster. */
    BenchStateBackend backend() {
        return backend;
    }

    /** A fresh environment whose jobs run on this cluster, with {@code extra} laid over. */
    StreamExecutionEnvironment environment(Configuration extra) {
        Configuration conf = new Configuration(jobDefaults);
        conf.addAll(extra);
        return new StreamExecutionEnvironment(
                new Loader(), conf, BenchCluster.class.getClassLoader());
    }

    MiniCluster miniCluster() {
        return cluster;
    }

    /** The operator counters of the jobs on this cluster, live. */
    LiveCounters counters() {
        return counters;
    }

    private static boolean allRunning(AccessExecutionGraph graph) {
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            if (v.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    /** Waits until every task of the job is RUNNING (sources assigned, operators open). */
    void awaitAllTasksRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get(10, TimeUnit.SECONDS);
            if (graph.getState().isGloballyTerminalState()) {
                throw new IllegalStateException(
                        "job " + job + " ended before it ran: " + graph.getState());
            }
            if (allRunning(graph)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job + " not running after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Watches for the next job submitted to this cluster and notes when all its tasks run, so a
     * run's rate can leave out scheduling, deployment and operator start-up (about a second, a
     * fifth of the limit's run). Start it before submitting the job.
     */
    StartWatcher watchNextJob() throws Exception {
        return new StartWatcher();
    }

    /** See {@link #watchNextJob()}. */
    final class StartWatcher implements AutoCloseable {
        private final java.util.Set<JobID> before = new java.util.HashSet<>();
        private final Thread thread;
        private volatile long allRunningNanos = -1;
        private volatile boolean stop;

        private StartWatcher() throws Exception {
            cluster.listJobs().get(10, TimeUnit.SECONDS).forEach(j -> before.add(j.getJobId()));
            thread = new Thread(this::watch, "bench-start-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        private void watch() {
            try {
                JobID job = null;
                while (!stop && job == null) {
                    for (var j : cluster.listJobs().get(10, TimeUnit.SECONDS)) {
                        if (!before.contains(j.getJobId())) {
                            job = j.getJobId();
                        }
                    }
                    Thread.sleep(5);
                }
                while (!stop) {
                    AccessExecutionGraph graph =
                            cluster.getExecutionGraph(job).get(10, TimeUnit.SECONDS);
                    if (graph.getState().isGloballyTerminalState()) {
                        return;
                    }
                    if (allRunning(graph)) {
                        allRunningNanos = System.nanoTime();
                        return;
                    }
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                // No start time: the run is timed from its submission.
            }
        }

        /** System.nanoTime() when all tasks of the job ran, or -1 if not seen. */
        long allRunningNanos() {
            return allRunningNanos;
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(10_000);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }

    /** The statistics of a running job's checkpoints, as the web UI shows them. */
    CheckpointStatsSnapshot checkpointStats(JobID job) throws Exception {
        return cluster.checkpointStats(job);
    }

    /** The MiniCluster with {@link LiveCounters} as its only reporter. */
    private final class Cluster extends MiniCluster {
        Cluster(MiniClusterConfiguration configuration) {
            super(configuration);
        }

        @Override
        protected MetricRegistryImpl createMetricRegistry(
                Configuration config, long maximumMessageSizeInBytes) {
            return new MetricRegistryImpl(
                    MetricRegistryConfiguration.fromConfiguration(
                            config, maximumMessageSizeInBytes),
                    List.of(
                            new ReporterSetup(
                                    "bench-live-counters",
                                    new MetricConfig(),
                                    counters,
                                    ReporterFilter.getNoOpFilter(),
                                    Map.of())));
        }

        CheckpointStatsSnapshot checkpointStats(JobID job) throws Exception {
            return getDispatcherGatewayFuture()
                    .thenCompose(g -> g.requestCheckpointStats(job, Duration.ofMinutes(1)))
                    .get(1, TimeUnit.MINUTES);
        }
    }

    /** Hands every pipeline to the shared cluster. */
    private final class Loader implements PipelineExecutorServiceLoader {
        @Override
        public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
            return new PipelineExecutorFactory() {
                @Override
                public String getName() {
                    return TARGET;
                }

                @Override
                public boolean isCompatibleWith(Configuration c) {
                    return true;
                }

                @Override
                public PipelineExecutor getExecutor(Configuration c) {
                    return BenchCluster.this::submit;
                }
            };
        }

        @Override
        public Stream<String> getExecutorNames() {
            return Stream.of(TARGET);
        }
    }

    private CompletableFuture<JobClient> submit(
            Pipeline pipeline, Configuration configuration, ClassLoader classLoader)
            throws Exception {
        StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, configuration);
        if (graph.getSavepointRestoreSettings() == null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.none());
        }
        return cluster.submitJob(graph)
                .thenApply(
                        result ->
                                new MiniClusterJobClient(
                                        result.getJobID(),
                                        cluster,
                                        classLoader,
                                        MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
    }
}
