package dev.sluice.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Problem;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads fields from a configuration map into values, adding a located problem for every unknown
 * field, missing required field and invalid value; nested groups are read the same way.
 */
final class FieldReader {

    private FieldReader() {}

    static void readObject(String owner, List<Field<?>> fields, JsonNode config, String pointer, Locator at,
            Map<String, Object> values, java.util.Set<String> given, List<Problem> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Field<?> field = fields.stream().filter(f -> f.name().equals(e.getKey())).findFirst().orElse(null);
            String p = pointer + "/" + e.getKey();
            if (field == null) {
                List<String> names = fields.stream().map(Field::name).toList();
                problems.add(at.atKey(p, "unknown field '" + e.getKey() + "'" + Suggestions.didYouMean(e.getKey(), names)
                        + (names.isEmpty() ? "; " + owner + " takes no fields" : "; known: " + String.join(", ", names))));
            } else if (!e.getValue().isNull()) {
                given.add(field.name());
                read(field, e.getValue(), p, at, values, problems);
            }
        }
    }

    static void requireGiven(List<Field<?>> fields, java.util.Set<String> given, String pointer, Locator at,
            List<Problem> problems) {
        for (Field<?> f : fields) {
            if (f.isRequired() && !given.contains(f.name())) {
                problems.add(at.at(pointer, "missing required field '" + f.name() + "'"));
            }
        }
    }

    private static void readGroup(Field<?> field, FieldType.Group group, JsonNode node, String pointer, Locator at,
            Map<String, Object> values, List<Problem> problems) {
        if (!node.isObject()) {
            problems.add(at.at(pointer, field.name() + " must be a map with " + String.join(", ",
                    group.fields().stream().map(Field::name).toList()) + ", got " + FieldType.describe(node)));
            return;
        }
        Map<String, Object> nested = new LinkedHashMap<>();
        java.util.Set<String> given = new java.util.HashSet<>();
        int before = problems.size();
        readObject(field.name(), group.fields(), node, pointer, at, nested, given, problems);
        requireGiven(group.fields(), given, pointer, at, problems);
        if (problems.size() == before) {
            values.put(field.name(), new ParsedConfig(field.name(), group.fields(), nested));
        }
    }

    static <V> void read(Field<V> field, JsonNode node, String pointer, Locator at, Map<String, Object> values,
            List<Problem> problems) {
        if (field.type() instanceof FieldType.Group group) {
            readGroup(field, group, node, pointer, at, values, problems);
            return;
        }
        try {
            values.put(field.name(), field.read(node));
        } catch (IllegalArgumentException e) {
            String raw = at.raw(pointer);
            String message = e.getMessage();
            if (node.isValueNode() && !node.isTextual() && !raw.isEmpty() && !raw.equals(node.asText())) {
                message = message.replace(FieldType.QUOTE_IT, "")
                        + " (YAML 1.1 read '" + raw + "' as " + node + FieldType.QUOTE_IT + ")";
            }
            problems.add(at.at(pointer, message));
        }
    }
}
