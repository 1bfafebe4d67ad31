package dev.sluice.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Item;
import dev.sluice.SinkException;
import java.util.ArrayList;
import java.util.List;

/**
 * A file name with placeholders, compiled once: {@code {id}} is the item's {@code id} field,
 * {@code {user.name}} a nested field, and {@code {#}} the 1-based number of the item among those
 * written. A placeholder must resolve to a string, number or boolean.
 */
final class NameTemplate {

    private final String text;
    private final List<String> literals = new ArrayList<>();
    private final List<String[]> paths = new ArrayList<>();

    private NameTemplate(String text) {
        this.text = text;
    }

    /** Compiles {@code text}; throws {@link IllegalArgumentException} when it is empty or has an unclosed brace. */
    static NameTemplate compile(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("name template must not be blank");
        }
        NameTemplate template = new NameTemplate(text);
        int at = 0;
        while (true) {
            int open = text.indexOf('{', at);
            if (open < 0) {
                template.literals.add(text.substring(at));
                return template;
            }
            int close = text.indexOf('}', open);
            if (close < 0 || close == open + 1) {
                throw new IllegalArgumentException("name template '" + text + "' has "
                        + (close < 0 ? "an unclosed '{' at " + open : "an empty '{}' at " + open)
                        + "; write e.g. '{id}.json'");
            }
            template.literals.add(text.substring(at, open));
            template.paths.add(text.substring(open + 1, close).split("\\.", -1));
            at = close + 1;
        }
    }

    /** Renders the name of {@code item}, the {@code number}th written; throws {@link SinkException}. */
    String render(Item item, long number, String target) {
        StringBuilder name = new StringBuilder(literals.get(0));
        for (int i = 0; i < paths.size(); i++) {
            name.append(placeholder(item, paths.get(i), number, target)).append(literals.get(i + 1));
        }
        return name.toString();
    }

    private String placeholder(Item item, String[] path, long number, String target) {
        if (path.length == 1 && path[0].equals("#")) {
            return Long.toString(number);
        }
        JsonNode node = item.value();
        for (String field : path) {
            node = node.path(field);
        }
        if (!node.isValueNode() || node.isNull()) {
            throw new SinkException("cannot write " + target + ": item " + item.origin() + " has "
                    + (node.isMissingNode() ? "no value" : CsvWriter.kind(node)) + " at {" + String.join(".", path)
                    + "}; the name template '" + text + "' needs a string or number there", null);
        }
        return node.asText();
    }

    @Override
    public String toString() {
        return text;
    }
}
