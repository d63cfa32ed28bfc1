package io.fraudcep.bench;

import io.fraudcep.jobs.local.StateBackendProfile;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The keyed state backend every pipeline run of a bench uses ({@code --state-backend}): {@code
 * hashmap} and {@code rocksdb} as the cluster's profiles set them ({@link StateBackendProfile}),
 * {@code forst} (Flink's disaggregated-state backend) only where its classes are on the class path.
 */
enum BenchStateBackend {
    HASHMAP,
    ROCKSDB,
    FORST;

    /** The class whose presence tells that the ForSt backend can run. */
    static final String FORST_FACTORY = "org.apache.flink.state.forst.ForStStateBackendFactory";

    /** The name on the command line and in reports. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code --state-backend}; refuses a backend that cannot run here, saying why. */
    static BenchStateBackend parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (BenchStateBackend b : values()) {
            if (b.cliName().equals(v)) {
                if (b == FORST && !forstAvailable()) {
                    throw new IllegalArgumentException(
                            "forst is not available: "
                                    + FORST_FACTORY
                                    + " (org.apache.flink:flink-statebackend-forst) is not on the"
                                    + " bench's class path");
                }
                return b;
            }
        }
        throw new IllegalArgumentException(
                "must be one of hashmap|rocksdb|forst, not '" + value + "'");
    }

    static boolean forstAvailable() {
        try {
            Class.forName(FORST_FACTORY, false, BenchStateBackend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The backend's settings, as laid over a cluster's and a job's configuration. */
    Map<String, String> settings() {
        return switch (this) {
            case HASHMAP -> StateBackendProfile.HASHMAP.settings();
            case ROCKSDB -> StateBackendProfile.ROCKSDB.settings();
            case FORST ->
                    // ForSt with its files on local disk (no remote store), incremental as the
                    // RocksDB profile.
                    Map.of(
                            "state.backend.type", "forst",
                            "execution.checkpointing.incremental", "true");
        };
    }

    /** Lays the backend's settings over {@code conf} and returns it. */
    Configuration applyTo(Configuration conf) {
        settings().forEach(conf::setString);
        return conf;
    }
}
