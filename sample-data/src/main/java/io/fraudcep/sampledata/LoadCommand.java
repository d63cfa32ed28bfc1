package io.fraudcep.sampledata;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The {@code load} command: writes a log directory into Kafka topics with {@link LogLoader}.
 *
 * <pre>
 * load --input DIR --bootstrap-servers HOST:PORT [--logins-topic T] [--transactions-topic T]
 *      [--account-changes-topic T] [--kafka-properties FILE] [--create-topics [--partitions N]]
 *      [--progress-every N]
 * </pre>
 *
 * Exit status 0 if every line was sent, 3 if some were skipped, 2 on a usage error (the message
 * names the option), 1 if the load failed.
 */
public final class LoadCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "Usage: load --input DIR --bootstrap-servers HOST:PORT [options]",
                    "Writes user-logins.jsonl, user-transactions.jsonl and",
                    "user-account-changes.jsonl of DIR into their Kafka topics: key = userId,",
                    "timestamp = the event's timestamp, value = the line unchanged (lines that",
                    "break the event contract are sent too). Empty or oversized lines are",
                    "reported and skipped.",
                    "",
                    "  --input DIR                 log directory (required)",
                    "  --bootstrap-servers H:P     Kafka bootstrap servers (required)",
                    "  --logins-topic T            default user-logins",
                    "  --transactions-topic T      default user-transactions",
                    "  --account-changes-topic T   default user-account-changes",
                    "  --kafka-properties FILE     extra client settings (security, ...);",
                    "                              idempotence and acks=all are always on",
                    "  --create-topics             create missing topics (retention.ms=-1:",
                    "                              records carry historical timestamps)",
                    "  --partitions N              partitions of created topics (default 4)",
                    "  --progress-every N          progress line every N records (default"
                            + " 100000, 0: none)",
                    "  --help                      print this help");

    private LoadCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Validated arguments of the command. */
    record Options(
            Path input,
            String bootstrapServers,
            TopicNames topics,
            Path kafkaProperties,
            boolean createTopics,
            int partitions,
            long progressEvery) {}

    /** Runs the command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        Properties client;
        try {
            options = parse(args);
            if (options == null) {
                out.println(USAGE);
                return 0;
            }
            client = clientProperties(options);
        } catch (IllegalArgumentException e) {
            err.println("load: " + e.getMessage());
            err.println("Try --help.");
            return 2;
        }
        try {
            if (options.createTopics()) {
                TopicNames t = options.topics();
                Properties admin = new Properties();
                admin.putAll(client);
                EmbeddedKafka.createTopics(
                        admin,
                        options.partitions(),
                        Map.of("retention.ms", "-1"),
                        t.logins(),
                        t.transactions(),
                        t.accountChanges());
                out.println("load: topics ready (" + options.partitions() + " partitions)");
            }
            LoadReport report =
                    LogLoader.load(
                            options.input(),
                            client,
                            options.topics(),
                            options.progressEvery(),
                            out);
            for (LoadReport.TopicLoad t : report.topics().values()) {
                out.printf(
                        "load: %s: %d lines, %d sent, %d skipped%n",
                        t.topic(), t.lines(), t.sent(), t.skipped());
                for (String problem : t.problems()) {
                    err.println("load: skipped " + problem);
                }
            }
            out.printf(
                    "load: %d records sent in %.1f s%n",
                    report.sent(), report.elapsed().toMillis() / 1000.0);
            return report.skipped() == 0 ? 0 : 3;
        } catch (IOException | RuntimeException e) {
            err.println("load: failed: " + e);
            return 1;
        }
    }

    /**
     * Parses and validates the arguments; null if help was asked for.
     *
     * @throws IllegalArgumentException with a message naming the option at fault
     */
    static Options parse(String[] args) {
        Path input = null;
        String bootstrap = null;
        TopicNames defaults = TopicNames.defaults();
        String logins = defaults.logins();
        String transactions = defaults.transactions();
        String changes = defaults.accountChanges();
        Path properties = null;
        boolean create = false;
        Integer partitions = null;
        long progressEvery = 100_000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help":
                case "-h":
                    return null;
                case "--input":
                    input = Path.of(GenerateCommand.value(args, ++i, a));
                    break;
                case "--bootstrap-servers":
                    bootstrap = GenerateCommand.value(args, ++i, a);
                    if (!bootstrap.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
                        throw new IllegalArgumentException(
                                a + " must be HOST:PORT[,HOST:PORT...], not '" + bootstrap + "'");
                    }
                    break;
                case "--logins-topic":
                    logins = GenerateCommand.value(args, ++i, a);
                    break;
                case "--transactions-topic":
                    transactions = GenerateCommand.value(args, ++i, a);
                    break;
                case "--account-changes-topic":
                    changes = GenerateCommand.value(args, ++i, a);
                    break;
                case "--kafka-properties":
                    properties = Path.of(GenerateCommand.value(args, ++i, a));
                    if (!Files.isRegularFile(properties)) {
                        throw new IllegalArgumentException(
                                a + " " + properties + " is not a readable file");
                    }
                    break;
                case "--create-topics":
                    create = true;
                    break;
                case "--partitions":
                    partitions = GenerateCommand.parseInt(a, GenerateCommand.value(args, ++i, a));
                    if (partitions < 1 || partitions > 10_000) {
                        throw new IllegalArgumentException(
                                a + " must be between 1 and 10000, not " + partitions);
                    }
                    break;
                case "--progress-every":
                    progressEvery =
                            GenerateCommand.parseLong(a, GenerateCommand.value(args, ++i, a));
                    if (progressEvery < 0) {
                        throw new IllegalArgumentException(a + " must be 0 or more");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (input == null) {
            throw new IllegalArgumentException("--input DIR is required");
        }
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException("--input " + input + " is not a directory");
        }
        if (bootstrap == null) {
            throw new IllegalArgumentException("--bootstrap-servers HOST:PORT is required");
        }
        if (partitions != null && !create) {
            throw new IllegalArgumentException("--partitions needs --create-topics");
        }
        return new Options(
                input,
                bootstrap,
                new TopicNames(logins, transactions, changes),
                properties,
                create,
                partitions == null ? 4 : partitions,
                progressEvery);
    }

    private static Properties clientProperties(Options options) {
        Properties props = new Properties();
        if (options.kafkaProperties() != null) {
            try (InputStream in = Files.newInputStream(options.kafkaProperties())) {
                props.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--kafka-properties " + options.kafkaProperties() + ": " + e.getMessage());
            }
        }
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        return props;
    }
}
