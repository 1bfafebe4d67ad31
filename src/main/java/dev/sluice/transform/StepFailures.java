package dev.sluice.transform;

import dev.sluice.Item;
import dev.sluice.Reason;
import dev.sluice.jq.JqExpression;

/** Words transform failures the same way for every step: {@code "<step> <subject> failed: <detail>"}. */
final class StepFailures {

    private StepFailures() {}

    static Item fail(Item item, String step, String subject, String detail) {
        return item.fail(step, Reason.TRANSFORM, step + " " + subject + " failed: " + detail);
    }

    static Item fail(Item item, String step, String subject, RuntimeException e) {
        return fail(item, step, subject, JqExpression.detail(e));
    }
}
