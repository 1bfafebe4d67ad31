package dev.sluice.definition;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Kind;

/**
 * Derives the JSON Schema (draft 2020-12) of pipeline files from the component specs, for editor
 * completion and validation (e.g. VS Code's YAML extension).
 */
public final class PipelineSchema {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private PipelineSchema() {}

    /**
     * Builds the schema.
     *
     * @param registry the components files may name
     * @return a new schema document
     */
    public static ObjectNode of(ComponentRegistry registry) {
        ObjectNode schema = JSON.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("title", "Sluice pipeline");
        schema.put("description", "A Sluice pipeline file: a source, steps, a sink and a dead-letter sink.");
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        schema.putArray("required").add("source").add("sink");
        ObjectNode props = schema.putObject("properties");
        props.putObject("name").put("type", "string").put("description", "The pipeline's name, shown in summaries.");
        props.putObject("description").put("type", "string").put("description", "What the pipeline does.");
        props.set("source", slot(registry, Kind.SOURCE, "Where inputs come from."));
        ObjectNode steps = props.putObject("steps");
        steps.put("type", "array").put("description", "What happens to each item, in order.");
        steps.set("items", slot(registry, Kind.STEP, "One step."));
        props.set("sink", slot(registry, Kind.SINK, "Where good items go."));
        props.set("dead_letter", slot(registry, Kind.DEAD_LETTER, "Where failed items go, one line each."));
        return schema;
    }

    private static ObjectNode slot(ComponentRegistry registry, Kind kind, String description) {
        ObjectNode slot = JSON.objectNode().put("description", description);
        ArrayNode oneOf = slot.putArray("oneOf");
        for (ComponentSpec<?> spec : registry.of(kind)) {
            ObjectNode option = oneOf.addObject();
            option.put("type", "object").put("description", spec.summary()).put("additionalProperties", false);
            option.putArray("required").add(spec.name());
            option.putObject("properties").set(spec.name(), spec.configSchema());
        }
        return slot;
    }
}
