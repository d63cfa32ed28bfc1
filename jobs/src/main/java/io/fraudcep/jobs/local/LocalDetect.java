package io.fraudcep.jobs.local;

import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.options.Option;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/fraud detect}: runs {@link DetectionJob} on a Flink MiniCluster inside this JVM, which
 * listens on loopback only unless {@code --bind-address} opens it and keeps keyed state where
 * {@code --state-backend} says (see {@link LocalCluster}). Takes every option of {@link
 * DetectionJob} plus these two.
 *
 * <p>The job jar's main class stays {@link DetectionJob}: submitted with {@code flink run}, the job
 * runs with the cluster's configuration and nothing here applies.
 */
public final class LocalDetect {

    /** The options of the local cluster, taken out of the job's arguments. */
    private static final List<Option<?>> LOCAL_OPTIONS =
            List.of(LocalCluster.BIND_ADDRESS, LocalCluster.STATE_BACKEND);

    private LocalDetect() {}

    public static void main(String[] args) throws Exception {
        if (Options.wantsHelp(args)) {
            System.out.println(localOptions().help());
            DetectionJob.main(new String[] {"--help"});
            return;
        }
        Split split;
        DetectionJob.Config config;
        try {
            split = split(args);
            config = DetectionJob.Config.parse(split.jobArgs());
        } catch (UsageException e) {
            System.err.println("detect: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.err.println(
                LocalCluster.isWildcard(split.bindAddress())
                        ? "detect: the local Flink MiniCluster listens on every interface"
                                + " (--bind-address "
                                + split.bindAddress()
                                + ")"
                        : "detect: the local Flink MiniCluster listens on "
                                + split.bindAddress()
                                + " only (--bind-address to change)");
        System.err.println(
                "detect: keyed state in "
                        + split.stateBackend().cliName()
                        + (split.stateBackend() == StateBackendProfile.ROCKSDB
                                ? " (the settings of flink-conf/conf/rocksdb.yaml)"
                                : " (--state-backend rocksdb for RocksDB)"));
        DetectionJob.run(
                LocalCluster.environment(split.bindAddress(), split.stateBackend()), config);
    }

    /**
     * The local cluster's settings and the arguments left for {@link DetectionJob}.
     *
     * @param bindAddress where the MiniCluster listens
     * @param stateBackend where the MiniCluster keeps keyed state
     * @param jobArgs the job's own arguments, in their order
     */
    record Split(String bindAddress, StateBackendProfile stateBackend, String[] jobArgs) {}

    /**
     * Takes the local options ({@code --bind-address ADDR}, {@code --state-backend NAME}, or with
     * {@code =}) out of the arguments.
     */
    static Split split(String[] args) {
        List<String> local = new ArrayList<>();
        List<String> job = new ArrayList<>();
        List<String> names = LOCAL_OPTIONS.stream().map(option -> "--" + option.name()).toList();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (names.contains(a)) {
                local.add(a);
                if (i + 1 < args.length) {
                    local.add(args[++i]);
                }
            } else if (names.stream().anyMatch(name -> a.startsWith(name + "="))) {
                local.add(a);
            } else {
                job.add(a);
            }
        }
        Options.Parsed o = localOptions().parse(local.toArray(new String[0]));
        return new Split(
                o.get(LocalCluster.BIND_ADDRESS),
                o.get(LocalCluster.STATE_BACKEND),
                job.toArray(new String[0]));
    }

    private static Options localOptions() {
        return new Options(
                "bin/fraud detect",
                "Runs DetectionJob on a Flink MiniCluster in this JVM. Takes every option of"
                        + " DetectionJob (below) and:",
                LOCAL_OPTIONS);
    }
}
