package dev.sluice.transform;

import dev.sluice.Item;
import dev.sluice.Reason;
import java.io.UncheckedIOException;

/** Words transform failures the same way for every step: {@code "<step> <subject> failed: <detail>"}. */
final class StepFailures {

    private StepFailures() {}

    static Item fail(Item item, String step, String subject, String detail) {
        return item.fail(step, Reason.TRANSFORM, step + " " + subject + " failed: " + detail);
    }

    static Item fail(Item item, String step, String subject, RuntimeException e) {
        return fail(item, step, subject, detail(e));
    }

    /** jq errors arrive wrapped in {@link UncheckedIOException} (see {@link JqExpression}); unwrap them. */
    private static String detail(RuntimeException e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getName() : message;
    }
}
