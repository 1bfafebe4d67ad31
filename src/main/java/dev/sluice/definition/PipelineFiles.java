package dev.sluice.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.ConfigException;
import dev.sluice.IoReason;
import dev.sluice.Pipeline;
import dev.sluice.Problem;
import dev.sluice.Sink;
import dev.sluice.Source;
import dev.sluice.Stage;
import dev.sluice.fetch.BodyDecoder;
import dev.sluice.fetch.Fetch;
import dev.sluice.parse.Parse;
import dev.sluice.parse.ParseSpecs;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Kind;
import dev.sluice.spec.Suggestions;
import dev.sluice.spec.YamlDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads pipeline files (YAML or JSON) into validated {@link PipelineDefinition}s.
 *
 * <p>Reading happens in four passes, and every problem of every pass is reported together as a
 * {@link ConfigException} whose problems print as {@code file:line:column: path: message}:
 * {@code ${VAR}} / {@code ${VAR:-default}} interpolation from the given environment; YAML parsing
 * (duplicate keys are errors, aliases and depth capped); {@code --set path=value} overrides; binding
 * of every component through its {@link ComponentSpec} with type checks, unknown-field and
 * unknown-component errors with "did you mean" suggestions. Relative paths in the file are resolved
 * against the working directory, as every command-line tool does.
 *
 * <p>Reading is blocking file I/O: call it from the CLI or a test, not from a reactive operator.
 */
public final class PipelineFiles {

    private static final List<String> TOP_LEVEL = List.of("name", "description", "source", "steps", "sink", "dead_letter");
    private static final YAMLMapper SCALARS = new YAMLMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private PipelineFiles() {}

    /**
     * Reads and validates a pipeline file with the built-in components.
     *
     * @param file the file
     * @param env the environment for {@code ${VAR}} interpolation
     * @param overrides {@code path=value} overrides, e.g. {@code source.file.path=urls.txt}
     * @return the validated definition
     * @throws ConfigException with every problem found, or when the file cannot be read
     */
    public static PipelineDefinition load(Path file, Map<String, String> env, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new Problem(file.toString(), 0, 0, "",
                    "cannot read pipeline file: " + IoReason.of(e))));
        }
        String name = file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
        return parse(text, file.toString(), name, env, overrides);
    }

    /**
     * Validates a pipeline given as text, with the built-in components.
     *
     * @param text the YAML or JSON text
     * @param file the name to report problems under
     * @param defaultName the pipeline name when the text has no {@code name}
     * @param env the environment for {@code ${VAR}} interpolation
     * @param overrides {@code path=value} overrides
     * @return the validated definition
     * @throws ConfigException with every problem found
     */
    public static PipelineDefinition parse(
            String text, String file, String defaultName, Map<String, String> env, List<String> overrides) {
        return parse(text, file, defaultName, env, overrides, ComponentRegistry.builtins());
    }

    /**
     * Validates a pipeline given as text, with the components of {@code registry}.
     *
     * @param text the YAML or JSON text
     * @param file the name to report problems under
     * @param defaultName the pipeline name when the text has no {@code name}
     * @param env the environment for {@code ${VAR}} interpolation
     * @param overrides {@code path=value} overrides
     * @param registry the components the file may name
     * @return the validated definition
     * @throws ConfigException with every problem found
     */
    public static PipelineDefinition parse(String text, String file, String defaultName, Map<String, String> env,
            List<String> overrides, ComponentRegistry registry) {
        List<Problem> problems = new ArrayList<>();
        java.util.Set<String> secrets = new java.util.HashSet<>();
        String interpolated = Interpolation.apply(text, file, env, problems, secrets);
        YamlDocument doc = YamlDocument.read(interpolated, file, problems);
        if (doc == null) {
            throw new ConfigException(problems);
        }
        if (!doc.root().isObject()) {
            problems.add(doc.at("", "a pipeline file must be a map with source, steps and sink"));
            throw new ConfigException(problems);
        }
        ObjectNode root = (ObjectNode) doc.root();
        for (String override : overrides) {
            applyOverride(root, override, file, problems);
        }
        PipelineDefinition definition = new Binder(doc, registry, problems, secrets).bind(root, defaultName);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return definition;
    }

    /** Binds one document; collects problems instead of stopping at the first. */
    private static final class Binder {
        private final YamlDocument doc;
        private final ComponentRegistry registry;
        private final List<Problem> problems;
        private final ObjectNode explained = JSON.objectNode();
        private final java.util.Set<String> secrets;

        Binder(YamlDocument doc, ComponentRegistry registry, List<Problem> problems, java.util.Set<String> secrets) {
            this.doc = doc;
            this.registry = registry;
            this.problems = problems;
            this.secrets = secrets;
        }

        PipelineDefinition bind(ObjectNode root, String defaultName) {
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!TOP_LEVEL.contains(key)) {
                    problems.add(doc.atKey("/" + key, "unknown field '" + key + "'"
                            + Suggestions.didYouMean(key, TOP_LEVEL) + "; known: " + String.join(", ", TOP_LEVEL)));
                }
            }
            String name = text(root, "name", defaultName);
            String description = text(root, "description", "");
            explained.put("name", name);
            if (!description.isEmpty()) {
                explained.put("description", description);
            }
            Source source = required(root, "source", Kind.SOURCE, Source.class);
            List<Stage> steps = steps(root.get("steps"));
            Sink sink = required(root, "sink", Kind.SINK, Sink.class);
            JsonNode deadNode = root.get("dead_letter");
            Sink deadLetter = deadNode == null || deadNode.isNull()
                    ? null
                    : slot(Kind.DEAD_LETTER, "/dead_letter", deadNode, Sink.class, explained.putArray("dead_letter"));
            if (deadLetter == null) {
                explained.remove("dead_letter");
            }
            sharedFiles();
            if (!problems.isEmpty()) {
                return null;
            }
            if (deadLetter == null) {
                explained.putObject("dead_letter").put("log", "failed items are logged at WARN (no dead_letter sink)");
            } else {
                explained.set("dead_letter", explained.get("dead_letter").get(0));
            }
            Redaction.mask(explained, secrets);
            return new PipelineDefinition(name, description, source, steps, sink,
                    deadLetter != null ? deadLetter : Pipeline.loggedDeadLetters(), explained);
        }

        /**
         * Refuses a file that two parts of the pipeline would use: a sink or dead-letter file that is
         * the source file (truncated before it is read), or one file for both the sink and the dead
         * letters (two writers tearing each other's lines).
         */
        private void sharedFiles() {
            record Claim(String slot, Path path) {}
            List<Claim> claims = new ArrayList<>();
            for (String slot : List.of("source", "sink", "dead_letter")) {
                JsonNode node = explained.get(slot);
                String text = node == null ? "" : (node.isArray() ? node.path(0) : node).path("file").path("path").asText("");
                Path here = absolute(text);
                if (here == null) {
                    continue;
                }
                for (Claim earlier : claims) {
                    if (sameFile(earlier.path(), here)) {
                        problems.add(doc.at("/" + slot + "/file/path", earlier.slot().equals("source")
                                ? slot + " writes to " + text + ", the file the source reads: it would be truncated before it is read"
                                : slot + " writes to " + text + " as the " + earlier.slot() + " does: give each its own file"));
                    }
                }
                claims.add(new Claim(slot, here));
            }
        }

        /** The path as an absolute, normalized one, or null when there is none or it cannot be a path. */
        private static Path absolute(String text) {
            if (text.isBlank()) {
                return null;
            }
            try {
                return Path.of(text).toAbsolutePath().normalize();
            } catch (java.nio.file.InvalidPathException e) {
                return null;
            }
        }

        private static boolean sameFile(Path a, Path b) {
            if (a.equals(b)) {
                return true;
            }
            try {
                return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
            } catch (java.io.IOException | SecurityException e) {
                return false;
            }
        }

        private String text(ObjectNode root, String field, String fallback) {
            JsonNode v = root.get(field);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isTextual()) {
                problems.add(doc.at("/" + field, field + " must be a string, got " + v));
                return fallback;
            }
            return v.textValue();
        }

        private <T> T required(ObjectNode root, String field, Kind kind, Class<T> type) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                problems.add(doc.at("", "missing required field '" + field + "'; known " + kind.label() + "s: "
                        + String.join(", ", registry.names(kind))));
                return null;
            }
            ArrayNode holder = JSON.arrayNode();
            T bound = slot(kind, "/" + field, node, type, holder);
            if (!holder.isEmpty()) {
                explained.set(field, holder.get(0));
            }
            return bound;
        }

        private List<Stage> steps(JsonNode node) {
            List<Stage> steps = new ArrayList<>();
            ArrayNode explainedSteps = explained.putArray("steps");
            if (node == null || node.isNull()) {
                return steps;
            }
            if (!node.isArray()) {
                problems.add(doc.at("/steps", "steps must be a list of one-key maps such as '- parse: json'"));
                return steps;
            }
            List<ComponentSpec.Bound<?>> bound = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                steps.add(slot(Kind.STEP, "/steps/" + i, node.get(i), Stage.class, explainedSteps, bound));
            }
            return problems.isEmpty() ? fuseStreamingSplits(steps, bound) : steps;
        }

        /**
         * A {@code fetch} directly followed by a {@code parse} that reads records ({@code split}, ndjson,
         * csv, lines) becomes one streaming stage: the fetch hands the body's chunks to the parser, so
         * records flow before the body ends and a huge body never sits in memory. Followed by a
         * whole-body {@code parse: json}, the fetch parses each body once from its bytes
         * ({@link Fetch#parseWith}), with the same values and failures as the separate step.
         */
        private static List<Stage> fuseStreamingSplits(List<Stage> steps, List<ComponentSpec.Bound<?>> bound) {
            List<Stage> fused = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                Stage step = steps.get(i);
                if (i + 1 < steps.size() && step instanceof Fetch fetch && "fetch".equals(bound.get(i).spec().name())
                        && !bound.get(i).config().toJson().has("into")
                        && "parse".equals(bound.get(i + 1).spec().name())) {
                    var reader = ParseSpecs.streaming(bound.get(i + 1).config());
                    if (reader.isPresent()) {
                        fused.add(fetch.decodeWith(BodyDecoder.ofItems(reader.get())));
                        i++;
                        continue;
                    }
                    if (steps.get(i + 1) == Parse.json()) {
                        fused.add(fetch.parseWith(Parse::json));
                        i++;
                        continue;
                    }
                }
                fused.add(step);
            }
            return fused;
        }

        private <T> T slot(Kind kind, String pointer, JsonNode node, Class<T> type, ArrayNode explainInto) {
            return slot(kind, pointer, node, type, explainInto, new ArrayList<>());
        }

        private <T> T slot(Kind kind, String pointer, JsonNode node, Class<T> type, ArrayNode explainInto,
                List<ComponentSpec.Bound<?>> boundOut) {
            List<String> names = registry.names(kind);
            if (node == null || !node.isObject() || node.size() != 1) {
                problems.add(doc.at(pointer, kind.label() + " must be a one-key map {name: settings}; known: "
                        + String.join(", ", names)));
                return null;
            }
            String name = node.fieldNames().next();
            ComponentSpec<?> spec = registry.find(kind, name).orElse(null);
            if (spec == null) {
                problems.add(doc.atKey(pointer + "/" + name, "unknown " + kind.label() + " '" + name + "'"
                        + Suggestions.didYouMean(name, names) + "; known: " + String.join(", ", names)));
                return null;
            }
            ComponentSpec.Bound<?> bound = spec.bind(node.get(name), doc, pointer + "/" + name, problems);
            if (bound == null) {
                return null;
            }
            if (!type.isInstance(bound.component())) {
                problems.add(doc.at(pointer, kind.label() + " '" + name + "' does not build a " + type.getSimpleName()));
                return null;
            }
            explainInto.addObject().set(name, bound.config().toJson());
            boundOut.add(bound);
            return type.cast(bound.component());
        }
    }

    private static void applyOverride(ObjectNode root, String override, String file, List<Problem> problems) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            problems.add(new Problem(file, 0, 0, "", "--set expects path=value, was '" + override + "'"));
            return;
        }
        String[] path = override.substring(0, eq).split("\\.");
        JsonNode value;
        try {
            value = SCALARS.readTree(override.substring(eq + 1));
        } catch (IOException e) {
            problems.add(new Problem(file, 0, 0, "", "--set " + override + ": value is not valid YAML"));
            return;
        }
        JsonNode node = root;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode next = node.isArray() && path[i].matches("\\d+") ? node.get(Integer.parseInt(path[i])) : node.get(path[i]);
            if (next == null && node.isObject()) {
                next = ((ObjectNode) node).putObject(path[i]);
            }
            if (next == null || !next.isContainerNode()) {
                problems.add(new Problem(file, 0, 0, "", "--set " + override + ": no map or list at '" + path[i] + "'"));
                return;
            }
            node = next;
        }
        String last = path[path.length - 1];
        if (node instanceof ObjectNode obj) {
            obj.set(last, value == null ? obj.nullNode() : value);
        } else if (node instanceof ArrayNode arr && last.matches("\\d+") && Integer.parseInt(last) < arr.size()) {
            arr.set(Integer.parseInt(last), value);
        } else {
            problems.add(new Problem(file, 0, 0, "", "--set " + override + ": cannot set '" + last + "'"));
        }
    }
}
