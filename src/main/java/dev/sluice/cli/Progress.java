package dev.sluice.cli;

import dev.sluice.RunReport;
import java.util.Locale;

/**
 * Words the progress of a run: a live line for terminals (redrawn in place), a plain line for logs,
 * and the summary table printed at the end. Pure formatting; the caller decides when to print.
 */
final class Progress {

    /** Moves to the start of the line and clears it. */
    static final String CLEAR_LINE = "\r\u001b[2K";

    private static final RunReport ZERO = new RunReport(0, 0, 0, 0, 0, java.util.Map.of(), 0, 0, 0, 0);

    private final long expectedInputs;
    private RunReport previous;

    /**
     * @param expectedInputs how many inputs the run will read, or -1 when unknown
     */
    Progress(long expectedInputs) {
        this.expectedInputs = expectedInputs;
    }

    /** Returns the line for this snapshot, with rates measured since the previous one. */
    String line(RunReport now) {
        RunReport before = previous == null ? ZERO : previous;
        previous = now;
        long dt = Math.max(1, now.elapsedMillis() - before.elapsedMillis());
        double rps = (now.requests() - before.requests()) * 1000.0 / dt;
        long inFlight = Math.max(0, now.unaccounted());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s in %d, out %d, filtered %d, dead %d | %.0f req/s, in flight %d, retries %d",
                seconds(now.elapsedMillis()), now.inputs(), now.outputs(), now.filtered(), now.deadLettered(),
                rps, inFlight, now.retries()));
        if (expectedInputs > 0) {
            double done = Math.min(1.0, (double) now.inputs() / expectedInputs);
            sb.append(String.format(Locale.ROOT, " | %.0f%%", done * 100));
            if (done > 0 && done < 1) {
                long eta = (long) (now.elapsedMillis() * (1 - done) / done);
                sb.append(", ETA ").append(seconds(eta));
            }
        }
        return sb.toString();
    }

    /** Returns the summary table printed after the one-line summary. */
    static String table(RunReport r) {
        StringBuilder sb = new StringBuilder();
        row(sb, "inputs", r.inputs(), "");
        if (r.skipped() > 0) {
            row(sb, "skipped", r.skipped(), "finished by an earlier run (--state)");
        }
        if (r.expanded() > 0) {
            row(sb, "expanded", r.expanded(), "extra items from one-to-many steps");
        }
        if (r.merged() > 0) {
            row(sb, "merged", r.merged(), "items merged into batches (n - 1 per batch of n)");
        }
        row(sb, "outputs", r.outputs(), r.merged() > 0 ? "batches and unbatched items" : "");
        row(sb, "filtered", r.filtered(), r.cut() > 0 ? r.cut() + " cut by a limit, done again on resume (--state)" : "");
        StringBuilder reasons = new StringBuilder();
        r.deadLetterReasons().forEach((k, v) -> reasons.append(reasons.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        row(sb, "dead-lettered", r.deadLettered(), reasons.toString());
        long cut = r.unaccounted();
        if (cut > 0) {
            row(sb, "cut in flight", cut, "stopped before they finished");
        }
        double rps = r.requests() * 1000.0 / Math.max(1, r.elapsedMillis());
        row(sb, "requests", r.requests(), String.format(Locale.ROOT, "%d retries, %.0f req/s", r.retries(), rps));
        sb.append(String.format(Locale.ROOT, "  %-14s %10s%n", "received", bytes(r.bytesIn())));
        sb.append(String.format(Locale.ROOT, "  %-14s %10s%n", "elapsed", seconds(r.elapsedMillis())));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String label, long value, String note) {
        sb.append(String.format(Locale.ROOT, "  %-14s %10d%s%n", label, value, note.isEmpty() ? "" : "  " + note));
    }

    static String seconds(long millis) {
        return millis < 60_000
                ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : String.format(Locale.ROOT, "%dm%02ds", millis / 60_000, millis / 1000 % 60);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
    }
}
