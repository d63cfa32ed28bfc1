package io.fraudcep.jobs.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The keyed state backends a local MiniCluster (tests, the bench) can run the pipeline on, with the
 * settings of the cluster's own profile: {@code hashmap} as in {@code flink-conf/conf/config.yaml},
 * {@code rocksdb} as {@code flink-conf/conf/rocksdb.yaml} lays over it (that file, packaged into
 * this module's classes, not a copy of it).
 */
public enum StateBackendProfile {
    HASHMAP(null),
    ROCKSDB("flink-conf/rocksdb.yaml");

    private final String resource;

    StateBackendProfile(String resource) {
        this.resource = resource;
    }

    /** The profile named {@code name} ({@code hashmap} or {@code rocksdb}, any case). */
    public static StateBackendProfile named(String name) {
        for (StateBackendProfile p : values()) {
            if (p.cliName().equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown state backend '" + name + "' (expected hashmap or rocksdb)");
    }

    /** The name on the command line and in reports. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The profile's settings, in file order. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (resource == null) {
            settings.put("state.backend.type", "hashmap");
            return settings;
        }
        try (InputStream in =
                StateBackendProfile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "profile " + resource + " is not on the class path");
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode()) {
                    throw new IllegalStateException(
                            resource + ": " + e.getKey() + " must be a flat key with a value");
                }
                settings.put(e.getKey(), e.getValue().asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        return settings;
    }

    /**
     * The managed memory (RocksDB's block cache and write buffers) each slot of a local MiniCluster
     * gets on RocksDB: what one slot of the cluster's TaskManager gets with this profile (the 2560m
     * process size of config.yaml at the managed fraction 0.4: about 820 MB over its 4 slots).
     * Without it a MiniCluster has Flink's default for local execution, 128 MB for all its slots.
     */
    public static final MemorySize LOCAL_MANAGED_MEMORY_PER_SLOT = MemorySize.parse("200m");

    /**
     * Lays the profile's settings over {@code conf} and returns it. On RocksDB, unless {@code conf}
     * sizes managed memory itself, a local MiniCluster built from it gets {@link
     * #LOCAL_MANAGED_MEMORY_PER_SLOT} per slot (its {@code taskmanager.numberOfTaskSlots}, or one
     * per core as a local environment has); a cluster ignores the key in a job's configuration.
     */
    public Configuration applyTo(Configuration conf) {
        settings().forEach(conf::setString);
        if (this == ROCKSDB && !conf.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)) {
            int slots =
                    conf.getOptional(TaskManagerOptions.NUM_TASK_SLOTS)
                            .orElse(Runtime.getRuntime().availableProcessors());
            conf.set(
                    TaskManagerOptions.MANAGED_MEMORY_SIZE,
                    LOCAL_MANAGED_MEMORY_PER_SLOT.multiply(slots));
        }
        return conf;
    }
}
