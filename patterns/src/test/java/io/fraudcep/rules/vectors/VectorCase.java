package io.fraudcep.rules.vectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fraudcep.alert.Alert;
import io.fraudcep.model.UserEvent;
import java.util.List;

/**
 * One case of a vector file: a small log of its own user and exactly the alerts the rule must give
 * on it.
 *
 * @param number the case's place in its file, from 1
 * @param name what the case shows
 * @param params overrides of the rule's params, as written, or null for none
 * @param user the case's user, {@code <RULE_ID>.<number>}; a second user of the case is {@code
 *     <RULE_ID>.<number>.<name>}
 * @param log the events in the order the case lists them
 * @param alerts the alerts the rule must give
 */
record VectorCase(
        int number,
        String name,
        ObjectNode params,
        String user,
        List<UserEvent> log,
        List<ExpectedAlert> alerts) {

    static String userOf(String rule, int number) {
        return rule + "." + number;
    }

    /** True if the alert is one of this case's users'. */
    boolean owns(Alert alert) {
        return alert.userId().equals(user) || alert.userId().startsWith(user + ".");
    }

    /** The params overrides as a key that tells the variants of a rule apart. */
    String variant() {
        return params == null || params.isEmpty() ? "" : params.toString();
    }
}
