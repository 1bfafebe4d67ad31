package dev.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ConfigException;
import dev.sluice.Problem;
import dev.sluice.Reason;
import dev.sluice.definition.PipelineFiles;
import dev.sluice.spec.Suggestions;
import dev.sluice.spec.YamlDocument;
import dev.sluice.transform.Jq;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads a {@code .test.yaml} file into {@link PipelineTests}, collecting every problem with its position. */
final class TestFileReader {

    private static final List<String> TOP = List.of("pipeline", "tests");
    private static final List<String> CASE = List.of("name", "env", "set", "stubs", "expect", "timeout", "virtual_time");
    private static final List<String> EXPECT = List.of(
            "outputs", "ordered", "outputs_contain", "outputs_satisfy", "output_count", "dead_letters", "requests");
    private static final List<String> REASONS = Arrays.stream(Reason.values()).map(Reason::code).collect(Collectors.toList());
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path file;
    private final YamlFields fields;
    private final List<Problem> problems;

    private TestFileReader(Path file, YamlFields fields, List<Problem> problems) {
        this.file = file;
        this.fields = fields;
        this.problems = problems;
    }

    static PipelineTests read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new Problem(file.toString(), 0, 0, "", "cannot read test file: " + e)));
        }
        List<Problem> problems = new ArrayList<>();
        YamlDocument doc = YamlDocument.read(text, file.toString(), problems);
        if (doc == null) {
            throw new ConfigException(problems);
        }
        PipelineTests tests = new TestFileReader(file, new YamlFields(doc, problems), problems).tests(doc.root());
        if (!problems.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(new LinkedHashSet<>(problems));
            sorted.sort(Comparator.comparing(Problem::file).thenComparingInt(Problem::line).thenComparingInt(Problem::column));
            throw new ConfigException(sorted);
        }
        return tests;
    }

    private PipelineTests tests(JsonNode root) {
        if (!fields.onlyKnown(root, "", "a test file", TOP)) {
            return null;
        }
        Path pipeline = pipeline(root.get("pipeline"));
        JsonNode tests = root.get("tests");
        if (tests == null || !tests.isArray() || tests.isEmpty()) {
            fields.problem(tests == null ? "" : "/tests", "tests must be a non-empty list of cases with name, stubs and expect");
            return null;
        }
        List<TestCase> cases = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            TestCase c = testCase(tests.get(i), "/tests/" + i, pipeline);
            if (c != null) {
                cases.add(c);
            }
        }
        return new PipelineTests(file, pipeline, cases);
    }

    private Path pipeline(JsonNode node) {
        if (node != null) {
            String name = fields.text(node, "/pipeline", "pipeline");
            Path given = name == null ? file : file.resolveSibling(name);
            if (name != null && !Files.isRegularFile(given)) {
                fields.problem("/pipeline", "no pipeline file " + given + " (the path is relative to the test file)");
            }
            return given;
        }
        String base = file.getFileName().toString().replaceFirst("\\.test\\.ya?ml$", "");
        for (String ext : List.of(".yaml", ".yml", ".json")) {
            Path candidate = file.resolveSibling(base + ext);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        fields.problem("", "no pipeline file next to the test file (looked for " + base + ".yaml, .yml and .json); "
                + "name it with 'pipeline:'");
        return file.resolveSibling(base + ".yaml");
    }

    private TestCase testCase(JsonNode node, String pointer, Path pipeline) {
        if (!fields.onlyKnown(node, pointer, "a test case", CASE)) {
            return null;
        }
        String name = null;
        if (node.has("name")) {
            name = fields.text(node.get("name"), pointer + "/name", "name");
        } else {
            fields.problem(pointer, "a test case needs name: (a sentence saying what it checks)");
        }
        Map<String, String> env = env(node.get("env"), pointer + "/env");
        List<String> overrides = overrides(node.get("set"), pointer + "/set");
        List<DeclaredRoute> stubs = new StubReader(fields, file.toAbsolutePath().getParent()).read(node.get("stubs"), pointer + "/stubs");
        Expectations expect = expectations(node.get("expect"), pointer + "/expect");
        Duration timeout = node.has("timeout") ? fields.duration(node.get("timeout"), pointer + "/timeout", "timeout") : DEFAULT_TIMEOUT;
        boolean virtualTime = false;
        if (node.has("virtual_time")) {
            JsonNode flag = node.get("virtual_time");
            if (flag.isBoolean()) {
                virtualTime = flag.booleanValue();
            } else {
                fields.problem(pointer + "/virtual_time", "virtual_time must be true or false, was " + flag);
            }
        }
        checkPipeline(pipeline, env, overrides);
        return name == null || expect == null ? null
                : new TestCase(file.toString(), name, pipeline, env, overrides, stubs, expect, timeout, virtualTime);
    }

    private void checkPipeline(Path pipeline, Map<String, String> env, List<String> overrides) {
        if (!Files.isRegularFile(pipeline)) {
            return;
        }
        Map<String, String> withServe = new HashMap<>(env);
        withServe.putIfAbsent(TestCase.SERVE_URL, "http://127.0.0.1:1");
        try {
            PipelineFiles.load(pipeline, withServe, overrides);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
    }

    private Map<String, String> env(JsonNode node, String pointer) {
        Map<String, String> env = new LinkedHashMap<>();
        if (node == null) {
            return env;
        }
        if (!node.isObject()) {
            fields.problem(pointer, "env must be a map of NAME: value");
            return env;
        }
        node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    private List<String> overrides(JsonNode node, String pointer) {
        List<String> overrides = new ArrayList<>();
        if (node == null) {
            return overrides;
        }
        if (!node.isArray()) {
            fields.problem(pointer, "set must be a list of path=value overrides, as sluice run --set takes");
            return overrides;
        }
        for (int i = 0; i < node.size(); i++) {
            String override = fields.text(node.get(i), pointer + "/" + i, "each set entry");
            if (override != null) {
                overrides.add(override);
            }
        }
        return overrides;
    }

    private Expectations expectations(JsonNode node, String pointer) {
        if (node == null) {
            fields.problem(pointer.substring(0, pointer.lastIndexOf('/')), "a test case needs expect: (outputs, dead_letters, requests, ...)");
            return null;
        }
        if (!fields.onlyKnown(node, pointer, "expect", EXPECT)) {
            return null;
        }
        return new Expectations(
                node.has("outputs") ? list(node.get("outputs"), pointer + "/outputs", "outputs") : null,
                node.path("ordered").asBoolean(false),
                node.has("outputs_contain") ? list(node.get("outputs_contain"), pointer + "/outputs_contain", "outputs_contain") : List.of(),
                satisfy(node.get("outputs_satisfy"), pointer + "/outputs_satisfy"),
                node.has("output_count") ? fields.count(node.get("output_count"), pointer + "/output_count", "output_count") : -1,
                node.has("dead_letters") ? deadLetters(node.get("dead_letters"), pointer + "/dead_letters") : null,
                node.has("requests") ? requests(node.get("requests"), pointer + "/requests") : Map.of());
    }

    private List<JsonNode> list(JsonNode node, String pointer, String field) {
        if (!node.isArray()) {
            fields.problem(pointer, field + " must be a list of items");
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private List<String> satisfy(JsonNode node, String pointer) {
        List<String> expressions = new ArrayList<>();
        if (node == null) {
            return expressions;
        }
        if (node.isTextual()) {
            expressions.add(node.textValue());
        } else if (node.isArray()) {
            node.forEach(e -> expressions.add(e.asText()));
        } else {
            fields.problem(pointer, "outputs_satisfy must be a jq expression or a list of them");
        }
        for (String expression : expressions) {
            try {
                Jq.check(expression);
            } catch (IllegalArgumentException e) {
                fields.problem(pointer, "not a valid jq expression '" + expression + "': " + e.getMessage());
            }
        }
        return expressions;
    }

    private Map<String, Long> deadLetters(JsonNode node, String pointer) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (!node.isObject()) {
            fields.problem(pointer, "dead_letters must be a map of reason: count, e.g. {http_status: 2}");
            return counts;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = YamlFields.child(pointer, e.getKey());
            if (!REASONS.contains(e.getKey())) {
                fields.problem(at, "unknown reason '" + e.getKey() + "'" + Suggestions.didYouMean(e.getKey(), REASONS)
                        + "; known: " + String.join(", ", REASONS));
            }
            long n = fields.count(e.getValue(), at, e.getKey());
            if (n > 0) {
                counts.put(e.getKey(), n);
            }
        }
        return counts;
    }

    private Map<String, Long> requests(JsonNode node, String pointer) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (!node.isObject()) {
            fields.problem(pointer, "requests must be a map of path (or total): count, e.g. {total: 12, /items/7.json: 1}");
            return counts;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = YamlFields.child(pointer, e.getKey());
            if (!e.getKey().equals(Expectations.TOTAL) && !e.getKey().startsWith("/")) {
                fields.problem(at, "requests keys are 'total' or a path starting with '/', was '" + e.getKey() + "'");
            }
            counts.put(e.getKey(), fields.count(e.getValue(), at, e.getKey()));
        }
        return counts;
    }
}
