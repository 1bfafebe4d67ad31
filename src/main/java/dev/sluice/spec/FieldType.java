package dev.sluice.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a {@link Field}: how a YAML value is read and checked, how a value is shown in docs
 * and {@code explain}, and its JSON Schema.
 *
 * @param <T> the Java type
 */
public abstract class FieldType<T> {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Appended when YAML typed a value that was meant as text. */
    static final String QUOTE_IT = "; quote it to keep it as text";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** A string. */
    public static final FieldType<String> STRING = scalar("string", "string", JsonNode::isTextual, JsonNode::textValue,
            JSON::textNode, node -> "must be a string, got " + describe(node)
                    + (node.isNumber() || node.isBoolean() ? QUOTE_IT : ""));

    /** A whole number. */
    public static final FieldType<Integer> INTEGER = scalar("integer", "integer",
            node -> node.isIntegralNumber() && node.canConvertToInt(), JsonNode::intValue, JSON::numberNode,
            node -> "must be an integer, got " + describe(node));

    /** A whole number that may exceed the int range. */
    public static final FieldType<Long> LONG = scalar("integer", "integer",
            node -> node.isIntegralNumber() && node.canConvertToLong(), JsonNode::longValue, JSON::numberNode,
            node -> "must be an integer, got " + describe(node));

    /** true or false. */
    public static final FieldType<Boolean> BOOLEAN = scalar("boolean", "boolean", JsonNode::isBoolean,
            JsonNode::booleanValue, JSON::booleanNode, node -> "must be true or false, got " + describe(node));

    /** A duration written as {@code 250ms}, {@code 10s}, {@code 2m} or {@code 1h}. */
    public static final FieldType<Duration> DURATION_TYPE = new FieldType<>("duration") {
        @Override
        Duration read(JsonNode node) {
            Matcher m = DURATION.matcher(node.isTextual() ? node.textValue() : "");
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "must be a duration such as 250ms, 10s, 2m or 1h, was " + describe(node));
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }

        @Override
        JsonNode toJson(Duration value) {
            return JSON.textNode(format(value));
        }

        @Override
        ObjectNode schema() {
            return JSON.objectNode().put("type", "string").put("pattern", "^[0-9]+(ms|s|m|h)$");
        }
    };

    /** A list of strings. */
    public static final FieldType<List<String>> STRING_LIST = listOf("strings", STRING);

    /** A map of names to strings (headers, say). */
    public static final FieldType<Map<String, String>> STRING_MAP = new FieldType<>("map of strings") {
        @Override
        Map<String, String> read(JsonNode node) {
            if (!node.isObject()) {
                throw new IllegalArgumentException("must be a map of names to strings, got " + describe(node));
            }
            Map<String, String> out = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new IllegalArgumentException("must be a map of names to strings; '" + e.getKey()
                            + "' is " + describe(e.getValue()));
                }
                out.put(e.getKey(), e.getValue().asText());
            });
            return Map.copyOf(out);
        }

        @Override
        JsonNode toJson(Map<String, String> value) {
            ObjectNode o = JSON.objectNode();
            new java.util.TreeMap<>(value).forEach(o::put);
            return o;
        }

        @Override
        ObjectNode schema() {
            ObjectNode s = JSON.objectNode().put("type", "object");
            s.putObject("additionalProperties").put("type", "string");
            return s;
        }
    };

    /** A byte size written as {@code 512}, {@code 64KB}, {@code 10MB} or {@code 1GB} (powers of 1024). */
    public static final FieldType<Long> SIZE = text("size", "bytes, or a number with KB, MB or GB, such as 10MB",
            FieldType::parseSize, FieldType::formatSize);

    /** A list of whole numbers (HTTP statuses, say). */
    public static final FieldType<List<Integer>> INTEGER_LIST = listOf("integers", INTEGER);

    /** A nested map of its own fields, e.g. {@code retry: {attempts: 4, backoff: 250ms}}. */
    static final class Group extends FieldType<ParsedConfig> {
        private final String owner;
        private final List<Field<?>> fields;

        Group(String owner, List<Field<?>> fields) {
            super("map");
            this.owner = owner;
            this.fields = List.copyOf(fields);
        }

        List<Field<?>> fields() {
            return fields;
        }

        ParsedConfig empty() {
            return new ParsedConfig(owner, fields, Map.of());
        }

        @Override
        ParsedConfig read(JsonNode node) {
            throw new IllegalStateException("groups are read by ComponentSpec with their positions");
        }

        @Override
        JsonNode toJson(ParsedConfig value) {
            return value.toJson();
        }

        @Override
        ObjectNode schema() {
            ObjectNode s = JSON.objectNode().put("type", "object").put("additionalProperties", false);
            ObjectNode props = s.putObject("properties");
            for (Field<?> f : fields) {
                props.set(f.name(), ComponentSpec.fieldSchema(f));
            }
            return s;
        }
    }

    private final String name;

    /** A type whose values are one JSON scalar kind, read as is. */
    private static <T> FieldType<T> scalar(String name, String schemaType, java.util.function.Predicate<JsonNode> accepts,
            Function<JsonNode, T> value, Function<T, JsonNode> json, Function<JsonNode, String> refusal) {
        return new FieldType<>(name) {
            @Override
            T read(JsonNode node) {
                if (!accepts.test(node)) {
                    throw new IllegalArgumentException(refusal.apply(node));
                }
                return value.apply(node);
            }

            @Override
            JsonNode toJson(T v) {
                return json.apply(v);
            }

            @Override
            ObjectNode schema() {
                return JSON.objectNode().put("type", schemaType);
            }
        };
    }

    /** A list whose elements are each read, shown and described by {@code element}. */
    private static <E> FieldType<List<E>> listOf(String plural, FieldType<E> element) {
        return new FieldType<>("list of " + plural) {
            @Override
            List<E> read(JsonNode node) {
                if (!node.isArray()) {
                    throw new IllegalArgumentException("must be a list of " + plural + ", got " + describe(node));
                }
                List<E> out = new ArrayList<>();
                for (JsonNode e : node) {
                    try {
                        out.add(element.read(e));
                    } catch (IllegalArgumentException notElement) {
                        throw new IllegalArgumentException("must be a list of " + plural + "; item " + out.size()
                                + " is " + describe(e), notElement);
                    }
                }
                return List.copyOf(out);
            }

            @Override
            JsonNode toJson(List<E> value) {
                ArrayNode a = JSON.arrayNode();
                value.forEach(v -> a.add(element.toJson(v)));
                return a;
            }

            @Override
            ObjectNode schema() {
                ObjectNode s = JSON.objectNode().put("type", "array");
                s.set("items", element.schema());
                return s;
            }
        };
    }

    FieldType(String name) {
        this.name = name;
    }

    /**
     * Creates a type for values written as one of a fixed set of strings.
     *
     * @param values the allowed values, in the order docs list them
     * @return a new type
     */
    public static FieldType<String> oneOf(List<String> values) {
        List<String> allowed = List.copyOf(values);
        return new FieldType<>("one of " + String.join(", ", allowed)) {
            @Override
            String read(JsonNode node) {
                String v = node.isValueNode() ? node.asText() : null;
                if (v == null || !allowed.contains(v)) {
                    String given = v == null ? describe(node) : "'" + v + "'";
                    throw new IllegalArgumentException("must be one of " + String.join(", ", allowed) + ", was "
                            + given + (v == null ? "" : Suggestions.didYouMean(v, allowed)));
                }
                return v;
            }

            @Override
            JsonNode toJson(String value) {
                return JSON.textNode(value);
            }

            @Override
            ObjectNode schema() {
                ObjectNode s = JSON.objectNode().put("type", "string");
                ArrayNode e = s.putArray("enum");
                allowed.forEach(e::add);
                return s;
            }
        };
    }

    /**
     * Creates a type for values written as a string in a small language of their own (a rate such as
     * {@code 50/s}, a size such as {@code 10MB}).
     *
     * @param name the type's name in docs, e.g. {@code "rate"}
     * @param forms the accepted forms, for messages, e.g. {@code "N/s, N/m or N/h, such as 50/s"}
     * @param parse parses the text, throwing {@link IllegalArgumentException} when it is not valid
     * @param print prints a value back in the same language
     * @param <T> the value type
     * @return a new type
     */
    public static <T> FieldType<T> text(String name, String forms, Function<String, T> parse, Function<T, String> print) {
        Objects.requireNonNull(parse, "parse");
        return new FieldType<>(name) {
            @Override
            T read(JsonNode node) {
                if (!node.isValueNode() || node.isNull()) {
                    throw new IllegalArgumentException("must be a " + name + " (" + forms + "), got " + describe(node));
                }
                try {
                    return parse.apply(node.asText());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("must be a " + name + " (" + forms + "), was '"
                            + node.asText() + "'");
                }
            }

            @Override
            JsonNode toJson(T value) {
                return JSON.textNode(print.apply(value));
            }

            @Override
            ObjectNode schema() {
                return JSON.objectNode().put("type", "string").put("description", "a " + name + ": " + forms);
            }
        };
    }

    /**
     * Returns the type's name as docs show it.
     *
     * @return e.g. {@code "duration"}
     */
    public String name() {
        return name;
    }

    /** Reads a value, throwing {@link IllegalArgumentException} with a message that follows the field name. */
    abstract T read(JsonNode node);

    /** Shows a value as JSON, for docs and explain. */
    abstract JsonNode toJson(T value);

    /** Returns this type's JSON Schema. */
    abstract ObjectNode schema();

    static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "'" + node.textValue() + "'";
        }
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.toString();
    }

    /**
     * Parses a size such as {@code 10MB}.
     *
     * @param text the size
     * @return bytes
     * @throws IllegalArgumentException when the text is not a size
     */
    public static long parseSize(String text) {
        Matcher m = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?").matcher(text.strip().toUpperCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        return switch (unit) {
            case "KB" -> n * 1024;
            case "MB" -> n * 1024 * 1024;
            case "GB" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    /**
     * Formats a size the way files write it.
     *
     * @param bytes the size
     * @return e.g. {@code "10MB"}
     */
    public static String formatSize(long bytes) {
        if (bytes > 0 && bytes % (1024L * 1024 * 1024) == 0) {
            return bytes / (1024L * 1024 * 1024) + "GB";
        }
        if (bytes > 0 && bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + "MB";
        }
        if (bytes > 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "KB";
        }
        return Long.toString(bytes);
    }

    /**
     * Formats a duration the way files write it.
     *
     * @param d the duration
     * @return e.g. {@code "250ms"}, {@code "10s"}, {@code "2m"}
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0 && ms > 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
