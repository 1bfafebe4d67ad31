package dev.sluice.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.ConfigException;
import dev.sluice.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Declares one component once: its slot, name, summary, fields, examples and factory. Binding from a
 * pipeline file ({@link #bind}), the Java-side {@link #parse}, docs, {@code components} and the JSON
 * Schema are all derived from it.
 *
 * @param <T> what the factory builds: a {@code Source}, {@code Stage} or {@code Sink}
 */
public final class ComponentSpec<T> {

    private final Kind kind;
    private final String name;
    private final String summary;
    private final List<Field<?>> fields;
    private final Field<?> shorthand;
    private final List<Example> examples;
    private final List<Function<ParsedConfig, List<Violation>>> rules;
    private final Status status;
    private final Function<ParsedConfig, T> factory;

    private ComponentSpec(Builder<T> b, Function<ParsedConfig, T> factory) {
        this.kind = b.kind;
        this.name = b.name;
        this.summary = b.summary;
        this.fields = List.copyOf(b.fields);
        this.shorthand = b.shorthand;
        this.examples = List.copyOf(b.examples);
        this.rules = List.copyOf(b.rules);
        this.status = b.status;
        this.factory = factory;
    }

    /**
     * Starts the declaration of a source.
     *
     * @param name the snake_case name
     * @param <T> what the factory builds
     * @return a new builder
     */
    public static <T> Builder<T> source(String name) {
        return new Builder<>(Kind.SOURCE, name);
    }

    /**
     * Starts the declaration of a step.
     *
     * @param name the snake_case name
     * @param <T> what the factory builds
     * @return a new builder
     */
    public static <T> Builder<T> step(String name) {
        return new Builder<>(Kind.STEP, name);
    }

    /**
     * Starts the declaration of a sink.
     *
     * @param name the snake_case name
     * @param <T> what the factory builds
     * @return a new builder
     */
    public static <T> Builder<T> sink(String name) {
        return new Builder<>(Kind.SINK, name);
    }

    /**
     * Starts the declaration of a dead-letter sink.
     *
     * @param name the snake_case name
     * @param <T> what the factory builds
     * @return a new builder
     */
    public static <T> Builder<T> deadLetter(String name) {
        return new Builder<>(Kind.DEAD_LETTER, name);
    }

    /** A component built from a file, with the configuration it was built from. */
    public record Bound<T>(ComponentSpec<T> spec, T component, ParsedConfig config) {}

    /**
     * Binds a component from its configuration in a file, adding every problem found.
     *
     * @param config the value of the component's slot: a map, a scalar shorthand, or null for defaults
     * @param at locates problems
     * @param pointer the JSON Pointer of {@code config}
     * @param problems where problems are added
     * @return the bound component, or null when there were problems
     */
    public Bound<T> bind(JsonNode config, Locator at, String pointer, List<Problem> problems) {
        int before = problems.size();
        Map<String, Object> values = new LinkedHashMap<>();
        java.util.Set<String> given = new java.util.HashSet<>();
        if (config != null && !config.isNull() && !config.isObject()) {
            if (shorthand == null) {
                problems.add(at.at(pointer, name + " expects a map of settings, got " + FieldType.describe(config)));
                return null;
            }
            given.add(shorthand.name());
            FieldReader.read(shorthand, config, pointer, at, values, problems);
        } else if (config != null && config.isObject()) {
            FieldReader.readObject(name, fields, config, pointer, at, values, given, problems);
        }
        FieldReader.requireGiven(fields, given, pointer, at, problems);
        if (problems.size() > before) {
            return null;
        }
        ParsedConfig parsed = new ParsedConfig(name, fields, values);
        for (Function<ParsedConfig, List<Violation>> rule : rules) {
            for (Violation v : rule.apply(parsed)) {
                problems.add(at.at(v.field().isEmpty() ? pointer : pointer + "/" + v.field(), v.message()));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            return new Bound<>(this, factory.apply(parsed), parsed);
        } catch (IllegalArgumentException e) {
            problems.add(at.at(pointer, name + ": " + e.getMessage()));
            return null;
        }
    }

    /**
     * Builds the component from its configuration written as YAML, as a file would hold it in the
     * component's slot, e.g. {@code "timeout: 5s"} or {@code "json"}.
     *
     * @param yaml the configuration
     * @return the component
     * @throws ConfigException with every problem found
     */
    public T parse(String yaml) {
        List<Problem> problems = new ArrayList<>();
        YamlDocument doc = YamlDocument.read(yaml, "<" + kind.label() + " " + name + ">", problems);
        Bound<T> bound = doc == null ? null : bind(doc.root(), doc, "", problems);
        if (bound == null) {
            throw new ConfigException(problems);
        }
        return bound.component();
    }

    /**
     * Returns the JSON Schema of the component's slot value (a map of its fields, or the shorthand
     * scalar).
     *
     * @return a new schema object
     */
    public ObjectNode configSchema() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode object = json.objectNode().put("type", "object").put("additionalProperties", false);
        ObjectNode props = object.putObject("properties");
        ArrayNode required = json.arrayNode();
        for (Field<?> f : fields) {
            props.set(f.name(), fieldSchema(f));
            if (f.isRequired()) {
                required.add(f.name());
            }
        }
        if (!required.isEmpty()) {
            object.set("required", required);
        }
        if (shorthand == null) {
            if (required.isEmpty()) {
                ObjectNode either = json.objectNode();
                either.putArray("anyOf").add(object).add(json.objectNode().put("type", "null"));
                return either;
            }
            return object;
        }
        ObjectNode either = json.objectNode();
        either.putArray("anyOf").add(fieldSchema(shorthand)).add(object);
        return either;
    }

    static <V> ObjectNode fieldSchema(Field<V> f) {
        ObjectNode s = f.type().schema();
        if (!f.description().isEmpty()) {
            s.put("description", f.description());
        }
        f.defaultValue().ifPresent(d -> s.set("default", f.type().toJson(d)));
        return s;
    }

    /**
     * Returns the slot.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the name.
     *
     * @return the snake_case name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the one-sentence summary.
     *
     * @return the summary
     */
    public String summary() {
        return summary;
    }

    /**
     * Returns the fields in declaration order.
     *
     * @return the fields
     */
    public List<Field<?>> fields() {
        return fields;
    }

    /**
     * Returns the field a scalar value stands for ({@code parse: json} means {@code format: json}).
     *
     * @return the shorthand field, or empty when the component takes only a map
     */
    public java.util.Optional<Field<?>> shorthand() {
        return java.util.Optional.ofNullable(shorthand);
    }

    /**
     * Returns the examples.
     *
     * @return the examples
     */
    public List<Example> examples() {
        return examples;
    }

    /**
     * Returns the status.
     *
     * @return the status
     */
    public Status status() {
        return status;
    }

    @Override
    public String toString() {
        return kind.label() + " " + name;
    }

    /**
     * Builds a {@link ComponentSpec}.
     *
     * @param <T> what the factory builds
     */
    public static final class Builder<T> {
        private final Kind kind;
        private final String name;
        private String summary = "";
        private final List<Field<?>> fields = new ArrayList<>();
        private Field<?> shorthand;
        private final List<Example> examples = new ArrayList<>();
        private final List<Function<ParsedConfig, List<Violation>>> rules = new ArrayList<>();
        private Status status = Status.EXPERIMENTAL;

        private Builder(Kind kind, String name) {
            this.kind = kind;
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * Sets the summary.
         *
         * @param text one sentence, present tense
         * @return this builder
         */
        public Builder<T> summary(String text) {
            this.summary = text;
            return this;
        }

        /**
         * Adds fields.
         *
         * @param more the fields, in the order docs list them
         * @return this builder
         */
        public Builder<T> fields(Field<?>... more) {
            fields.addAll(List.of(more));
            return this;
        }

        /**
         * Lets a scalar stand for one field ({@code parse: json}); the field must be among the fields.
         *
         * @param field the field
         * @return this builder
         */
        public Builder<T> shorthand(Field<?> field) {
            if (!fields.contains(field)) {
                fields.add(field);
            }
            this.shorthand = field;
            return this;
        }

        /**
         * Adds an example.
         *
         * @param title what it shows
         * @param yaml the slot as a file holds it, e.g. {@code "fetch: {concurrency: 2}"}
         * @return this builder
         */
        public Builder<T> example(String title, String yaml) {
            examples.add(new Example(title, yaml));
            return this;
        }

        /**
         * Adds a cross-field rule, checked once every field is valid.
         *
         * @param rule returns the violations, empty when the configuration is fine
         * @return this builder
         */
        public Builder<T> rule(Function<ParsedConfig, List<Violation>> rule) {
            rules.add(rule);
            return this;
        }

        /**
         * Marks the component beta.
         *
         * @return this builder
         */
        public Builder<T> beta() {
            this.status = Status.BETA;
            return this;
        }

        /**
         * Marks the component stable.
         *
         * @return this builder
         */
        public Builder<T> stable() {
            this.status = Status.STABLE;
            return this;
        }

        /**
         * Finishes the declaration with the factory that builds the component.
         *
         * @param create builds the component from checked configuration; may throw
         *     {@link IllegalArgumentException}, reported as a problem at the component
         * @return the spec
         */
        public ComponentSpec<T> factory(Function<ParsedConfig, T> create) {
            return new ComponentSpec<>(this, Objects.requireNonNull(create, "factory"));
        }
    }
}
