package io.fraudcep.sampledata.fuzz.rules;

import io.fraudcep.model.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Generates random valid rule files (rules.md, YAML) for differential tests of the rule engine
 * against {@link RuleReference}: 1 to 6 rules of 1 to 4 steps over the event types the dense log
 * generator emits, with quantifiers, {@code where} conditions on amounts (on and around the dense
 * log's thresholds), devices, payees, counterparties and the facts, references to earlier steps,
 * {@code having} with sum, count, distinct, min and max, absent steps in the middle and at the end
 * (with {@code for}), strict contiguity, windows from 30 s to 6 h, {@code $params} and the modes.
 * Deterministic: the same seed gives the same text.
 *
 * <p>At most two steps of a rule are repeated, so that the exhaustive search of the reference stays
 * quick on dense logs.
 */
public final class RandomRules {

    private static final String[] WINDOWS = {
        "30s", "45s", "1m", "2m", "5m", "10m", "15m", "30m", "1h", "2h", "6h", "PT20M", "90s"
    };
    private static final String[] FORS = {"30s", "1m", "2m", "5m", "10m", "30m", "1h", "PT15M"};
    private static final String[] QUIET = {"1s", "30s", "1m", "10m", "1h", "1d", "90d"};

    /** Thresholds of the dense log, ascending. */
    private static final String[] AMOUNTS = {
        "0.01", "4.99", "5.00", "500.00", "1000.00", "2000.00", "5000.00", "9000.00", "10000.00"
    };

    private static final String[] RATIOS = {"0.50", "0.80", "1.00", "1.5"};
    private static final String[] SEVERITIES = {"LOW", "MEDIUM", "HIGH", "CRITICAL"};
    private static final int MAX_REPEATED = 2;

    /** What a step can be: its types, its name prefix, what its events carry and its weight. */
    private enum Kind {
        LOGIN_OK("login", 18, EventType.LOGIN_SUCCESS),
        LOGIN_FAIL("fail", 10, EventType.LOGIN_FAILURE),
        LOGIN_ANY("auth", 3, EventType.LOGIN_SUCCESS, EventType.LOGIN_FAILURE),
        CARD("card", 12, EventType.CARD_PAYMENT),
        TRANSFER_OUT("xfer", 10, EventType.TRANSFER_OUT),
        TRANSFER_IN("income", 6, EventType.TRANSFER_IN),
        DEPOSIT("deposit", 6, EventType.DEPOSIT),
        WITHDRAWAL("cash", 5, EventType.WITHDRAWAL),
        OUTFLOW("out", 6, EventType.TRANSFER_OUT, EventType.WITHDRAWAL),
        OUTGOING("spend", 5, EventType.CARD_PAYMENT, EventType.TRANSFER_OUT, EventType.WITHDRAWAL),
        INFLOW("credit", 2, EventType.TRANSFER_IN, EventType.DEPOSIT),
        CREDENTIAL(
                "change",
                5,
                EventType.PASSWORD_CHANGE,
                EventType.EMAIL_CHANGE,
                EventType.PHONE_CHANGE,
                EventType.MFA_DISABLED),
        MFA("mfa", 2, EventType.MFA_DISABLED),
        PAYEE("payee", 6, EventType.PAYEE_ADDED),
        DEVICE("device", 2, EventType.DEVICE_REGISTERED),
        ADDRESS("address", 2, EventType.ADDRESS_CHANGE);

        final String prefix;
        final int weight;
        final List<EventType> types;

        Kind(String prefix, int weight, EventType... types) {
            this.prefix = prefix;
            this.weight = weight;
            this.types = List.of(types);
        }

        boolean all(EventType.Family family) {
            return types.stream().allMatch(t -> t.family() == family);
        }

        boolean amount() {
            return all(EventType.Family.TRANSACTION);
        }

        boolean counterparty() {
            return types.stream()
                    .allMatch(t -> t == EventType.TRANSFER_OUT || t == EventType.TRANSFER_IN);
        }

        boolean device() {
            return all(EventType.Family.LOGIN) || this == DEVICE;
        }

        boolean login() {
            return all(EventType.Family.LOGIN);
        }

        /** newDevice is a fact of successful logins (patterns.md). */
        boolean loginSuccess() {
            return this == LOGIN_OK;
        }

        String yamlType() {
            if (types.size() == 1) {
                return types.get(0).name();
            }
            return "[" + String.join(", ", types.stream().map(Enum::name).toList()) + "]";
        }
    }

    /** A present step, as later expressions may name it. */
    private record Seen(String name, Kind kind, boolean repeated) {}

    private final SplittableRandom rnd;

    private RandomRules(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    /** A random valid rule file: YAML text of 1 to 6 rules. */
    public static String generate(long seed) {
        return new RandomRules(seed).file(seed);
    }

    private String file(long seed) {
        StringBuilder y = new StringBuilder();
        y.append("version: \"fuzz-").append(Long.toHexString(seed)).append("\"\n");
        y.append("rules:\n");
        int rules = 1 + rnd.nextInt(6);
        for (int r = 1; r <= rules; r++) {
            new RuleWriter(y, "FUZZ_" + r + "_" + letters(3)).write();
        }
        return y.toString();
    }

    /** Writes one rule; collects the params its expressions use. */
    private final class RuleWriter {
        private final StringBuilder y;
        private final String id;
        private final List<String> params = new ArrayList<>();
        private final List<Seen> seen = new ArrayList<>();
        private int names;

        RuleWriter(StringBuilder y, String id) {
            this.y = y;
            this.id = id;
        }

        void write() {
            int n = 1 + rnd.nextInt(4);
            boolean[] absent = new boolean[n];
            absent[n - 1] = n >= 2 && chance(20);
            for (int i = 1; i < n - 1; i++) {
                // A middle absent step needs a present step after it.
                absent[i] = chance(20) && (i < n - 2 || !absent[n - 1]);
            }
            int repeated = 0;
            List<String> steps = new ArrayList<>();
            List<Kind> kinds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                StringBuilder s = new StringBuilder();
                Kind kind = i > 0 && chance(35) ? followUp(kinds.get(i - 1)) : kind();
                kinds.add(kind);
                String name = kind.prefix + (++names);
                s.append("      - name: ").append(name).append('\n');
                s.append("        type: ").append(kind.yamlType()).append('\n');
                if (absent[i]) {
                    if (chance(70)) {
                        s.append("        where: ").append(yaml(where(kind, name))).append('\n');
                    }
                    s.append("        absent: true\n");
                    if (i == n - 1) {
                        s.append("        for: ").append(pick(FORS)).append('\n');
                    }
                    steps.add(s.toString());
                    continue;
                }
                if (chance(60)) {
                    s.append("        where: ").append(yaml(where(kind, name))).append('\n');
                }
                boolean many = repeated < MAX_REPEATED && chance(45);
                if (many) {
                    repeated++;
                    s.append("        times: ").append(times()).append('\n');
                    if (chance(45)) {
                        s.append("        having: ").append(yaml(having(kind, name))).append('\n');
                    }
                } else if (chance(10)) {
                    s.append("        times: 1\n");
                }
                if (i > 0 && !absent[i - 1] && chance(12)) {
                    s.append("        contiguity: strict\n");
                } else if (i > 0 && chance(3)) {
                    s.append("        contiguity: relaxed\n");
                }
                steps.add(s.toString());
                seen.add(new Seen(name, kind, many));
            }
            y.append("  - id: ").append(id).append('\n');
            if (chance(50)) {
                y.append("    description: A random rule of ")
                        .append(n)
                        .append(n == 1 ? " step.\n" : " steps.\n");
            }
            y.append("    severity: ").append(pick(SEVERITIES)).append('\n');
            int mode = rnd.nextInt(100);
            if (mode < 30) {
                y.append("    mode: active\n");
            } else if (mode < 65) {
                y.append("    mode: shadow\n");
            } else if (mode < 70) {
                y.append("    mode: disabled\n");
            }
            y.append("    window: ").append(pick(WINDOWS)).append('\n');
            String summary = chance(30) ? summary() : null;
            if (!params.isEmpty()) {
                y.append("    params:\n");
                for (String p : params) {
                    y.append("      ").append(p).append('\n');
                }
            }
            y.append("    steps:\n");
            steps.forEach(y::append);
            if (summary != null) {
                y.append("    summary: \"").append(summary).append("\"\n");
            }
        }

        /** A range of amounts between two distinct thresholds. */
        private String range() {
            int a = rnd.nextInt(AMOUNTS.length);
            int b = (a + 1 + rnd.nextInt(AMOUNTS.length - 1)) % AMOUNTS.length;
            return "amount >= "
                    + AMOUNTS[Math.min(a, b)]
                    + " and amount < "
                    + AMOUNTS[Math.max(a, b)];
        }

        private String times() {
            int r = rnd.nextInt(100);
            if (r < 25) {
                return Integer.toString(2 + rnd.nextInt(2));
            }
            if (r < 60) {
                int min = 1 + rnd.nextInt(4);
                return (chance(25) ? param("min", Integer.toString(min)) : min) + "+";
            }
            int min = 1 + rnd.nextInt(3);
            int max = min + 1 + rnd.nextInt(2);
            return min + ".." + (chance(25) ? param("max", Integer.toString(max)) : max);
        }

        /** A where of a step of this kind: one or two conditions. */
        private String where(Kind kind, String own) {
            String a = condition(kind, own);
            int r = rnd.nextInt(100);
            if (r < 15) {
                return a + " and " + condition(kind, own);
            }
            if (r < 22) {
                return "(" + a + " or " + condition(kind, own) + ")";
            }
            if (r < 26) {
                return "not (" + a + ")";
            }
            return a;
        }

        private String condition(Kind kind, String own) {
            // Suppliers, so that only the chosen condition declares its params.
            List<Supplier<String>> options = new ArrayList<>();
            if (kind.amount()) {
                options.add(() -> "amount < " + amount());
                options.add(() -> "amount >= " + amount());
                options.add(() -> "amount >= " + param("amount", amount()));
                options.add(() -> range());
                for (Seen s : seen) {
                    if (s.kind().amount()) {
                        options.add(
                                () ->
                                        s.repeated()
                                                ? "amount > max(" + s.name() + ".amount)"
                                                : "amount >= "
                                                        + ratio()
                                                        + " * "
                                                        + s.name()
                                                        + ".amount");
                    }
                }
            }
            if (kind.counterparty()) {
                for (Seen s : seen) {
                    if (s.kind() == Kind.PAYEE && !s.repeated()) {
                        // The drain of the dense log: a transfer to the payee just added.
                        if (chance(50)) {
                            return "counterpartyId == " + s.name() + ".payeeId";
                        }
                        options.add(() -> "counterpartyId == " + s.name() + ".payeeId");
                    }
                    if (s.kind().counterparty() && !s.repeated()) {
                        options.add(() -> "counterpartyId != " + s.name() + ".counterpartyId");
                    }
                }
            }
            if (kind.device()) {
                for (Seen s : seen) {
                    if (s.kind().device()) {
                        String ref =
                                s.repeated()
                                        ? (chance(50) ? "last(" : "first(") + s.name() + ")"
                                        : s.name();
                        options.add(() -> "deviceId == " + ref + ".deviceId");
                        options.add(() -> "deviceId != " + ref + ".deviceId");
                    }
                }
            }
            if (kind.loginSuccess()) {
                options.add(() -> "newDevice");
                options.add(() -> "newDevice");
                options.add(() -> "not newDevice");
            }
            if (kind.login()) {
                options.add(() -> "hasCoordinates");
                for (Seen s : seen) {
                    if (s.kind().login() && !s.repeated()) {
                        options.add(
                                () ->
                                        "distanceKm("
                                                + s.name()
                                                + ", "
                                                + own
                                                + ") >= 500.0 and speedKmh("
                                                + s.name()
                                                + ", "
                                                + own
                                                + ") > 1000.0");
                    }
                }
            }
            options.add(() -> "priorEvents < " + (1 + rnd.nextInt(20)));
            options.add(
                    () -> "priorEvents >= " + param("prior", Integer.toString(rnd.nextInt(30))));
            options.add(() -> "sincePreviousEvent >= " + param("quiet", pick(QUIET)));
            options.add(() -> "sincePreviousEvent < " + param("gap", pick(QUIET)));
            return options.get(rnd.nextInt(options.size())).get();
        }

        /** A having of a repeated step of this kind. */
        private String having(Kind kind, String own) {
            List<Supplier<String>> options = new ArrayList<>();
            options.add(() -> "count(" + own + ") >= " + (2 + rnd.nextInt(3)));
            if (kind.amount()) {
                options.add(() -> "sum(" + own + ".amount) >= " + amount());
                options.add(() -> "sum(" + own + ".amount) >= " + param("total", amount()));
                options.add(() -> "min(" + own + ".amount) < " + amount());
                options.add(() -> "max(" + own + ".amount) >= " + amount());
                for (Seen s : seen) {
                    if (s.kind().amount() && !s.repeated()) {
                        options.add(
                                () ->
                                        "sum("
                                                + own
                                                + ".amount) >= "
                                                + param("ratio", ratio())
                                                + " * "
                                                + s.name()
                                                + ".amount");
                    }
                }
            }
            if (kind.device()) {
                options.add(() -> "distinct(" + own + ".deviceId) >= " + (2 + rnd.nextInt(2)));
            }
            return options.get(rnd.nextInt(options.size())).get();
        }

        /** A summary over the present steps, with the window's span. */
        private String summary() {
            Seen s = seen.get(rnd.nextInt(seen.size()));
            String what =
                    s.repeated()
                            ? "{count(" + s.name() + ")} events of " + s.name()
                            : s.name() + " ({" + s.name() + ".type})";
            return what + " within {span}.";
        }

        /** Declares a parameter with this value and returns its reference. */
        private String param(String prefix, String value) {
            String name = prefix + (params.size() + 1);
            params.add(name + ": " + value);
            return "$" + name;
        }
    }

    /** A kind that follows this one in the dense log's episodes (takeover, drain, mule ...). */
    private Kind followUp(Kind previous) {
        switch (previous) {
            case LOGIN_FAIL:
                return chance(50) ? Kind.LOGIN_FAIL : Kind.LOGIN_OK;
            case LOGIN_OK:
                return pick(Kind.CREDENTIAL, Kind.PAYEE, Kind.TRANSFER_OUT, Kind.LOGIN_OK);
            case CREDENTIAL:
            case MFA:
                return pick(Kind.TRANSFER_OUT, Kind.OUTFLOW, Kind.LOGIN_OK);
            case PAYEE:
                return Kind.TRANSFER_OUT;
            case TRANSFER_IN:
            case INFLOW:
                return pick(Kind.OUTFLOW, Kind.TRANSFER_OUT, Kind.WITHDRAWAL);
            case CARD:
                return Kind.CARD;
            case DEPOSIT:
                return Kind.DEPOSIT;
            default:
                return kind();
        }
    }

    private Kind kind() {
        int total = 0;
        for (Kind k : Kind.values()) {
            total += k.weight;
        }
        int r = rnd.nextInt(total);
        for (Kind k : Kind.values()) {
            r -= k.weight;
            if (r < 0) {
                return k;
            }
        }
        throw new IllegalStateException("weights");
    }

    /** A threshold: one of the dense log's, or a random amount up to 12 000.00. */
    private String amount() {
        if (chance(70)) {
            return pick(AMOUNTS);
        }
        long cents = 1 + rnd.nextLong(1_200_000);
        return String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
    }

    private String ratio() {
        return pick(RATIOS);
    }

    private String letters(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('A' + rnd.nextInt(26)));
        }
        return b.toString();
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[rnd.nextInt(values.length)];
    }

    private boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }

    /** The expression as a YAML scalar: plain when it reads back unchanged, else single-quoted. */
    private static String yaml(String expression) {
        boolean plain =
                !expression.contains(": ")
                        && !expression.contains(" #")
                        && "[]{}!&*'\"%@`|>,?-#".indexOf(expression.charAt(0)) < 0;
        return plain ? expression : "'" + expression.replace("'", "''") + "'";
    }
}
