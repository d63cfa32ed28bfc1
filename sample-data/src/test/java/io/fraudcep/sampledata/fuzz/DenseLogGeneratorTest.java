package io.fraudcep.sampledata.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.fraudcep.model.EventCodec;
import io.fraudcep.model.EventType;
import io.fraudcep.model.ParseResult;
import io.fraudcep.model.UserEvent;
import io.fraudcep.sampledata.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dense log is deterministic, valid, bounded in disorder, full of the hard cases it promises,
 * and makes the reference find every pattern.
 */
class DenseLogGeneratorTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static final Pattern TIMESTAMP =
            Pattern.compile(
                    "\"timestamp\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\"");
    private static final Pattern AMOUNT = Pattern.compile("\"amount\":\"\\d+\\.\\d\\d\"");

    private static DenseLog log;

    @BeforeAll
    static void generateTheDefaultLog() {
        log = DenseLogGenerator.generate(1);
    }

    @Test
    void theSameSeedGivesIdenticalBytes(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        log.write(a);
        DenseLogGenerator.generate(1).write(b);
        for (Topic topic : Topic.values()) {
            Path fa = a.resolve(topic.fileName());
            assertThat(Files.size(fa)).isPositive();
            assertThat(Files.mismatch(fa, b.resolve(topic.fileName()))).isEqualTo(-1L);
        }
    }

    @Test
    void differentSeedsGiveDifferentLogs() {
        DenseLog one = DenseLogGenerator.generate(2, 20);
        DenseLog two = DenseLogGenerator.generate(3, 20);
        for (Topic topic : Topic.values()) {
            assertThat(jsons(one, topic)).isNotEqualTo(jsons(two, topic));
        }
        assertThat(jsons(one, Topic.LOGINS))
                .isEqualTo(jsons(DenseLogGenerator.generate(2, 20), Topic.LOGINS));
    }

    @Test
    void theDefaultLogHasAFewHundredUsersOfAboutOneHundredAndSeventyEvents() {
        Map<String, Long> perUser =
                log.events().stream()
                        .collect(Collectors.groupingBy(UserEvent::userId, Collectors.counting()));
        assertThat(perUser).hasSizeBetween(300, 400);
        assertThat(log.size()).isBetween(45_000, 75_000);
        assertThat(perUser.values()).allSatisfy(n -> assertThat(n).isBetween(150L, 220L));
        assertThat(log.events())
                .extracting(UserEvent::type)
                .containsAll(EnumSet.allOf(EventType.class));
        assertThat(log.events().stream().map(UserEvent::timestamp).min(Instant::compareTo))
                .hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(DenseLogGenerator.START));
    }

    @Test
    void everyLineParsesBackToItsEventInTheFileOfItsTopic() {
        for (Topic topic : Topic.values()) {
            for (DenseLog.Line line : log.lines(topic)) {
                ParseResult parsed = EventCodec.parse(line.json());
                assertThat(parsed.isAccepted()).as(line.json()).isTrue();
                assertThat(wireFields(parsed.event()))
                        .as(line.json())
                        .isEqualTo(wireFields(line.event()));
                assertThat(Topic.of(line.event().type())).isEqualTo(topic);
                assertThat(TIMESTAMP.matcher(line.json()).find()).as(line.json()).isTrue();
                if (topic == Topic.TRANSACTIONS) {
                    assertThat(AMOUNT.matcher(line.json()).find()).as(line.json()).isTrue();
                }
            }
        }
    }

    @Test
    void theReferenceGivesTheSameAlertsFromTheFiles(@TempDir Path dir) throws IOException {
        DenseLog small = DenseLogGenerator.generate(5, 60);
        small.write(dir);
        List<UserEvent> parsed = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            for (String line : Files.readAllLines(dir.resolve(topic.fileName()))) {
                parsed.add(EventCodec.parse(line).event());
            }
        }
        List<RefAlert> fromFiles = ContractReference.detect(parsed);
        assertThat(fromFiles).isNotEmpty().isEqualTo(ContractReference.detect(small.events()));
    }

    @Test
    void linesAreInEventTimeOrderUpToFourSeconds() {
        for (Topic topic : Topic.values()) {
            Instant latest = Instant.MIN;
            Duration worst = Duration.ZERO;
            int behind = 0;
            for (UserEvent e : log.events(topic)) {
                if (e.timestamp().isBefore(latest)) {
                    behind++;
                    Duration lag = Duration.between(e.timestamp(), latest);
                    worst = lag.compareTo(worst) > 0 ? lag : worst;
                } else {
                    latest = e.timestamp();
                }
            }
            System.out.printf(
                    "%s: %d lines, %d behind a later event, by at most %s%n",
                    topic, log.lines(topic).size(), behind, worst);
            assertThat(worst).as(topic.name()).isLessThanOrEqualTo(Duration.ofSeconds(4));
            assertThat(worst).as(topic.name()).isGreaterThan(Duration.ofSeconds(3));
            assertThat(behind).as(topic.name()).isGreaterThan(100);
        }
    }

    @Test
    void holdsProducerRetries() {
        int exactRepeats = 0;
        for (Topic topic : Topic.values()) {
            Set<String> seen = new HashSet<>();
            for (DenseLog.Line line : log.lines(topic)) {
                exactRepeats += seen.add(line.json()) ? 0 : 1;
            }
        }
        Map<String, TreeSet<Instant>> timesById = new HashMap<>();
        Map<String, Set<List<Object>>> contentById = new HashMap<>();
        for (UserEvent e : log.events()) {
            timesById.computeIfAbsent(e.eventId(), k -> new TreeSet<>()).add(e.timestamp());
            List<Object> content = new ArrayList<>(wireFields(e));
            content.remove(3); // the timestamp
            contentById.computeIfAbsent(e.eventId(), k -> new HashSet<>()).add(content);
        }
        assertThat(contentById.values())
                .as("an eventId is one event, re-sent at most with another timestamp")
                .allSatisfy(contents -> assertThat(contents).hasSize(1));
        int within = 0;
        int exactlyADay = 0;
        int later = 0;
        for (TreeSet<Instant> times : timesById.values()) {
            Instant first = times.first();
            for (Instant t : times.tailSet(first, false)) {
                Duration gap = Duration.between(first, t);
                within += gap.compareTo(DAY) < 0 ? 1 : 0;
                exactlyADay += gap.equals(DAY) ? 1 : 0;
                later += gap.compareTo(DAY) > 0 ? 1 : 0;
            }
        }
        System.out.printf(
                "retries: %d exact repeats, eventId re-used with a new time: %d within 24 h,"
                        + " %d exactly 24 h, %d later%n",
                exactRepeats, within, exactlyADay, later);
        assertThat(exactRepeats).isGreaterThan(300);
        assertThat(within).isGreaterThan(50);
        assertThat(exactlyADay).isGreaterThan(5);
        assertThat(later).isGreaterThan(20);
    }

    @Test
    void holdsTiesAndGapsOfEverySize() {
        int sameMillis = 0;
        int crossTopicSameInstant = 0;
        int oneMilli = 0;
        Map<String, Integer> idle = new TreeMap<>();
        for (List<UserEvent> events : byUser().values()) {
            for (int i = 1; i < events.size(); i++) {
                UserEvent prev = events.get(i - 1);
                UserEvent e = events.get(i);
                if (prev.eventId().equals(e.eventId())) {
                    continue;
                }
                Duration gap = Duration.between(prev.timestamp(), e.timestamp());
                sameMillis += prev.timestampMillis() == e.timestampMillis() ? 1 : 0;
                crossTopicSameInstant +=
                        gap.isZero() && Topic.of(prev.type()) != Topic.of(e.type()) ? 1 : 0;
                oneMilli += gap.equals(Duration.ofMillis(1)) ? 1 : 0;
                String bucket = idleBucket(gap);
                if (bucket != null) {
                    idle.merge(bucket, 1, Integer::sum);
                }
            }
        }
        System.out.printf(
                "ties: %d at the same millisecond, %d same instant on two topics, %d 1 ms"
                        + " apart; idle gaps: %s%n",
                sameMillis, crossTopicSameInstant, oneMilli, idle);
        assertThat(sameMillis).isGreaterThan(500);
        assertThat(crossTopicSameInstant).isGreaterThan(50);
        assertThat(oneMilli).isGreaterThan(50);
        assertThat(idle)
                .containsKeys(
                        "89d..90d",
                        "exactly 90d",
                        "90d..101d",
                        "179d..180d",
                        "exactly 180d",
                        "180d..181d");
    }

    @Test
    void holdsThresholdAmountsCoordinatesDevicesAndTimestampForms() {
        Set<Long> amounts =
                log.events().stream()
                        .map(UserEvent::amountCents)
                        .filter(a -> a != null)
                        .collect(Collectors.toSet());
        assertThat(amounts).containsAll(Arrays.stream(DenseUser.EDGE_AMOUNTS).boxed().toList());

        List<UserEvent> logins = log.events(Topic.LOGINS);
        assertThat(logins).anyMatch(e -> e.lat() == null).anyMatch(e -> e.lat() != null);
        assertThat(logins).anyMatch(e -> e.deviceId().contains("-nd"));
        Set<String> countries =
                logins.stream()
                        .filter(e -> e.lat() != null)
                        .map(UserEvent::country)
                        .collect(Collectors.toSet());
        assertThat(countries).contains("FR", "US", "JP", "AU");

        Set<Integer> fractionDigits = new TreeSet<>();
        for (Topic topic : Topic.values()) {
            for (DenseLog.Line line : log.lines(topic)) {
                Matcher m = TIMESTAMP.matcher(line.json());
                m.find();
                fractionDigits.add(m.group(1) == null ? 0 : m.group(1).length() - 1);
            }
        }
        assertThat(fractionDigits).contains(0, 3, 6, 9).hasSizeGreaterThan(6);
    }

    @Test
    void theReferenceFindsEveryPatternOnTheDefaultLog() {
        long start = System.nanoTime();
        ContractReference.Detection d = ContractReference.analyse(log.events());
        long millis = (System.nanoTime() - start) / 1_000_000;
        Map<String, Long> perPattern =
                new TreeMap<>(
                        d.alerts().stream()
                                .collect(
                                        Collectors.groupingBy(
                                                RefAlert::patternId, Collectors.counting())));
        System.out.printf(
                "seed 1: %d lines, %d accepted, %d duplicates dropped, %d alerts in %d ms: %s%n",
                log.size(),
                d.acceptedEvents(),
                d.duplicatesDropped(),
                d.alerts().size(),
                millis,
                perPattern);
        assertThat(perPattern.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(ContractReference.Pattern.values())
                                .map(ContractReference.Pattern::id)
                                .toList());
        assertThat(perPattern.values()).allSatisfy(n -> assertThat(n).isGreaterThan(20L));
    }

    private static Map<String, List<UserEvent>> byUser() {
        Map<String, List<UserEvent>> byUser = new HashMap<>();
        for (UserEvent e : log.events()) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        byUser.values().forEach(l -> l.sort(ContractReference.ORDER));
        return byUser;
    }

    private static String idleBucket(Duration gap) {
        Duration d90 = Duration.ofDays(90);
        Duration d180 = Duration.ofDays(180);
        if (gap.equals(d90)) {
            return "exactly 90d";
        }
        if (gap.equals(d180)) {
            return "exactly 180d";
        }
        if (within(gap, Duration.ofDays(89), d90)) {
            return "89d..90d";
        }
        if (within(gap, d90, Duration.ofDays(101))) {
            return "90d..101d";
        }
        if (within(gap, Duration.ofDays(179), d180)) {
            return "179d..180d";
        }
        if (within(gap, d180, Duration.ofDays(181))) {
            return "180d..181d";
        }
        return null;
    }

    private static boolean within(Duration gap, Duration from, Duration to) {
        return gap.compareTo(from) >= 0 && gap.compareTo(to) <= 0;
    }

    private static List<String> jsons(DenseLog l, Topic topic) {
        return l.lines(topic).stream().map(DenseLog.Line::json).toList();
    }

    /** The fields of events.md (everything but where a record was read). */
    private static List<Object> wireFields(UserEvent e) {
        return Arrays.asList(
                e.eventId(),
                e.userId(),
                e.type(),
                e.timestamp(),
                e.deviceId(),
                e.ip(),
                e.country(),
                e.lat(),
                e.lon(),
                e.channel(),
                e.amountCents(),
                e.currency(),
                e.counterpartyId(),
                e.cardId(),
                e.merchantId(),
                e.mcc(),
                e.payeeId());
    }
}
