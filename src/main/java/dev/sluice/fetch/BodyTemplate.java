package dev.sluice.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a request body template: each {@code {field}} (a name of letters, digits and underscores,
 * not starting with a digit) becomes that field of the item's object value, text as is and
 * anything else as JSON. Other braces, such as those of a JSON body, are left alone.
 */
final class BodyTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private BodyTemplate() {}

    /**
     * Renders {@code template} with the fields of {@code value}.
     *
     * @throws IllegalArgumentException naming the field when the value lacks one the template names
     */
    static String render(String template, JsonNode value) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode field = value.get(m.group(1));
            if (field == null) {
                throw new IllegalArgumentException(
                        "the body template names {" + m.group(1) + "} but the item has no field '" + m.group(1) + "'");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(field.isTextual() ? field.textValue() : field.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
