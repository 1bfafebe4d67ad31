package dev.sluice.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Sink;
import dev.sluice.Source;
import dev.sluice.Stage;
import dev.sluice.fetch.Fetch;
import dev.sluice.fetch.FetchOptions;
import dev.sluice.parse.Parse;
import dev.sluice.sink.Outputs;
import dev.sluice.source.Inputs;
import dev.sluice.transform.Jq;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Binds the built-in components of each slot from their configuration. Each binder reads its fields
 * through a {@link Section}, so wrong types and unknown fields are reported with their location.
 */
final class Components {

    private final LocatedTree tree;
    private final Problems problems;

    Components(LocatedTree tree, Problems problems) {
        this.tree = tree;
        this.problems = problems;
    }

    private Map<String, Function<Slot, Source>> sources() {
        return Map.of(
                "url", this::urlSource,
                "urls", this::urlsSource,
                "file", this::fileSource,
                "range", this::rangeSource,
                "stdin", this::stdinSource);
    }

    private Map<String, Function<Slot, Stage>> steps() {
        return Map.of(
                "fetch", this::fetchStep,
                "parse", this::parseStep,
                "map", slot -> jqStep(slot, Jq::map),
                "filter", slot -> jqStep(slot, Jq::filter),
                "explode", slot -> jqStep(slot, Jq::explode));
    }

    private Map<String, Function<Slot, Sink>> sinks(boolean deadLetter) {
        return deadLetter
                ? Map.of("file", slot -> fileSink(slot, true))
                : Map.of("file", slot -> fileSink(slot, false), "stdout", this::stdoutSink);
    }

    Source source(String pointer, JsonNode node) {
        return bind("source", pointer, node, sources());
    }

    Stage step(String pointer, JsonNode node) {
        return bind("step", pointer, node, steps());
    }

    Sink sink(String pointer, JsonNode node, boolean deadLetter) {
        return bind(deadLetter ? "dead_letter sink" : "sink", pointer, node, sinks(deadLetter));
    }

    /** A component slot: its name, where it is, and its configuration (a map, or a scalar shorthand). */
    record Slot(String name, String pointer, JsonNode config) {}

    private <T> T bind(String kind, String pointer, JsonNode node, Map<String, Function<Slot, T>> known) {
        List<String> names = known.keySet().stream().sorted().toList();
        if (node == null || !node.isObject() || node.size() != 1) {
            problems.add(tree.problem(pointer, kind + " must be a one-key map {name: settings}; known: "
                    + String.join(", ", names)));
            return null;
        }
        String name = node.fieldNames().next();
        Function<Slot, T> factory = known.get(name);
        if (factory == null) {
            problems.add(tree.keyProblem(pointer + "/" + name, "unknown " + kind + " '" + name + "'"
                    + Problems.didYouMean(name, names) + "; known: " + String.join(", ", names)));
            return null;
        }
        return factory.apply(new Slot(name, pointer + "/" + name, node.get(name)));
    }

    private Section section(Slot slot) {
        JsonNode config = slot.config() == null || slot.config().isNull() ? null : slot.config();
        return new Section(tree, slot.pointer(), config, problems);
    }

    private Source urlSource(Slot slot) {
        if (slot.config() == null || !slot.config().isTextual()) {
            problems.add(tree.problem(slot.pointer(), "url must be a URL string"));
            return null;
        }
        return Inputs.url(slot.config().asText());
    }

    private Source urlsSource(Slot slot) {
        JsonNode list = slot.config();
        if (list == null || !list.isArray() || list.isEmpty()) {
            problems.add(tree.problem(slot.pointer(), "urls must be a non-empty list of URL strings"));
            return null;
        }
        List<String> urls = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isTextual()) {
                urls.add(list.get(i).asText());
            } else {
                problems.add(tree.problem(slot.pointer() + "/" + i, "expected a URL string, got " + Problems.describe(list.get(i))));
            }
        }
        return Inputs.urls(urls);
    }

    private Source fileSource(Slot slot) {
        Section s = section(slot);
        String path = s.requiredText("path");
        String format = s.oneOf("format", "lines", List.of("lines", "ndjson"));
        s.finish();
        if (path == null) {
            return null;
        }
        return "ndjson".equals(format) ? Inputs.ndjson(Path.of(path)) : Inputs.lines(Path.of(path));
    }

    private Source rangeSource(Slot slot) {
        Section s = section(slot);
        String template = s.requiredText("template");
        long from = s.integer("from", 1, Long.MIN_VALUE);
        long to = s.integer("to", -1, Long.MIN_VALUE);
        s.finish();
        if (template != null && !template.contains("{n}")) {
            problems.add(tree.problem(slot.pointer() + "/template", "template must contain {n}, the number, was '" + template + "'"));
            return null;
        }
        if (to == -1 && slot.config() != null && slot.config().get("to") == null) {
            problems.add(tree.problem(slot.pointer(), "missing required field 'to'"));
            return null;
        }
        if (from > to) {
            problems.add(tree.problem(slot.pointer() + "/to", "to must be >= from (" + from + "), was " + to));
            return null;
        }
        return template == null ? null : Inputs.range(template, from, to);
    }

    private Source stdinSource(Slot slot) {
        section(slot).finish();
        return Inputs.stdin();
    }

    private Stage fetchStep(Slot slot) {
        Section s = section(slot);
        FetchOptions d = FetchOptions.DEFAULTS;
        int concurrency = (int) s.integer("concurrency", d.concurrency(), 1);
        var timeout = s.duration("timeout", d.timeout());
        var connectTimeout = s.duration("connect_timeout", d.connectTimeout());
        Map<String, String> headers = s.stringMap("headers");
        s.finish();
        return Fetch.get(new FetchOptions(concurrency, timeout, connectTimeout, headers));
    }

    private Stage parseStep(Slot slot) {
        List<String> formats = List.of("json", "ndjson");
        String format;
        if (slot.config() != null && slot.config().isTextual()) {
            format = slot.config().asText();
            if (!formats.contains(format)) {
                problems.add(tree.problem(slot.pointer(), "parse format must be one of " + formats + ", was '"
                        + format + "'" + Problems.didYouMean(format, formats)));
                return null;
            }
        } else {
            Section s = section(slot);
            format = s.oneOf("format", "json", formats);
            s.finish();
        }
        return "ndjson".equals(format) ? Parse.ndjson() : Parse.json();
    }

    private Stage jqStep(Slot slot, Function<String, Stage> factory) {
        String expression;
        if (slot.config() != null && slot.config().isTextual()) {
            expression = slot.config().asText();
        } else {
            Section s = section(slot);
            expression = s.requiredText("expression");
            s.finish();
        }
        if (expression == null) {
            return null;
        }
        try {
            return factory.apply(expression);
        } catch (IllegalArgumentException e) {
            problems.add(tree.problem(slot.pointer(), slot.name() + ": " + e.getMessage()));
            return null;
        }
    }

    private Sink fileSink(Slot slot, boolean deadLetter) {
        Section s = section(slot);
        String path = s.requiredText("path");
        s.oneOf("format", "ndjson", List.of("ndjson"));
        s.finish();
        if (path == null) {
            return null;
        }
        return deadLetter ? Outputs.deadLetters(Path.of(path)) : Outputs.ndjson(Path.of(path));
    }

    private Sink stdoutSink(Slot slot) {
        section(slot).finish();
        return Outputs.stdout();
    }
}
