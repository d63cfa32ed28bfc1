package io.fraudcep.bench;

import io.fraudcep.model.EventCodec;
import io.fraudcep.model.EventType;
import io.fraudcep.model.UserEvent;
import io.fraudcep.sampledata.Topic;
import io.fraudcep.sampledata.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A live, rate-limited synthetic load for the latency bench: events stamped with the wall clock at
 * the moment they are sent, each user's events in order (one producer thread, key = user id,
 * non-decreasing timestamps).
 *
 * <p>The background is many users' ordinary actions, round-robin, so each user acts every {@code
 * users / rate} seconds (10 s at the defaults), cycling through logins from one device and place,
 * card payments of 10 to 200, deposits below 5000, transfers in below 1500, transfers out below
 * 900, address changes and payee additions, and a failed login once every 64 actions: none of the
 * default rules (rules-default.yaml) can fire on it. Every {@code burstEvery} a fraud burst for a
 * fresh user is scheduled, cycling through four of those rules; each triggers within about two
 * seconds:
 *
 * <ul>
 *   <li>VELOCITY: 10 card payments of 20 to 60, 200 ms apart (trigger: the 10th);
 *   <li>BRUTE_FORCE_LOGIN: 5 failed logins 150 ms apart, then a successful one;
 *   <li>CARD_TESTING: 3 card payments below 5.00, then one of 800.00, 200 ms apart;
 *   <li>NEW_PAYEE_DRAIN: a payee added, then 6000.00 transferred to it 300 ms later.
 * </ul>
 *
 * Bursts are sent when due, in place of background events, so the total rate stays fixed.
 */
final class LiveLoad implements Runnable {

    private static final String[] BURST_KINDS = {
        "VELOCITY", "BRUTE_FORCE_LOGIN", "CARD_TESTING", "NEW_PAYEE_DRAIN"
    };

    private final String bootstrap;
    private final TopicNames topics;
    private final int rate;
    private final int users;
    private final Duration burstEvery;
    private final Duration burstsFor;
    private final Duration total;
    private final SplittableRandom rng = new SplittableRandom(7);

    private final ArrayDeque<Scheduled> due = new ArrayDeque<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong bursts = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stop;
    private long lastMillis;
    private long background;

    /**
     * @param rate events per second, background and bursts together
     * @param users background users
     * @param burstEvery interval between two bursts
     * @param burstsFor bursts start only in this first part of the run
     * @param total duration of the whole load
     */
    LiveLoad(
            String bootstrap,
            TopicNames topics,
            int rate,
            int users,
            Duration burstEvery,
            Duration burstsFor,
            Duration total) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.rate = rate;
        this.users = users;
        this.burstEvery = burstEvery;
        this.burstsFor = burstsFor;
        this.total = total;
    }

    long sent() {
        return sent.get();
    }

    long bursts() {
        return bursts.get();
    }

    Exception failure() {
        return failure.get();
    }

    void stop() {
        stop = true;
    }

    @Override
    public void run() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // A live producer: send at once rather than wait to fill batches.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            long start = System.nanoTime();
            long nanosPerEvent = 1_000_000_000L / rate;
            long nextBurst = start;
            long burstsUntil = start + burstsFor.toNanos();
            long end = start + total.toNanos();
            while (!stop) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (now >= nextBurst && nextBurst < burstsUntil) {
                    scheduleBurst(now);
                    nextBurst += burstEvery.toNanos();
                }
                long owed = (now - start) / nanosPerEvent + 1 - sent.get();
                for (long i = 0; i < owed; i++) {
                    UserEvent e = next(System.nanoTime());
                    producer.send(
                            new ProducerRecord<>(
                                    topics.of(Topic.of(e.type())),
                                    e.userId(),
                                    EventCodec.toJson(e)),
                            (m, error) -> {
                                if (error != null) {
                                    failure.compareAndSet(null, error);
                                }
                            });
                    sent.incrementAndGet();
                }
                LockSupport.parkNanos(200_000);
            }
            producer.flush();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** The next event: a due burst event if any, otherwise the next background action. */
    private UserEvent next(long nowNanos) {
        Instant now = nowMillis();
        Scheduled s = due.peek();
        if (s != null && s.atNanos <= nowNanos) {
            due.poll();
            return s.build(now);
        }
        return backgroundEvent(now);
    }

    /** Wall-clock milliseconds, never going backwards: per-user order follows. */
    private Instant nowMillis() {
        lastMillis = Math.max(lastMillis, System.currentTimeMillis());
        return Instant.ofEpochMilli(lastMillis);
    }

    private UserEvent backgroundEvent(Instant now) {
        long n = background++;
        int u = (int) (n % users);
        long round = n / users;
        String user = "bg" + u;
        String id = user + "-" + round;
        int step = (int) ((round + u) % 8);
        UserEvent.Builder b;
        switch (step) {
            case 0, 4 -> b = login(id, user, now, EventType.LOGIN_SUCCESS, u);
            case 7 ->
                    b =
                            login(
                                    id,
                                    user,
                                    now,
                                    (round / 8) % 8 == u % 8
                                            ? EventType.LOGIN_FAILURE
                                            : EventType.LOGIN_SUCCESS,
                                    u);
            case 1 ->
                    b =
                            UserEvent.builder(id, user, EventType.CARD_PAYMENT, now)
                                    .amountCents(1_000 + rng.nextInt(19_000))
                                    .currency("EUR")
                                    .cardId("card-" + user)
                                    .merchantId("m-" + rng.nextInt(5_000))
                                    .mcc("5411");
            case 2 ->
                    b =
                            UserEvent.builder(id, user, EventType.DEPOSIT, now)
                                    .amountCents(10_000 + rng.nextInt(490_000))
                                    .currency("EUR");
            case 3 ->
                    b =
                            UserEvent.builder(id, user, EventType.TRANSFER_IN, now)
                                    .amountCents(5_000 + rng.nextInt(145_000))
                                    .currency("EUR")
                                    .counterpartyId("acc-" + rng.nextInt(100_000));
            case 5 ->
                    b =
                            UserEvent.builder(id, user, EventType.TRANSFER_OUT, now)
                                    .amountCents(5_000 + rng.nextInt(85_000))
                                    .currency("EUR")
                                    .counterpartyId("acc-" + rng.nextInt(100_000));
            default ->
                    b =
                            (round / 8) % 2 == 0
                                    ? UserEvent.builder(id, user, EventType.ADDRESS_CHANGE, now)
                                    : UserEvent.builder(id, user, EventType.PAYEE_ADDED, now)
                                            .payeeId("payee-" + rng.nextInt(100_000));
        }
        return b.build();
    }

    private static UserEvent.Builder login(
            String id, String user, Instant now, EventType type, int u) {
        // One device and one place per user: no new device, no travel.
        return UserEvent.builder(id, user, type, now)
                .deviceId("dev-" + user)
                .ip("10.0." + (u % 250) + "." + (u / 250 % 250))
                .country("DE")
                .coordinates(48.0 + (u % 100) / 100.0, 11.0 + (u % 97) / 100.0)
                .channel("app");
    }

    private void scheduleBurst(long nowNanos) {
        long n = bursts.getAndIncrement();
        String kind = BURST_KINDS[(int) (n % BURST_KINDS.length)];
        String user = "fraud" + n;
        long ms = 1_000_000L;
        switch (kind) {
            case "VELOCITY" -> {
                for (int i = 0; i < 10; i++) {
                    int k = i;
                    add(
                            nowNanos + i * 200 * ms,
                            at ->
                                    UserEvent.builder(
                                                    user + "-v" + k,
                                                    user,
                                                    EventType.CARD_PAYMENT,
                                                    at)
                                            .amountCents(2_000 + k * 400L)
                                            .currency("EUR")
                                            .cardId("card-" + user)
                                            .merchantId("m-v")
                                            .build());
                }
            }
            case "BRUTE_FORCE_LOGIN" -> {
                for (int i = 0; i < 6; i++) {
                    int k = i;
                    EventType type = k < 5 ? EventType.LOGIN_FAILURE : EventType.LOGIN_SUCCESS;
                    add(
                            nowNanos + i * 150 * ms,
                            at ->
                                    login(user + "-b" + k, user, at, type, 7)
                                            .deviceId("dev-attacker")
                                            .build());
                }
            }
            case "CARD_TESTING" -> {
                for (int i = 0; i < 4; i++) {
                    int k = i;
                    add(
                            nowNanos + i * 200 * ms,
                            at ->
                                    UserEvent.builder(
                                                    user + "-c" + k,
                                                    user,
                                                    EventType.CARD_PAYMENT,
                                                    at)
                                            .amountCents(k < 3 ? 100 + k * 50L : 80_000)
                                            .currency("EUR")
                                            .cardId("card-" + user)
                                            .merchantId("m-c")
                                            .build());
                }
            }
            default -> {
                add(
                        nowNanos,
                        at ->
                                UserEvent.builder(user + "-p0", user, EventType.PAYEE_ADDED, at)
                                        .payeeId("mule-" + user)
                                        .build());
                add(
                        nowNanos + 300 * ms,
                        at ->
                                UserEvent.builder(user + "-p1", user, EventType.TRANSFER_OUT, at)
                                        .amountCents(600_000)
                                        .currency("EUR")
                                        .counterpartyId("mule-" + user)
                                        .build());
            }
        }
    }

    private void add(long atNanos, java.util.function.Function<Instant, UserEvent> event) {
        // Keep the queue ordered by due time: bursts overlap.
        Scheduled s = new Scheduled(atNanos, event);
        if (due.isEmpty() || due.peekLast().atNanos <= atNanos) {
            due.addLast(s);
            return;
        }
        ArrayDeque<Scheduled> tail = new ArrayDeque<>();
        while (!due.isEmpty() && due.peekLast().atNanos > atNanos) {
            tail.addFirst(due.pollLast());
        }
        due.addLast(s);
        due.addAll(tail);
    }

    private record Scheduled(long atNanos, java.util.function.Function<Instant, UserEvent> event) {
        UserEvent build(Instant now) {
            return event.apply(now);
        }
    }
}
