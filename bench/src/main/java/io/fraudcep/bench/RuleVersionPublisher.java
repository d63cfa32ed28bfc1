package io.fraudcep.bench;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a {@link RuleVersionPlan} on the control topic while a job runs, each version when the
 * job has read its share of the log ({@link RuleVersionPlan.Version#publishAt()}) and effective
 * from an instant placed around the job's watermark at that moment ({@link
 * RuleVersionPlan#effectiveFrom}), one at a time and acknowledged, as {@code bin/fraud rules
 * publish} writes them (key = rule id).
 */
final class RuleVersionPublisher implements Runnable {

    private final Properties producer;
    private final String topic;
    private final List<RuleVersionPlan.Version> plan;
    private final LongSupplier read;
    private final long records;
    private final LongSupplier watermark;
    private final EventTimeQuantiles eventTime;
    private final long[] publishedNanos;
    private volatile boolean stop;
    private volatile int published;
    private volatile Exception failure;

    /**
     * @param bootstrap the brokers
     * @param topic the control topic
     * @param plan the versions
     * @param read how many records of the log the job has read so far
     * @param records the records of the log
     * @param watermark the job's watermark (epoch ms), {@link Long#MIN_VALUE} before the first
     * @param eventTime where the log's records lie in event time
     */
    RuleVersionPublisher(
            String bootstrap,
            String topic,
            List<RuleVersionPlan.Version> plan,
            LongSupplier read,
            long records,
            LongSupplier watermark,
            EventTimeQuantiles eventTime) {
        this.producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.topic = topic;
        this.plan = List.copyOf(plan);
        this.read = read;
        this.records = records;
        this.watermark = watermark;
        this.eventTime = eventTime;
        this.publishedNanos = new long[plan.size()];
    }

    @Override
    public void run() {
        if (plan.isEmpty()) {
            return;
        }
        try (KafkaProducer<String, String> p = new KafkaProducer<>(producer)) {
            for (int i = 0; i < plan.size() && !stop; i++) {
                RuleVersionPlan.Version v = plan.get(i);
                long due = (long) Math.ceil(v.publishAt() * records);
                while (!stop && read.getAsLong() < due) {
                    Thread.sleep(5);
                }
                if (stop) {
                    return;
                }
                String value =
                        v.value(
                                RuleVersionPlan.effectiveFrom(
                                        v.offset(), eventTime, watermark.getAsLong()));
                p.send(new ProducerRecord<>(topic, v.ruleId(), value)).get(1, TimeUnit.MINUTES);
                publishedNanos[i] = System.nanoTime();
                published = i + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
        }
    }

    /** Ends the wait for versions not yet due. */
    void stop() {
        stop = true;
    }

    /** How many versions were written. */
    int published() {
        return published;
    }

    /** How many versions were written before {@code nanos} (System.nanoTime()). */
    int publishedBefore(long nanos) {
        int n = published;
        int before = 0;
        for (int i = 0; i < n; i++) {
            if (publishedNanos[i] - nanos < 0) {
                before++;
            }
        }
        return before;
    }

    /** How many versions were written between the two instants (System.nanoTime()). */
    int publishedBetween(long fromNanos, long toNanos) {
        int n = published;
        int between = 0;
        for (int i = 0; i < n; i++) {
            if (publishedNanos[i] - fromNanos >= 0 && publishedNanos[i] - toNanos <= 0) {
                between++;
            }
        }
        return between;
    }

    /** Why publishing failed, or null. */
    Exception failure() {
        return failure;
    }
}
