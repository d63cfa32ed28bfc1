package io.fraudcep.rules.history;

import io.fraudcep.rules.RuleSet;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A rule history as a file, for {@code bin/fraud backtest --rules-history FILE.jsonl}: the values
 * of the control topic and of the live job's audit topic, one JSON value per line, as on the
 * topics. Blank lines and lines starting with {@code #} are skipped. A rule record that is invalid
 * is not an error of the file: the live job sent it to its dead letters and changed nothing, so a
 * replay skips it the same way ({@link RuleHistoryBuilder#rejected()}, with its {@code file:line}).
 * An audit record that cannot be read is an error: the instants of the replay would be wrong.
 */
public final class RuleHistoryFiles {

    private RuleHistoryFiles() {}

    /**
     * Reads a history file into a builder on top of the rule file's rules.
     *
     * @param file the JSONL file
     * @param base the rule file's rules (version 0 of each id)
     * @return the builder, its rule records offered in file order (each with {@code file:line} as
     *     where it was read and no key) and its audit records applied
     * @throws IllegalArgumentException if the file cannot be read or an audit line is invalid,
     *     naming the file (and the line)
     */
    public static RuleHistoryBuilder read(Path file, RuleSet base) {
        return read(file, base, RuleHistory.DEFAULT_HORIZON);
    }

    /** As {@link #read(Path, RuleSet)}, for a job that looks back {@code horizon}. */
    public static RuleHistoryBuilder read(Path file, RuleSet base, Duration horizon) {
        RuleHistoryBuilder builder = new RuleHistoryBuilder(base, horizon);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // a byte order mark some editors write
                }
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                String where = file + ":" + number;
                if (RuleRecords.isApplied(line)) {
                    try {
                        builder.applied(RuleRecords.parseApplied(line));
                    } catch (RuleRecordException e) {
                        throw new IllegalArgumentException(
                                where + ": an audit record that cannot be used: " + e.getMessage(),
                                e);
                    }
                } else {
                    builder.offer(where, null, line);
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "cannot read the rule history " + file + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    "cannot read the rule history " + file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the rule history " + file + ": " + e, e);
        }
        return builder;
    }

    /**
     * Writes a history file: the rule records in the given order, then the audit records, one JSON
     * value per line.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(Path file, List<RuleRecord> records, List<AppliedVersion> applied) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (RuleRecord r : records) {
                out.write(RuleRecords.toJson(r));
                out.write('\n');
            }
            for (AppliedVersion a : applied) {
                out.write(RuleRecords.toJson(a));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rule history " + file, e);
        }
    }
}
