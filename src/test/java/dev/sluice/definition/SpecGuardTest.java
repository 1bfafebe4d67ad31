package dev.sluice.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sluice.Problem;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Example;
import dev.sluice.spec.Kind;
import dev.sluice.spec.SpecDocs;
import dev.sluice.spec.YamlDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Guards what is derived from the specs: examples lint clean, docs are fresh, shipped pipelines validate. */
class SpecGuardTest {

    private static final ComponentRegistry REGISTRY = ComponentRegistry.builtins();

    @TestFactory
    Stream<DynamicTest> everySpecExampleBindsWithoutProblems() {
        return REGISTRY.all().stream().flatMap(spec -> spec.examples().stream()
                .map(example -> DynamicTest.dynamicTest(spec + ": " + example.title(), () -> bindsClean(spec, example))));
    }

    private static void bindsClean(ComponentSpec<?> spec, Example example) {
        List<Problem> problems = new ArrayList<>();
        YamlDocument doc = YamlDocument.read(example.yaml(), spec + " example", problems);

        assertThat(doc).isNotNull();
        JsonNode slot = doc.root();
        assertThat(slot.size()).as("one-key map").isEqualTo(1);
        assertThat(slot.fieldNames().next()).isEqualTo(spec.name());
        assertThat(spec.bind(slot.get(spec.name()), doc, "/" + spec.name(), problems)).isNotNull();
        assertThat(problems).isEmpty();
    }

    @Test
    void everySlotHasComponentsWithSummariesAndExamples() {
        for (Kind kind : Kind.values()) {
            assertThat(REGISTRY.of(kind)).as(kind.label()).isNotEmpty();
        }
        assertThat(REGISTRY.all()).allSatisfy(spec -> {
            assertThat(spec.summary()).as(spec.toString()).isNotBlank();
            assertThat(spec.examples()).as(spec.toString()).isNotEmpty();
            assertThat(spec.fields()).allSatisfy(f -> assertThat(f.description()).as(spec + " " + f.name()).isNotBlank());
        });
    }

    @Test
    void checkedInComponentDocsAreUpToDate() throws IOException {
        Path docs = Path.of("docs/components");

        assertThat(Files.readString(docs.resolve("README.md"), StandardCharsets.UTF_8))
                .as("docs/components/README.md is stale: run bin/sluice docs")
                .isEqualTo(SpecDocs.index(REGISTRY.all()));
        for (ComponentSpec<?> spec : REGISTRY.all()) {
            Path page = docs.resolve(SpecDocs.path(spec));
            assertThat(page).as("missing " + page + ": run bin/sluice docs").exists();
            assertThat(Files.readString(page, StandardCharsets.UTF_8))
                    .as(page + " is stale: run bin/sluice docs")
                    .isEqualTo(SpecDocs.markdown(spec));
        }
        try (Stream<Path> pages = Files.walk(docs)) {
            assertThat(pages.filter(p -> p.toString().endsWith(".md")).count())
                    .as("no pages for removed components").isEqualTo(REGISTRY.all().size() + 1L);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyShippedPipelineValidates() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("pipelines"))) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(".test.yaml")).sorted().toList();
            assertThat(yamls).isNotEmpty();
            return yamls.stream().map(file -> DynamicTest.dynamicTest(file.toString(),
                    () -> assertThat(PipelineFiles.load(file, Map.of(), List.of()).name()).isNotBlank()));
        }
    }

    @Test
    void schemaAcceptsShippedPipelinesAndRejectsUnknownSteps() throws IOException {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(PipelineSchema.of(REGISTRY).toString());
        YAMLMapper yaml = new YAMLMapper();

        try (Stream<Path> files = Files.list(Path.of("pipelines"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(".test.yaml")).toList()) {
                assertThat(schema.validate(yaml.readTree(file.toFile()))).as(file.toString()).isEmpty();
            }
        }
        JsonNode broken = yaml.readTree("source: {url: http://x/}\nsteps: [{fetcher: {}}]\nsink: {stdout: {}}\n");
        assertThat(schema.validate(broken)).isNotEmpty();
    }

    @Test
    void schemaOffersEveryComponentInItsSlot() {
        JsonNode schema = PipelineSchema.of(REGISTRY);

        assertThat(schema.at("/properties/source/oneOf")).hasSize(REGISTRY.of(Kind.SOURCE).size());
        assertThat(schema.at("/properties/steps/items/oneOf")).hasSize(REGISTRY.of(Kind.STEP).size());
        assertThat(schema.at("/properties/sink/oneOf")).hasSize(REGISTRY.of(Kind.SINK).size());
        assertThat(schema.at("/properties/steps/items/oneOf").toString()).contains("\"fetch\"", "\"concurrency\"");
    }
}
