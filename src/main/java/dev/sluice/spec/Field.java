package dev.sluice.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One configuration field of a component, declared once: its snake_case name, type, default (or
 * required), constraints, description and examples. Binding, validation, docs, the JSON Schema and
 * the Java API's own checks ({@link #require}) all read this declaration.
 *
 * <p>Fields are immutable; every {@code withX}-style method returns a new field.
 *
 * @param <T> the Java type of the value
 */
public final class Field<T> {

    private final String name;
    private final FieldType<T> type;
    private final String description;
    private final T defaultValue;
    private final boolean required;
    private final boolean advanced;
    private final boolean secret;
    private final List<Check<T>> checks;
    private final List<String> constraints;

    private record Check<T>(Predicate<T> test, String rule) {}

    private Field(String name, FieldType<T> type, String description, T defaultValue, boolean required,
            boolean advanced, boolean secret, List<Check<T>> checks, List<String> constraints) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.description = description;
        this.defaultValue = defaultValue;
        this.required = required;
        this.advanced = advanced;
        this.secret = secret;
        this.checks = List.copyOf(checks);
        this.constraints = List.copyOf(constraints);
    }

    /**
     * Declares a field of any type; it is optional, with no default, until told otherwise.
     *
     * @param name the snake_case name as written in files
     * @param type the type
     * @param <T> the Java type
     * @return a new field
     */
    public static <T> Field<T> of(String name, FieldType<T> type) {
        return new Field<>(name, type, "", null, false, false, false, List.of(), List.of());
    }

    /**
     * Declares a string field.
     *
     * @param name the name
     * @return a new field
     */
    public static Field<String> string(String name) {
        return of(name, FieldType.STRING);
    }

    /**
     * Declares an integer field.
     *
     * @param name the name
     * @return a new field
     */
    public static Field<Integer> integer(String name) {
        return of(name, FieldType.INTEGER);
    }

    /**
     * Declares a long integer field.
     *
     * @param name the name
     * @return a new field
     */
    public static Field<Long> longInteger(String name) {
        return of(name, FieldType.LONG);
    }

    /**
     * Declares a boolean field.
     *
     * @param name the name
     * @return a new field
     */
    public static Field<Boolean> bool(String name) {
        return of(name, FieldType.BOOLEAN);
    }

    /**
     * Declares a duration field ({@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h}).
     *
     * @param name the name
     * @return a new field
     */
    public static Field<Duration> duration(String name) {
        return of(name, FieldType.DURATION_TYPE);
    }

    /**
     * Declares a nested map of fields, e.g. {@code retry: {attempts: 4, backoff: 250ms}}; absent, every
     * nested field takes its default.
     *
     * @param name the name
     * @param fields the nested fields
     * @return a new field
     */
    public static Field<ParsedConfig> group(String name, Field<?>... fields) {
        FieldType.Group type = new FieldType.Group(name, List.of(fields));
        return of(name, type).defaultsTo(type.empty());
    }

    /**
     * Declares a list-of-integers field.
     *
     * @param name the name
     * @return a new field
     */
    public static Field<List<Integer>> integerList(String name) {
        return of(name, FieldType.INTEGER_LIST);
    }

    /**
     * Declares a byte-size field ({@code 512}, {@code 64KB}, {@code 10MB}, {@code 1GB}).
     *
     * @param name the name
     * @return a new field
     */
    public static Field<Long> size(String name) {
        return of(name, FieldType.SIZE);
    }

    /**
     * Declares a field whose value is one of a fixed set of strings.
     *
     * @param name the name
     * @param values the allowed values
     * @return a new field
     */
    public static Field<String> oneOf(String name, String... values) {
        return of(name, FieldType.oneOf(List.of(values)));
    }

    /**
     * Declares a list-of-strings field.
     *
     * @param name the name
     * @return a new field
     */
    public static Field<List<String>> stringList(String name) {
        return of(name, FieldType.STRING_LIST);
    }

    /**
     * Declares a map-of-strings field.
     *
     * @param name the name
     * @return a new field
     */
    public static Field<Map<String, String>> stringMap(String name) {
        return of(name, FieldType.STRING_MAP);
    }

    /**
     * Gives the field a default, making it optional.
     *
     * @param value the default
     * @return a new field
     */
    public Field<T> defaultsTo(T value) {
        return new Field<>(name, type, description, Objects.requireNonNull(value, "default"), false, advanced, secret,
                checks, constraints);
    }

    /**
     * Makes the field required.
     *
     * @return a new field
     */
    public Field<T> required() {
        return new Field<>(name, type, description, null, true, advanced, secret, checks, constraints);
    }

    /**
     * Sets the description shown in docs, the schema and {@code components}.
     *
     * @param text one or two sentences
     * @return a new field
     */
    public Field<T> describe(String text) {
        return new Field<>(name, type, text, defaultValue, required, advanced, secret, checks, constraints);
    }

    /**
     * Marks the field as advanced: docs list it after the common ones.
     *
     * @return a new field
     */
    public Field<T> advanced() {
        return new Field<>(name, type, description, defaultValue, required, true, secret, checks, constraints);
    }

    /**
     * Marks the field as secret: {@code explain}, logs and reports never show its value.
     *
     * @return a new field
     */
    public Field<T> secret() {
        return new Field<>(name, type, description, defaultValue, required, advanced, true, checks, constraints);
    }

    /**
     * Adds a constraint.
     *
     * @param test what a valid value satisfies
     * @param rule the rule in words, completing "{name} must ...", e.g. {@code "be >= 1"}
     * @return a new field
     */
    public Field<T> check(Predicate<T> test, String rule) {
        List<Check<T>> next = new ArrayList<>(checks);
        next.add(new Check<>(test, rule));
        List<String> words = new ArrayList<>(constraints);
        words.add(rule);
        return new Field<>(name, type, description, defaultValue, required, advanced, secret, next, words);
    }

    /**
     * Adds a constraint checked by code that throws {@link IllegalArgumentException} with its own
     * message (a jq compiler, say).
     *
     * @param validator throws when the value is invalid
     * @param rule the rule in words, for docs
     * @return a new field
     */
    public Field<T> validate(Consumer<T> validator, String rule) {
        return check(v -> {
            validator.accept(v);
            return true;
        }, rule);
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
     * Returns the type.
     *
     * @return the type
     */
    public FieldType<T> type() {
        return type;
    }

    /**
     * Returns the description.
     *
     * @return the description, possibly empty
     */
    public String description() {
        return description;
    }

    /**
     * Tells whether the field must be given.
     *
     * @return true when required
     */
    public boolean isRequired() {
        return required;
    }

    /**
     * Tells whether docs list the field among the advanced ones.
     *
     * @return true when advanced
     */
    public boolean isAdvanced() {
        return advanced;
    }

    /**
     * Tells whether the value is a secret.
     *
     * @return true when secret
     */
    public boolean isSecret() {
        return secret;
    }

    /**
     * Returns the constraints in words.
     *
     * @return e.g. {@code ["be >= 1"]}
     */
    public List<String> constraints() {
        return constraints;
    }

    /**
     * Returns the default.
     *
     * @return the default, or empty when the field is required or has none
     */
    public java.util.Optional<T> defaultValue() {
        return java.util.Optional.ofNullable(defaultValue);
    }

    /**
     * Checks a value given through the Java API, with the same rules as a file.
     *
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException naming the field, the rule and the value, e.g.
     *     {@code "concurrency must be >= 1, was 0"}
     */
    public T require(T value) {
        Objects.requireNonNull(value, name);
        for (Check<T> c : checks) {
            boolean ok;
            try {
                ok = c.test().test(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
            if (!ok) {
                throw new IllegalArgumentException(name + " must " + c.rule() + ", was " + show(value));
            }
        }
        return value;
    }

    /** Reads and checks a value from a file; throws {@link IllegalArgumentException} with a full message. */
    T read(JsonNode node) {
        T value;
        try {
            value = type.read(node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " " + e.getMessage(), e);
        }
        return require(value);
    }

    /**
     * Shows a value as JSON (secrets as {@code "***"}).
     *
     * @param value the value
     * @return the JSON form
     */
    public JsonNode toJson(T value) {
        return secret ? com.fasterxml.jackson.databind.node.TextNode.valueOf("***") : type.toJson(value);
    }

    private String show(T value) {
        if (secret) {
            return "***";
        }
        JsonNode json = type.toJson(value);
        return json.isTextual() ? "'" + json.textValue() + "'" : json.toString();
    }

    @Override
    public String toString() {
        return "Field[" + name + ": " + type.name() + "]";
    }
}
