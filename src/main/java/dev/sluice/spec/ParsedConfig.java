package dev.sluice.spec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The checked configuration of one component: the value of each declared field, defaults filled in.
 * Factories read it with {@link #get(Field)}.
 */
public final class ParsedConfig {

    private final String component;
    private final List<Field<?>> fields;
    private final Map<String, Object> values;

    ParsedConfig(String component, List<Field<?>> fields, Map<String, Object> values) {
        this.component = component;
        this.fields = List.copyOf(fields);
        this.values = new LinkedHashMap<>(values);
    }

    /**
     * Returns the value of a field, or its default.
     *
     * @param field a field declared by the component
     * @param <T> the value type
     * @return the value
     * @throws NoSuchElementException when the field is optional without default and was not given
     */
    public <T> T get(Field<T> field) {
        return find(field).orElseThrow(() -> new NoSuchElementException(
                component + ": field '" + field.name() + "' was not given and has no default"));
    }

    /**
     * Returns the value of a field, or its default, when there is one.
     *
     * @param field a field declared by the component
     * @param <T> the value type
     * @return the value, or empty
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(Field<T> field) {
        Object v = values.get(field.name());
        return v != null ? Optional.of((T) v) : field.defaultValue();
    }

    /**
     * Tells whether the file gave the field (rather than leaving it to its default).
     *
     * @param field the field
     * @return true when given
     */
    public boolean isGiven(Field<?> field) {
        return values.containsKey(field.name());
    }

    /**
     * Shows every field with its effective value, defaults filled in and secrets masked, as
     * {@code explain} prints it.
     *
     * @return a new JSON object
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Field<?> f : fields) {
            put(node, f);
        }
        return node;
    }

    private <T> void put(ObjectNode node, Field<T> field) {
        find(field).ifPresent(v -> node.set(field.name(), field.toJson(v)));
    }
}
