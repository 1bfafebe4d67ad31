package dev.sluice.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ConfigException;
import dev.sluice.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentSpecTest {

    private static final Field<Integer> SIZE = Field.integer("size").defaultsTo(4).check(n -> n >= 1, "be >= 1")
            .describe("How many.");
    private static final Field<String> LABEL = Field.string("label").required().describe("A label.");
    private static final Field<Duration> WAIT = Field.duration("wait").defaultsTo(Duration.ofSeconds(1));
    private static final Field<String> TOKEN = Field.string("token").defaultsTo("none").secret();

    record Thing(int size, String label, Duration pause) {}

    private static final ComponentSpec<Thing> THING = ComponentSpec.<Thing>step("thing")
            .summary("A test component.")
            .fields(SIZE, LABEL, WAIT, TOKEN)
            .rule(c -> c.get(LABEL).equals("bad") ? List.of(new Violation("label", "label must not be 'bad'")) : List.of())
            .factory(c -> new Thing(c.get(SIZE), c.get(LABEL), c.get(WAIT)));

    private static List<String> problems(String yaml) {
        try {
            THING.parse(yaml);
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
    }

    @Test
    void bindsGivenFieldsAndFillsDefaults() {
        Thing thing = THING.parse("label: x\nwait: 250ms");

        assertThat(thing).isEqualTo(new Thing(4, "x", Duration.ofMillis(250)));
    }

    @Test
    void reportsEveryProblemWithItsPosition() {
        assertThat(problems("size: 0\nwait: soon\nlabl: x\n")).containsExactly(
                "<step thing>:1:7: /size: size must be >= 1, was 0",
                "<step thing>:2:7: /wait: wait must be a duration such as 250ms, 10s, 2m or 1h, was 'soon'",
                "<step thing>:3:1: /labl: unknown field 'labl' (did you mean 'label'?); known: size, label, wait, token",
                "<step thing>:1:1: /: missing required field 'label'");
    }

    @Test
    void yamlOneOneSurprisesAreExplained() {
        assertThat(problems("label: 0777")).singleElement().asString()
                .endsWith("label must be a string, got 511 (YAML 1.1 read '0777' as 511; quote it to keep it as text)");
        assertThat(problems("label: yes")).singleElement().asString()
                .endsWith("label must be a string, got true (YAML 1.1 read 'yes' as true; quote it to keep it as text)");
    }

    @Test
    void rulesRunOnceFieldsAreValid() {
        assertThat(problems("label: bad")).containsExactly("<step thing>:1:8: /label: label must not be 'bad'");
    }

    @Test
    void requireChecksJavaValuesWithTheSameRules() {
        assertThat(SIZE.require(3)).isEqualTo(3);
        assertThatThrownBy(() -> SIZE.require(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size must be >= 1, was 0");
    }

    @Test
    void effectiveConfigShowsDefaultsAndMasksSecrets() {
        List<Problem> problems = new ArrayList<>();
        YamlDocument doc = YamlDocument.read("label: x\ntoken: hunter2", "f", problems);

        ComponentSpec.Bound<Thing> bound = THING.bind(doc.root(), doc, "", problems);

        assertThat(problems).isEmpty();
        assertThat(bound.config().toJson().toString())
                .isEqualTo("{\"size\":4,\"label\":\"x\",\"wait\":\"1s\",\"token\":\"***\"}");
    }

    @Test
    void schemaListsFieldsWithTypesDefaultsAndRequired() {
        String schema = THING.configSchema().toString();

        assertThat(schema).contains("\"size\":{\"type\":\"integer\",\"description\":\"How many.\",\"default\":4}")
                .contains("\"required\":[\"label\"]")
                .contains("\"additionalProperties\":false");
    }
}
