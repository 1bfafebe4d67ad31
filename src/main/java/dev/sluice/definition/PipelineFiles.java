package dev.sluice.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.ConfigException;
import dev.sluice.Pipeline;
import dev.sluice.Problem;
import dev.sluice.Sink;
import dev.sluice.Source;
import dev.sluice.Stage;
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
 * (duplicate keys are errors); {@code --set path=value} overrides; binding of every component with
 * type checks, unknown-field and unknown-component errors with "did you mean" suggestions. Relative
 * paths in the file are resolved against the working directory, as every command-line tool does.
 *
 * <p>Reading is blocking file I/O: call it from the CLI or a test, not from a reactive operator.
 */
public final class PipelineFiles {

    private static final List<String> TOP_LEVEL = List.of("name", "description", "source", "steps", "sink", "dead_letter");
    private static final YAMLMapper SCALARS = new YAMLMapper();

    private PipelineFiles() {}

    /**
     * Reads and validates a pipeline file.
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
            throw new ConfigException(List.of(new Problem(file.toString(), 0, 0, "", "cannot read pipeline file: " + e)));
        }
        String name = file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
        return parse(text, file.toString(), name, env, overrides);
    }

    /**
     * Validates a pipeline given as text.
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
        Problems problems = new Problems();
        List<Problem> early = new ArrayList<>();
        String interpolated = Interpolation.apply(text, file, env, early);
        early.forEach(problems::add);
        LocatedTree tree = LocatedTree.read(interpolated, file, early);
        if (tree == null || !tree.root().isObject()) {
            if (tree != null) {
                problems.add(tree.problem("", "a pipeline file must be a map with source, steps and sink"));
            } else {
                early.stream().skip(problems.list().size()).forEach(problems::add);
            }
            throw new ConfigException(problems.list());
        }
        ObjectNode root = (ObjectNode) tree.root();
        for (String override : overrides) {
            applyOverride(root, override, file, problems);
        }
        PipelineDefinition definition = bind(root, tree, defaultName, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.list());
        }
        return definition;
    }

    private static PipelineDefinition bind(ObjectNode root, LocatedTree tree, String defaultName, Problems problems) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP_LEVEL.contains(key)) {
                problems.add(tree.keyProblem("/" + key, "unknown field '" + key + "'"
                        + Problems.didYouMean(key, TOP_LEVEL) + "; known: " + String.join(", ", TOP_LEVEL)));
            }
        }
        Components components = new Components(tree, problems);
        Source source = root.has("source") ? components.source("/source", root.get("source")) : missing(tree, problems, "source");
        List<Stage> steps = new ArrayList<>();
        JsonNode stepsNode = root.get("steps");
        if (stepsNode != null && !stepsNode.isNull()) {
            if (stepsNode.isArray()) {
                for (int i = 0; i < stepsNode.size(); i++) {
                    steps.add(components.step("/steps/" + i, stepsNode.get(i)));
                }
            } else {
                problems.add(tree.problem("/steps", "steps must be a list of one-key maps such as '- parse: json'"));
            }
        }
        Sink sink = root.has("sink") ? components.sink("/sink", root.get("sink"), false) : missing(tree, problems, "sink");
        Sink deadLetter = root.has("dead_letter") && !root.get("dead_letter").isNull()
                ? components.sink("/dead_letter", root.get("dead_letter"), true)
                : null;
        if (!problems.isEmpty()) {
            return null;
        }
        String name = root.path("name").asText(defaultName);
        String description = root.path("description").asText("");
        return new PipelineDefinition(name, description, source, steps, sink,
                deadLetter != null ? deadLetter : Pipeline.loggedDeadLetters());
    }

    private static <T> T missing(LocatedTree tree, Problems problems, String field) {
        problems.add(tree.problem("", "missing required field '" + field + "'"));
        return null;
    }

    private static void applyOverride(ObjectNode root, String override, String file, Problems problems) {
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
