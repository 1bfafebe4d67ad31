package dev.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.transform.Jq;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code expect:} block of a declarative test case, checked against one run. Only what is
 * given is checked; {@code dead_letters} and {@code requests} compare the counts they list (a
 * {@code dead_letters} map is compared whole, so {@code {}} means "none").
 */
record Expectations(
        List<JsonNode> outputs,
        boolean ordered,
        List<JsonNode> contain,
        List<String> satisfy,
        long count,
        Map<String, Long> deadLetters,
        Map<String, Long> requests) {

    /** How many actual items a mismatch lists at most. */
    private static final int SHOWN = 10;

    static final String TOTAL = "total";

    Mono<List<String>> check(TestRun run, List<StubRequest> seen) {
        List<JsonNode> actual = run.items().stream().map(Item::value).collect(Collectors.toList());
        List<String> mismatches = new ArrayList<>();
        if (count >= 0 && actual.size() != count) {
            mismatches.add("output_count: expected " + count + ", got " + actual.size());
        }
        if (outputs != null) {
            String diff = ordered ? OutputDiff.ordered(outputs, actual) : OutputDiff.unordered(outputs, actual);
            if (!diff.isEmpty()) {
                mismatches.add(diff);
            }
        }
        checkContains(actual, mismatches);
        checkDeadLetters(run, mismatches);
        checkRequests(seen, mismatches);
        return Flux.fromIterable(satisfy)
                .concatMap(expression -> unsatisfied(expression, actual))
                .collectList()
                .map(more -> {
                    mismatches.addAll(more);
                    return mismatches;
                });
    }

    private void checkContains(List<JsonNode> actual, List<String> mismatches) {
        List<JsonNode> absent = contain.stream()
                .filter(want -> actual.stream().noneMatch(got -> OutputDiff.same(want, got)))
                .collect(Collectors.toList());
        if (!absent.isEmpty()) {
            StringBuilder out = new StringBuilder("outputs_contain: " + absent.size() + " expected item(s) not among the "
                    + actual.size() + " outputs\n");
            absent.forEach(want -> out.append("- ").append(want).append('\n'));
            out.append(shown(actual));
            mismatches.add(out.toString().stripTrailing());
        }
    }

    private void checkDeadLetters(TestRun run, List<String> mismatches) {
        if (deadLetters == null) {
            return;
        }
        Map<String, Long> got = new TreeMap<>(run.report().deadLetterReasons());
        if (!got.equals(new TreeMap<>(deadLetters))) {
            StringBuilder out = new StringBuilder("dead_letters: expected " + new TreeMap<>(deadLetters) + ", got " + got);
            run.deadLetters().stream().limit(SHOWN).forEach(f -> out.append('\n').append(describe(f)));
            mismatches.add(out.toString());
        }
    }

    private void checkRequests(List<StubRequest> seen, List<String> mismatches) {
        requests.forEach((path, want) -> {
            long got = TOTAL.equals(path) ? seen.size()
                    : seen.stream().filter(r -> matches(path, r.path())).count();
            if (got != want) {
                mismatches.add("requests " + path + ": expected " + want + ", got " + got
                        + (TOTAL.equals(path) ? "" : " (requested: " + paths(seen) + ")"));
            }
        });
    }

    private static boolean matches(String wanted, String seen) {
        return wanted.contains("?") ? wanted.equals(seen) : wanted.equals(seen.replaceFirst("\\?.*$", ""));
    }

    private static String paths(List<StubRequest> seen) {
        Map<String, Long> counts = new TreeMap<>(seen.stream()
                .collect(Collectors.groupingBy(StubRequest::path, Collectors.counting())));
        return counts.toString();
    }

    private static Mono<String> unsatisfied(String expression, List<JsonNode> actual) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            items.add(Item.of(actual.get(i), new Origin("output", i + 1)));
        }
        return Jq.filter(expression).apply(Flux.fromIterable(items))
                .collectList()
                .flatMap(kept -> {
                    List<Item> good = kept.stream().filter(item -> !item.isFailure()).collect(Collectors.toList());
                    if (good.size() == actual.size()) {
                        return Mono.empty();
                    }
                    return Mono.just(describeUnsatisfied(expression, items, good, kept));
                });
    }

    private static String describeUnsatisfied(String expression, List<Item> all, List<Item> good, List<Item> kept) {
        StringBuilder out = new StringBuilder("outputs_satisfy '" + expression + "': " + (all.size() - good.size())
                + " of " + all.size() + " outputs do not satisfy it\n");
        all.stream()
                .filter(item -> good.stream().noneMatch(g -> g.origin().equals(item.origin())))
                .limit(SHOWN)
                .forEach(item -> out.append("- ").append(item.value()).append(error(item, kept)).append('\n'));
        return out.toString().stripTrailing();
    }

    private static String error(Item item, List<Item> kept) {
        return kept.stream()
                .filter(k -> k.isFailure() && k.origin().equals(item.origin()))
                .findFirst()
                .map(k -> "  (error: " + k.failure().orElseThrow().message() + ")")
                .orElse("");
    }

    private static String shown(List<JsonNode> actual) {
        StringBuilder out = new StringBuilder("outputs were:\n");
        actual.stream().limit(SHOWN).forEach(got -> out.append("  ").append(got).append('\n'));
        if (actual.size() > SHOWN) {
            out.append("  ... and ").append(actual.size() - SHOWN).append(" more\n");
        }
        return out.toString();
    }

    private static String describe(Failure f) {
        return "  " + f.reason().code() + (f.url().isEmpty() ? "" : " " + f.url()) + ": " + f.message();
    }
}
