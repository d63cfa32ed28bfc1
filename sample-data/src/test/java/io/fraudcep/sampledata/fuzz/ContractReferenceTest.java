package io.fraudcep.sampledata.fuzz;

import static io.fraudcep.sampledata.fuzz.RefEvents.BRUSSELS;
import static io.fraudcep.sampledata.fuzz.RefEvents.NEW_YORK;
import static io.fraudcep.sampledata.fuzz.RefEvents.PARIS;
import static io.fraudcep.sampledata.fuzz.RefEvents.T0;
import static io.fraudcep.sampledata.fuzz.RefEvents.TOKYO;
import static io.fraudcep.sampledata.fuzz.RefEvents.alerts;
import static io.fraudcep.sampledata.fuzz.RefEvents.card;
import static io.fraudcep.sampledata.fuzz.RefEvents.change;
import static io.fraudcep.sampledata.fuzz.RefEvents.days;
import static io.fraudcep.sampledata.fuzz.RefEvents.deposit;
import static io.fraudcep.sampledata.fuzz.RefEvents.deviceRegistered;
import static io.fraudcep.sampledata.fuzz.RefEvents.failure;
import static io.fraudcep.sampledata.fuzz.RefEvents.hours;
import static io.fraudcep.sampledata.fuzz.RefEvents.min;
import static io.fraudcep.sampledata.fuzz.RefEvents.ms;
import static io.fraudcep.sampledata.fuzz.RefEvents.payeeAdded;
import static io.fraudcep.sampledata.fuzz.RefEvents.sec;
import static io.fraudcep.sampledata.fuzz.RefEvents.success;
import static io.fraudcep.sampledata.fuzz.RefEvents.transferIn;
import static io.fraudcep.sampledata.fuzz.RefEvents.transferOut;
import static io.fraudcep.sampledata.fuzz.RefEvents.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fraudcep.model.EventCodec;
import io.fraudcep.model.EventType;
import io.fraudcep.model.ParseResult;
import io.fraudcep.model.UserEvent;
import io.fraudcep.sampledata.Fixtures;
import io.fraudcep.sampledata.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The oracle checked on hand-made scenarios at every boundary of patterns.md, on suppression and
 * de-duplication, and on the contract's worked example.
 */
class ContractReferenceTest {

    private static final String BF = ContractReference.BRUTE_FORCE_LOGIN;
    private static final String ATO = ContractReference.ACCOUNT_TAKEOVER;
    private static final String CT = ContractReference.CARD_TESTING;
    private static final String IT = ContractReference.IMPOSSIBLE_TRAVEL;
    private static final String VEL = ContractReference.VELOCITY;
    private static final String STR = ContractReference.STRUCTURING;
    private static final String MULE = ContractReference.MONEY_MULE;
    private static final String DORM = ContractReference.DORMANT_ACCOUNT;
    private static final String DRAIN = ContractReference.NEW_PAYEE_DRAIN;

    @Test
    void findsExactlyTheAlertsOfTheContractExample() throws Exception {
        Path dir = Fixtures.contractExample();
        List<UserEvent> events = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            for (String line : Files.readAllLines(dir.resolve(topic.fileName()))) {
                ParseResult p = EventCodec.parse(line);
                if (p.isAccepted()) {
                    events.add(p.event());
                }
            }
        }
        List<String> found =
                ContractReference.detect(events).stream()
                        .map(
                                a ->
                                        a.userId()
                                                + " "
                                                + a.patternId()
                                                + " "
                                                + a.detectedAt()
                                                + " "
                                                + a.triggerEventId())
                        .toList();

        ObjectMapper json = new ObjectMapper();
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(Fixtures.EXPECTED_ALERTS_FILE))) {
            JsonNode n = json.readTree(line);
            expected.add(
                    n.get("userId").asText()
                            + " "
                            + n.get("patternId").asText()
                            + " "
                            + Instant.parse(n.get("detectedAt").asText())
                            + " "
                            + n.get("triggerEventId").asText());
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void alertsCarryWindowStartDetectedAtAndOrderedEventIds() {
        List<RefAlert> a =
                alerts(
                        BF,
                        success("s", min(10), "d0"),
                        failure("f5", min(4)),
                        failure("f1", min(0).plus(ms(1))),
                        failure("f2", min(1)),
                        failure("f3", min(2)),
                        failure("f4", min(3)));

        assertThat(a)
                .containsExactly(
                        new RefAlert(
                                "u-1",
                                BF,
                                T0.plus(ms(1)),
                                T0.plus(min(10)),
                                List.of("f1", "f2", "f3", "f4", "f5", "s")));
    }

    @Nested
    class BruteForceLogin {
        private List<UserEvent> failures(int n, Duration from) {
            return IntStream.range(0, n)
                    .mapToObj(i -> failure("f" + i, from.plus(min(i))))
                    .toList();
        }

        private List<UserEvent> with(List<UserEvent> events, UserEvent... more) {
            List<UserEvent> all = new ArrayList<>(events);
            all.addAll(List.of(more));
            return all;
        }

        @Test
        void fiveFailuresThenASuccessJustUnderTenMinutesLater() {
            List<RefAlert> a =
                    alerts(BF, with(failures(5, min(0)), success("s", min(10).minus(ms(1)), "d0")));
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).containsExactly("f0", "f1", "f2", "f3", "f4", "s");
        }

        @Test
        void theFirstFailureExactlyTenMinutesBeforeIsOutsideTheWindow() {
            assertThat(alerts(BF, with(failures(5, min(0)), success("s", min(10), "d0"))))
                    .isEmpty();
            List<RefAlert> six = alerts(BF, with(failures(6, min(0)), success("s", min(10), "d0")));
            assertThat(six).hasSize(1);
            assertThat(six.get(0).windowStart()).isEqualTo(T0.plus(min(1)));
            assertThat(six.get(0).eventIds()).hasSize(6).doesNotContain("f0");
        }

        @Test
        void fourFailuresOrFailuresAfterTheSuccessDoNotCount() {
            assertThat(alerts(BF, with(failures(4, min(0)), success("s", min(5), "d0")))).isEmpty();
            assertThat(
                            alerts(
                                    BF,
                                    with(
                                            failures(4, min(0)),
                                            success("s", min(5), "d0"),
                                            failure("late", min(6)))))
                    .isEmpty();
        }
    }

    @Nested
    class AccountTakeover {
        private final UserEvent history = success("h", days(-1), "d-old");

        @Test
        void newDeviceLoginThenCredentialChangeThenLargeTransferJustInside() {
            List<RefAlert> a =
                    alerts(
                            ATO,
                            history,
                            success("L", min(0), "d-new"),
                            change("C", min(1), EventType.MFA_DISABLED),
                            transferOut("T", min(30).minus(ms(1)), "1000.00"));
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).containsExactly("L", "C", "T");
            assertThat(a.get(0).windowStart()).isEqualTo(T0);
        }

        @Test
        void nearMisses() {
            UserEvent login = success("L", min(0), "d-new");
            UserEvent change = change("C", min(1), EventType.PASSWORD_CHANGE);
            assertThat(alerts(ATO, history, login, change, transferOut("T", min(5), "999.99")))
                    .as("amount below 1000.00")
                    .isEmpty();
            assertThat(alerts(ATO, history, login, change, transferOut("T", min(30), "5000")))
                    .as("30 min apart")
                    .isEmpty();
            assertThat(
                            alerts(
                                    ATO,
                                    history,
                                    login,
                                    change("C", min(1), EventType.ADDRESS_CHANGE),
                                    transferOut("T", min(5), "5000")))
                    .as("address change is not a credential change")
                    .isEmpty();
            assertThat(
                            alerts(
                                    ATO,
                                    history,
                                    change("C", min(-1), EventType.EMAIL_CHANGE),
                                    login,
                                    transferOut("T", min(5), "5000")))
                    .as("change before the login")
                    .isEmpty();
            assertThat(alerts(ATO, login, change, transferOut("T", min(5), "5000")))
                    .as("a first login ever is not from a new device")
                    .isEmpty();
            assertThat(
                            alerts(
                                    ATO,
                                    failure("h", days(-1)),
                                    login,
                                    change,
                                    transferOut("T", min(5), "5000")))
                    .as("failures are not earlier logins")
                    .isEmpty();
        }

        @Test
        void aDeviceLastSeenExactly180DaysAgoIsNewAgain() {
            UserEvent change = change("C", min(1), EventType.PHONE_CHANGE);
            UserEvent transfer = transferOut("T", min(5), "1000.00");
            UserEvent login = success("L", min(0), "d-back");
            assertThat(
                            alerts(
                                    ATO,
                                    success("old", days(-180), "d-back"),
                                    history,
                                    login,
                                    change,
                                    transfer))
                    .hasSize(1);
            assertThat(
                            alerts(
                                    ATO,
                                    success("old", days(-180).plus(ms(1)), "d-back"),
                                    history,
                                    login,
                                    change,
                                    transfer))
                    .isEmpty();
            assertThat(
                            alerts(
                                    ATO,
                                    success("old", days(-180).plus(ms(1)), "d-other"),
                                    login,
                                    change,
                                    transfer))
                    .as("one earlier login within 180 days is enough")
                    .hasSize(1);
            assertThat(alerts(ATO, success("old", days(-180), "d-other"), login, change, transfer))
                    .as("no earlier login within 180 days: not new")
                    .isEmpty();
        }

        @Test
        void aRegisteredDeviceIsStillNew() {
            assertThat(
                            alerts(
                                    ATO,
                                    history,
                                    deviceRegistered("R", days(-2), "d-new"),
                                    success("L", min(0), "d-new"),
                                    change("C", min(1), EventType.PASSWORD_CHANGE),
                                    transferOut("T", min(5), "1000.00")))
                    .hasSize(1);
        }

        @Test
        void takesTheEarliestNewDeviceLoginAndTheFirstChangeAfterIt() {
            List<RefAlert> a =
                    alerts(
                            ATO,
                            history,
                            success("L1", min(0), "d-n1"),
                            success("L2", min(2), "d-n2"),
                            change("C1", min(3), EventType.PASSWORD_CHANGE),
                            change("C2", min(4), EventType.EMAIL_CHANGE),
                            transferOut("T", min(5), "1000.00"));
            assertThat(a.get(0).eventIds()).containsExactly("L1", "C1", "T");
        }

        @Test
        void atTheSameInstantTheEventIdDecidesTheOrder() {
            UserEvent transfer = transferOut("T", min(5), "1000.00");
            assertThat(
                            alerts(
                                    ATO,
                                    history,
                                    change("b-change", min(0), EventType.PASSWORD_CHANGE),
                                    success("a-login", min(0), "d-new"),
                                    transfer))
                    .hasSize(1);
            assertThat(
                            alerts(
                                    ATO,
                                    history,
                                    success("b-login", min(0), "d-new"),
                                    change("a-change", min(0), EventType.PASSWORD_CHANGE),
                                    transfer))
                    .isEmpty();
        }
    }

    @Nested
    class CardTesting {
        @Test
        void threeSmallPaymentsThenALargeOneJustInside() {
            List<RefAlert> a =
                    alerts(
                            CT,
                            card("s1", min(0), "4.99"),
                            card("s2", min(1), "0.01"),
                            card("s3", min(2), "4.99"),
                            card("big", min(15).minus(ms(1)), "500.00"));
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).containsExactly("s1", "s2", "s3", "big");
        }

        @Test
        void nearMisses() {
            assertThat(
                            alerts(
                                    CT,
                                    card("s1", min(0), "4.99"),
                                    card("s2", min(1), "5.00"),
                                    card("s3", min(2), "4.99"),
                                    card("big", min(3), "500.00")))
                    .as("5.00 is not small")
                    .isEmpty();
            assertThat(
                            alerts(
                                    CT,
                                    card("s1", min(0), "4.99"),
                                    card("s2", min(1), "4.99"),
                                    card("s3", min(2), "4.99"),
                                    card("big", min(3), "499.99")))
                    .as("499.99 is not large")
                    .isEmpty();
            assertThat(
                            alerts(
                                    CT,
                                    card("s1", min(0), "4.99"),
                                    card("s2", min(1), "4.99"),
                                    card("s3", min(2), "4.99"),
                                    card("big", min(15), "500.00")))
                    .as("15 min apart")
                    .isEmpty();
        }
    }

    @Nested
    class ImpossibleTravel {
        @Test
        void parisThenNewYorkFiveHoursLater() {
            List<RefAlert> a =
                    alerts(
                            IT,
                            success("p", min(0), "d0", PARIS),
                            success("e", hours(5), "d0", NEW_YORK));
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).containsExactly("p", "e");
        }

        @Test
        void tooSlowTooLateOrTooNear() {
            // Paris - New York is about 5837 km: 5 h 55 min is under 1000 km/h.
            assertThat(
                            alerts(
                                    IT,
                                    success("p", min(0), "d0", PARIS),
                                    success("e", min(355), "d0", NEW_YORK)))
                    .isEmpty();
            // Paris - Tokyo is about 9712 km: fast enough, but 6 h apart.
            assertThat(
                            alerts(
                                    IT,
                                    success("p", min(0), "d0", PARIS),
                                    success("e", hours(6), "d0", TOKYO)))
                    .isEmpty();
            assertThat(
                            alerts(
                                    IT,
                                    success("p", min(0), "d0", PARIS),
                                    success("e", hours(6).minus(ms(1)), "d0", TOKYO)))
                    .hasSize(1);
            assertThat(
                            alerts(
                                    IT,
                                    success("p", min(0), "d0", PARIS),
                                    success("e", min(0), "d0", BRUSSELS)))
                    .as("264 km, even at infinite speed")
                    .isEmpty();
        }

        @Test
        void aZeroGapIsInfiniteSpeed() {
            assertThat(
                            alerts(
                                    IT,
                                    success("a", min(0), "d0", PARIS),
                                    success("b", min(0), "d1", NEW_YORK)))
                    .hasSize(1);
        }

        @Test
        void theFiveHundredKilometreThreshold() {
            double[] justUnder = {PARIS[0] + Math.toDegrees(499.99 / 6371.0), PARIS[1]};
            double[] justOver = {PARIS[0] + Math.toDegrees(500.01 / 6371.0), PARIS[1]};
            assertThat(
                            alerts(
                                    IT,
                                    success("p", min(0), "d0", PARIS),
                                    success("e", min(1), "d0", justUnder)))
                    .isEmpty();
            assertThat(
                            alerts(
                                    IT,
                                    success("p", min(0), "d0", PARIS),
                                    success("e", min(1), "d0", justOver)))
                    .hasSize(1);
        }

        @Test
        void loginsWithoutCoordinatesAndFailuresAreSkipped() {
            List<RefAlert> a =
                    alerts(
                            IT,
                            success("p", min(0), "d0", PARIS),
                            success("nocoord", hours(1), "d0"),
                            failure("fail", hours(1), TOKYO),
                            success("e", hours(2), "d0", NEW_YORK));
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).containsExactly("p", "e");
            assertThat(
                            alerts(
                                    IT,
                                    success("p", days(-10), "d0", NEW_YORK),
                                    success("nocoord", min(-1), "d0"),
                                    success("e", min(0), "d0", PARIS)))
                    .as("the previous login with coordinates is 10 days old")
                    .isEmpty();
        }
    }

    @Nested
    class Velocity {
        @Test
        void tenOutgoingJustUnderFiveMinutes() {
            List<UserEvent> events = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                events.add(
                        i % 3 == 0
                                ? card("o" + i, sec(10 * i), "1.00")
                                : i % 3 == 1
                                        ? transferOut("o" + i, sec(10 * i), "10.00")
                                        : withdrawal("o" + i, sec(10 * i), "20.00"));
            }
            events.add(transferIn("in", sec(100), "50.00"));
            events.add(deposit("dep", sec(110), "50.00"));
            List<UserEvent> inside = new ArrayList<>(events);
            inside.add(card("o9", min(5).minus(ms(1)), "1.00"));
            List<UserEvent> outside = new ArrayList<>(events);
            outside.add(card("o9", min(5), "1.00"));

            List<RefAlert> a = alerts(VEL, inside);
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).hasSize(10).doesNotContain("in", "dep");
            assertThat(alerts(VEL, outside)).isEmpty();
        }
    }

    @Nested
    class Structuring {
        @Test
        void threeDepositsInRangeJustUnderADay() {
            List<RefAlert> a =
                    alerts(
                            STR,
                            deposit("d1", hours(0), "9000.00"),
                            deposit("d2", hours(10), "9999.99"),
                            deposit("d3", hours(24).minus(ms(1)), "9500.00"));
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).containsExactly("d1", "d2", "d3");
        }

        @Test
        void nearMisses() {
            assertThat(
                            alerts(
                                    STR,
                                    deposit("d1", hours(0), "9000.00"),
                                    deposit("d2", hours(10), "9999.99"),
                                    deposit("d3", hours(24), "9500.00")))
                    .isEmpty();
            assertThat(
                            alerts(
                                    STR,
                                    deposit("d1", hours(0), "8999.99"),
                                    deposit("d2", hours(1), "10000.00"),
                                    deposit("d3", hours(2), "9500.00"),
                                    deposit("d4", hours(3), "9500.00")))
                    .isEmpty();
        }
    }

    @Nested
    class MoneyMule {
        @Test
        void outflowsReachEightyPercentJustUnderTwoHours() {
            List<RefAlert> a =
                    alerts(
                            MULE,
                            transferOut("before", min(-1), "5000.00"),
                            transferIn("in", min(0), "2000.00"),
                            transferOut("o1", min(30), "1000.00"),
                            card("card", min(40), "900.00"),
                            withdrawal("o2", hours(2).minus(ms(1)), "600.00"));
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).containsExactly("in", "o1", "o2");
        }

        @Test
        void nearMisses() {
            assertThat(
                            alerts(
                                    MULE,
                                    transferIn("in", min(0), "2000.00"),
                                    transferOut("o1", min(30), "1000.00"),
                                    withdrawal("o2", min(31), "599.99")))
                    .isEmpty();
            assertThat(
                            alerts(
                                    MULE,
                                    transferIn("in", min(0), "2000.00"),
                                    transferOut("o1", min(30), "1000.00"),
                                    withdrawal("o2", hours(2), "600.00")))
                    .isEmpty();
            assertThat(
                            alerts(
                                    MULE,
                                    transferIn("in", min(0), "1999.99"),
                                    transferOut("o1", min(30), "1999.99")))
                    .isEmpty();
        }

        @Test
        void eightyPercentIsExactInCents() {
            // 80 % of 2000.01 is 1600.008: 1600.00 falls short, 1600.01 reaches it.
            assertThat(
                            alerts(
                                    MULE,
                                    transferIn("in", min(0), "2000.01"),
                                    transferOut("o", min(1), "1600.00")))
                    .isEmpty();
            assertThat(
                            alerts(
                                    MULE,
                                    transferIn("in", min(0), "2000.01"),
                                    transferOut("o", min(1), "1600.01")))
                    .hasSize(1);
        }

        @Test
        void takesTheEarliestTransferInThatIsReached() {
            List<RefAlert> a =
                    alerts(
                            MULE,
                            transferIn("in1", min(0), "3000.00"),
                            transferIn("in2", min(10), "2000.00"),
                            transferOut("o1", min(20), "1600.00"));
            assertThat(a.get(0).eventIds()).containsExactly("in2", "o1");
            List<RefAlert> both =
                    alerts(
                            MULE,
                            transferIn("in1", min(0), "3000.00"),
                            transferIn("in2", min(10), "2000.00"),
                            transferOut("o1", min(20), "2400.00"));
            assertThat(both.get(0).eventIds()).containsExactly("in1", "o1");
        }

        @Test
        void anOutflowOrderedBeforeTheTransferInDoesNotCount() {
            assertThat(
                            alerts(
                                    MULE,
                                    transferIn("b", min(0), "2000.00"),
                                    transferOut("a", min(0), "1600.00")))
                    .isEmpty();
            assertThat(
                            alerts(
                                    MULE,
                                    transferIn("a", min(0), "2000.00"),
                                    transferOut("b", min(0), "1600.00")))
                    .hasSize(1);
        }
    }

    @Nested
    class DormantAccount {
        @Test
        void exactlyNinetyDaysIdleThenALoginAndAnOutflowJustUnderAnHour() {
            List<RefAlert> a =
                    alerts(
                            DORM,
                            deposit("h", min(0), "10.00"),
                            success("L", days(90), "d0"),
                            withdrawal("W", days(90).plus(hours(1)).minus(ms(1)), "1000.00"));
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).containsExactly("L", "W");
        }

        @Test
        void nearMisses() {
            UserEvent history = deposit("h", min(0), "10.00");
            assertThat(
                            alerts(
                                    DORM,
                                    history,
                                    success("L", days(90).minus(ms(1)), "d0"),
                                    transferOut("T", days(90).plus(min(1)), "1000.00")))
                    .as("idle 1 ms short of 90 days")
                    .isEmpty();
            assertThat(
                            alerts(
                                    DORM,
                                    history,
                                    success("L", days(90), "d0"),
                                    transferOut("T", days(90).plus(hours(1)), "1000.00")))
                    .as("1 h after the login")
                    .isEmpty();
            assertThat(
                            alerts(
                                    DORM,
                                    history,
                                    success("L", days(90), "d0"),
                                    transferOut("T", days(90).plus(min(1)), "999.99")))
                    .isEmpty();
            assertThat(
                            alerts(
                                    DORM,
                                    success("L", days(90), "d0"),
                                    transferOut("T", days(90).plus(min(1)), "5000.00")))
                    .as("no history")
                    .isEmpty();
            assertThat(
                            alerts(
                                    DORM,
                                    history,
                                    failure("F", days(100)),
                                    success("L", days(100).plus(min(1)), "d0"),
                                    transferOut("T", days(100).plus(min(2)), "5000.00")))
                    .as("the login's previous event is the failure a minute earlier")
                    .isEmpty();
        }
    }

    @Nested
    class NewPayeeDrain {
        @Test
        void payeeAddedThenALargeTransferToItJustUnderTenMinutes() {
            List<RefAlert> a =
                    alerts(
                            DRAIN,
                            payeeAdded("P", min(0), "acct-9"),
                            payeeAdded("P2", min(1), "acct-9"),
                            transferOut("T", min(10).minus(ms(1)), "5000.00", "acct-9"));
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).containsExactly("P", "T");
        }

        @Test
        void nearMisses() {
            UserEvent added = payeeAdded("P", min(0), "acct-9");
            assertThat(alerts(DRAIN, added, transferOut("T", min(1), "4999.99", "acct-9")))
                    .isEmpty();
            assertThat(alerts(DRAIN, added, transferOut("T", min(1), "5000.00", "acct-8")))
                    .isEmpty();
            assertThat(alerts(DRAIN, added, transferOut("T", min(10), "5000.00", "acct-9")))
                    .isEmpty();
        }

        @Test
        void atTheSameInstantThePayeeMustComeFirstInEventIdOrder() {
            assertThat(
                            alerts(
                                    DRAIN,
                                    payeeAdded("a", min(0), "acct-9"),
                                    transferOut("b", min(0), "5000.00", "acct-9")))
                    .hasSize(1);
            assertThat(
                            alerts(
                                    DRAIN,
                                    payeeAdded("c", min(0), "acct-9"),
                                    transferOut("b", min(0), "5000.00", "acct-9")))
                    .isEmpty();
        }
    }

    @Nested
    class Suppression {
        @Test
        void theVelocityExampleOfAlertsMd() {
            List<UserEvent> payments = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                payments.add(card(String.format("p%02d", i), sec(7L * i), "1.00"));
            }
            List<RefAlert> a = alerts(VEL, payments);
            assertThat(a)
                    .extracting(RefAlert::detectedAt)
                    .containsExactly(T0.plus(sec(63)), T0.plus(sec(364)));
            assertThat(a.get(0).eventIds()).hasSize(10);
            assertThat(a.get(1).windowStart()).isEqualTo(T0.plus(sec(70)));
        }

        @Test
        void aLaterTriggerInsideTheWindowOfASuppressedMatchStillAlerts() {
            List<RefAlert> a =
                    alerts(
                            CT,
                            card("a1", min(-3), "1.00"),
                            card("a2", min(-2), "1.00"),
                            card("a3", min(-1), "1.00"),
                            card("a4", min(0), "600.00"),
                            card("b1", min(12), "1.00"),
                            card("b2", min(12).plus(sec(10)), "2.00"),
                            card("b3", min(12).plus(sec(20)), "3.00"),
                            card("b4", min(13), "9500.00"),
                            card("b5", min(25), "2000.00"));
            assertThat(a).extracting(RefAlert::detectedAt).containsExactly(T0, T0.plus(min(25)));
            assertThat(a.get(1).eventIds()).containsExactly("b1", "b2", "b3", "b5");
        }

        @Test
        void isPerPattern() {
            // One event completes CARD_TESTING and VELOCITY: both alert.
            List<UserEvent> events = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                events.add(card("s" + i, sec(i), "1.00"));
            }
            events.add(card("big", sec(10), "700.00"));
            assertThat(ContractReference.detect(events))
                    .extracting(RefAlert::patternId)
                    .containsExactly(CT, VEL);
        }
    }

    @Nested
    class Deduplication {
        @Test
        void aRetryWithinADayCountsOnce() {
            List<UserEvent> events = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                events.add(failure("f" + i, min(i)));
            }
            events.add(failure("f3", min(3)));
            events.add(failure("f2", min(5)));
            events.add(success("s", min(6), "d0"));
            ContractReference.Detection d = ContractReference.analyse(events);
            assertThat(d.alerts()).isEmpty();
            assertThat(d.duplicatesDropped()).isEqualTo(2);
            assertThat(d.acceptedEvents()).isEqualTo(5);
        }

        @Test
        void anEventIdReusedADayLaterCountsAgain() {
            List<RefAlert> a =
                    alerts(
                            STR,
                            deposit("x", hours(0), "9500.00"),
                            deposit("x", hours(24), "9500.00"),
                            deposit("y", hours(25), "9500.00"),
                            deposit("z", hours(26), "9500.00"));
            assertThat(a).hasSize(1);
            assertThat(a.get(0).eventIds()).containsExactly("x", "y", "z");
            assertThat(a.get(0).windowStart()).isEqualTo(T0.plus(hours(24)));

            assertThat(
                            ContractReference.analyse(
                                            List.of(
                                                    deposit("x", hours(0), "9500.00"),
                                                    deposit(
                                                            "x",
                                                            hours(24).minus(ms(1)),
                                                            "9500.00")))
                                    .duplicatesDropped())
                    .isEqualTo(1);
        }

        @Test
        void theHorizonCountsFromTheLastAcceptedNotTheLastSeen() {
            ContractReference.Detection d =
                    ContractReference.analyse(
                            List.of(
                                    deposit("x", hours(0), "1.00"),
                                    deposit("x", hours(23), "1.00"),
                                    deposit("x", hours(46), "1.00")));
            assertThat(d.acceptedEvents()).isEqualTo(2);
            assertThat(d.duplicatesDropped()).isEqualTo(1);
        }

        @Test
        void inputOrderDoesNotMatter() {
            List<UserEvent> events = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                events.add(card("c" + i, sec(i / 3), i % 4 == 3 ? "800.00" : "1.00"));
                events.add(card("c" + i, sec(i / 3), i % 4 == 3 ? "800.00" : "1.00"));
            }
            List<RefAlert> forward = ContractReference.detect(events);
            Collections.reverse(events);
            assertThat(ContractReference.detect(events)).isEqualTo(forward).isNotEmpty();
        }
    }
}
