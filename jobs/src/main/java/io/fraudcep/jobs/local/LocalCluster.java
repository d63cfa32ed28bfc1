package io.fraudcep.jobs.local;

import io.fraudcep.jobs.options.Option;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink configuration of the MiniCluster that {@code bin/fraud detect} and {@code bin/fraud
 * demo} start inside their own JVM, listening on one address only: loopback unless {@code
 * --bind-address} says otherwise.
 *
 * <p>Left to its defaults, a local environment's MiniCluster binds its REST API and its blob server
 * on every interface, so anyone who can reach the machine could list, cancel or upload to the job.
 * The settings below bind every socket of the MiniCluster to one address: the REST endpoint ({@code
 * rest.bind-address}), the blob server and the JobManager's RPC ({@code jobmanager.bind-host}), the
 * TaskManager's RPC and data exchange ({@code taskmanager.bind-host}). A job submitted to a cluster
 * with {@code flink run} never uses this class: the cluster's own configuration decides there.
 *
 * <p>Its keyed state backend is {@code --state-backend}'s {@link StateBackendProfile}: the heap, or
 * RocksDB with the settings of the cluster's profile {@code flink-conf/conf/rocksdb.yaml}.
 */
public final class LocalCluster {

    /** The default bind address: IPv4 loopback. */
    public static final String LOOPBACK = "127.0.0.1";

    /** {@code --bind-address}: where the local MiniCluster listens. */
    public static final Option<String> BIND_ADDRESS =
            Option.custom(
                    "bind-address",
                    "ADDR",
                    LOOPBACK,
                    "address the local Flink MiniCluster (REST API, blob server, RPC, data"
                            + " exchange) listens on; 0.0.0.0 opens it to every interface",
                    LocalCluster::checkAddress);

    /** {@code --state-backend}: where the local MiniCluster keeps keyed state. */
    public static final Option<StateBackendProfile> STATE_BACKEND =
            Option.choice(
                    "state-backend",
                    StateBackendProfile.class,
                    StateBackendProfile.HASHMAP,
                    "keyed state backend of the local Flink MiniCluster: hashmap (on the heap) or"
                            + " rocksdb (with the settings of flink-conf/conf/rocksdb.yaml)");

    private LocalCluster() {}

    /**
     * The configuration that binds the local MiniCluster to {@code bindAddress}. Where the bind
     * address is a wildcard (0.0.0.0, ::), the cluster's components still reach each other and
     * advertise themselves on loopback.
     */
    public static Configuration configuration(String bindAddress) {
        return configuration(bindAddress, StateBackendProfile.HASHMAP);
    }

    /**
     * The configuration that binds the local MiniCluster to {@code bindAddress}, with the settings
     * of the state backend {@code stateBackend}.
     */
    public static Configuration configuration(
            String bindAddress, StateBackendProfile stateBackend) {
        String advertised = isWildcard(bindAddress) ? LOOPBACK : bindAddress;
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, bindAddress);
        conf.set(RestOptions.ADDRESS, advertised);
        conf.set(JobManagerOptions.BIND_HOST, bindAddress);
        conf.set(JobManagerOptions.ADDRESS, advertised);
        conf.set(TaskManagerOptions.BIND_HOST, bindAddress);
        conf.set(TaskManagerOptions.HOST, advertised);
        return stateBackend.applyTo(conf);
    }

    /** A local environment whose MiniCluster listens on {@code bindAddress} only. */
    public static LocalStreamEnvironment environment(String bindAddress) {
        return environment(bindAddress, StateBackendProfile.HASHMAP);
    }

    /**
     * A local environment whose MiniCluster listens on {@code bindAddress} only and keeps keyed
     * state in {@code stateBackend}.
     */
    public static LocalStreamEnvironment environment(
            String bindAddress, StateBackendProfile stateBackend) {
        return StreamExecutionEnvironment.createLocalEnvironment(
                configuration(bindAddress, stateBackend));
    }

    /** Whether {@code address} is a wildcard (0.0.0.0, ::): every interface. */
    public static boolean isWildcard(String address) {
        try {
            return InetAddress.getByName(address).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String checkAddress(String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(v);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve '" + v + "'");
        }
        try {
            // Fail here, naming the option, rather than with a BindException inside Flink.
            if (!address.isAnyLocalAddress()
                    && !address.isLoopbackAddress()
                    && NetworkInterface.getByInetAddress(address) == null) {
                String resolved =
                        v.equals(address.getHostAddress())
                                ? ""
                                : " (" + address.getHostAddress() + ")";
                throw new IllegalArgumentException(
                        "'" + v + "'" + resolved + " is not an address of this machine");
            }
        } catch (SocketException e) {
            throw new IllegalArgumentException("cannot list the network interfaces: " + e);
        }
        return v;
    }
}
