package io.fraudcep.jobs.local;

import io.fraudcep.jobs.DetectionJob;
import io.fraudcep.jobs.options.Options;
import io.fraudcep.jobs.options.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/fraud detect}: runs {@link DetectionJob} on a Flink MiniCluster inside this JVM, which
 * listens on loopback only unless {@code --bind-address} opens it (see {@link LocalCluster}). Takes
 * every option of {@link DetectionJob} plus {@code --bind-address}.
 *
 * <p>The job jar's main class stays {@link DetectionJob}: submitted with {@code flink run}, the job
 * runs with the cluster's configuration and nothing here applies.
 */
public final class LocalDetect {

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
        DetectionJob.run(LocalCluster.environment(split.bindAddress()), config);
    }

    /**
     * The bind address and the arguments left for {@link DetectionJob}.
     *
     * @param bindAddress where the MiniCluster listens
     * @param jobArgs the job's own arguments, in their order
     */
    record Split(String bindAddress, String[] jobArgs) {}

    /** Takes {@code --bind-address ADDR} (or {@code --bind-address=ADDR}) out of the arguments. */
    static Split split(String[] args) {
        List<String> local = new ArrayList<>();
        List<String> job = new ArrayList<>();
        String name = "--" + LocalCluster.BIND_ADDRESS.name();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals(name)) {
                local.add(a);
                if (i + 1 < args.length) {
                    local.add(args[++i]);
                }
            } else if (a.startsWith(name + "=")) {
                local.add(a);
            } else {
                job.add(a);
            }
        }
        Options.Parsed o = localOptions().parse(local.toArray(new String[0]));
        return new Split(o.get(LocalCluster.BIND_ADDRESS), job.toArray(new String[0]));
    }

    private static Options localOptions() {
        return new Options(
                "bin/fraud detect",
                "Runs DetectionJob on a Flink MiniCluster in this JVM. Takes every option of"
                        + " DetectionJob (below) and:",
                List.of(LocalCluster.BIND_ADDRESS));
    }
}
