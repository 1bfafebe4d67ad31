package dev.sluice.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ConfigException;
import dev.sluice.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineFilesTest {

    private static final String VALID = """
            name: demo
            source:
              urls: [http://127.0.0.1:1/a, http://127.0.0.1:1/b]
            steps:
              - fetch: { concurrency: 4, timeout: 5s }
              - parse: json
              - filter: '.score >= 50'
            sink:
              file: { path: out/demo.ndjson }
            """;

    private static List<String> problems(String yaml) {
        return problems(yaml, Map.of(), List.of());
    }

    private static List<String> problems(String yaml, Map<String, String> env, List<String> overrides) {
        try {
            PipelineFiles.parse(yaml, "p.yaml", "p", env, overrides);
        } catch (ConfigException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        return List.of();
    }

    @TempDir
    Path tmp;

    @Test
    void validFileBindsEveryComponent() {
        PipelineDefinition definition = PipelineFiles.parse(VALID, "p.yaml", "p", Map.of(), List.of());

        assertThat(definition.name()).isEqualTo("demo");
        assertThat(definition.steps()).hasSize(2); // fetch + parse json fused into one stage
        assertThat(definition.pipeline()).isNotNull();
    }

    @Test
    void shippedPipelinesAreValid() {
        PipelineDefinition definition = PipelineFiles.load(Path.of("pipelines/quickstart.yaml"), Map.of(), List.of());

        assertThat(definition.name()).isEqualTo("quickstart");
        assertThat(definition.steps()).hasSize(3); // fetch + parse json fused into one stage
    }

    @Test
    void everyProblemIsReportedWithFileLineAndColumn() {
        String yaml = """
                source:
                  urls: [http://127.0.0.1:1/a]
                stepz: []
                steps:
                  - fetch: { concurrency: 0, timout: 5s }
                  - parse: jsn
                  - fetcher: {}
                  - filter: '.score >=='
                sink:
                  file: { path: out.ndjson, format: xml }
                """;

        assertThat(problems(yaml)).containsExactly(
                "p.yaml:3:1: /stepz: unknown field 'stepz' (did you mean 'steps'?); known: name, description, source, steps, sink, dead_letter",
                "p.yaml:5:27: /steps/0/fetch/concurrency: concurrency must be >= 1, was 0",
                "p.yaml:5:30: /steps/0/fetch/timout: unknown field 'timout' (did you mean 'timeout'?); known: concurrency, per_host, rate, burst, timeout, retry, redirects, max_body, method, headers, body, url, header_templates, json_body, into, format, optional, auth, global_rate, response_timeout, connect_timeout, pool_timeout, allow_hosts, deny_hosts, block_private_addresses, proxy, no_proxy, insecure_hosts, http2, h2c",
                "p.yaml:6:12: /steps/1/parse: format must be one of json, ndjson, csv, lines, was 'jsn' (did you mean 'json'?)",
                "p.yaml:7:5: /steps/2/fetcher: unknown step 'fetcher' (did you mean 'fetch'?); known: batch, dedupe, explode, fetch, filter, limit, map, paginate, parse, set",
                "p.yaml:8:13: /steps/3/filter: expression: invalid jq expression '.score >==': Encountered \" \"=\" \"= \"\" at line 1, column 10.",
                "p.yaml:10:37: /sink/file/format: format must be one of ndjson, json, csv, was 'xml'");
    }

    @Test
    void aFileUsedByTwoPartsOfThePipelineIsAProblem() {
        String yaml = """
                source:
                  file: { path: data/in.ndjson, format: ndjson }
                sink:
                  file: { path: ./data/out/../in.ndjson }
                dead_letter:
                  file: { path: data/in.ndjson }
                """;

        assertThat(problems(yaml)).containsExactly(
                "p.yaml:4:17: /sink/file/path: sink writes to ./data/out/../in.ndjson, the file the source reads:"
                        + " it would be truncated before it is read",
                "p.yaml:6:17: /dead_letter/file/path: dead_letter writes to data/in.ndjson, the file the source reads:"
                        + " it would be truncated before it is read",
                "p.yaml:6:17: /dead_letter/file/path: dead_letter writes to data/in.ndjson as the sink does:"
                        + " give each its own file");
        assertThat(problems("""
                source: { urls: [http://127.0.0.1:1/] }
                sink: { file: { path: out/items.ndjson } }
                dead_letter: { file: { path: out/items.errors.ndjson } }
                """)).isEmpty();
    }

    @Test
    void aFileUsedByTwoPartsIsFoundThroughALink() throws IOException {
        Path data = Files.writeString(tmp.resolve("in.ndjson"), "{}\n");
        Path link = Files.createSymbolicLink(tmp.resolve("link.ndjson"), data);

        assertThat(problems("source: { file: { path: '" + data + "', format: ndjson } }\n"
                + "sink: { file: { path: '" + link + "' } }\n"))
                .singleElement().asString()
                .endsWith("/sink/file/path: sink writes to " + link + ", the file the source reads:"
                        + " it would be truncated before it is read");
    }

    @Test
    void wrongTypesAndDurationsAreReported() {
        String yaml = """
                source: { range: { template: 'http://h/{n}', from: 5, to: 1 } }
                steps:
                  - fetch: { concurrency: lots, timeout: 10 }
                sink: { stdout: {} }
                """;

        assertThat(problems(yaml)).containsExactly(
                "p.yaml:1:59: /source/range/to: to must be >= from (5), was 1",
                "p.yaml:3:27: /steps/0/fetch/concurrency: concurrency must be an integer, got 'lots'",
                "p.yaml:3:42: /steps/0/fetch/timeout: timeout must be a duration such as 250ms, 10s, 2m or 1h, was 10");
    }

    @Test
    void missingSourceAndSinkAreReported() {
        assertThat(problems("steps: []\n")).containsExactly(
                "p.yaml:1:1: /: missing required field 'source'; known sources: file, range, stdin, url, urls",
                "p.yaml:1:1: /: missing required field 'sink'; known sinks: directory, file, stdout");
    }

    @Test
    void duplicateKeysAndSyntaxErrorsAreReported() {
        assertThat(problems("source: {url: http://a/}\nsource: {url: http://b/}\n"))
                .singleElement().asString().startsWith("p.yaml:2:").contains("Duplicate field 'source'");
        assertThat(problems("source: {url: [}\n"))
                .singleElement().asString().startsWith("p.yaml:1:").contains("not valid YAML");
    }

    @Test
    void environmentVariablesAreInterpolatedWithDefaults() {
        String yaml = """
                source: { url: '${BASE}/a' }
                sink: { file: { path: '${OUT:-out}/a.ndjson' } }
                """;

        assertThat(problems(yaml, Map.of("BASE", "http://127.0.0.1:1"), List.of())).isEmpty();
        assertThat(problems(yaml)).containsExactly(
                "p.yaml:1:17: /: environment variable BASE is not set; set it or write ${BASE:-default}");
    }

    @Test
    void setOverridesAField() {
        String yaml = VALID.replace("concurrency: 4", "concurrency: 0");

        assertThat(problems(yaml)).hasSize(1);
        assertThat(problems(yaml, Map.of(), List.of("steps.0.fetch.concurrency=8"))).isEmpty();
        assertThat(problems(VALID, Map.of(), List.of("steps.0.fetch.concurrency=none")))
                .singleElement().asString().contains("concurrency must be an integer");
    }

    @Test
    void aliasBombsAreRefusedQuickly() {
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                bomb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            bomb.append("]\n");
        }
        long start = System.nanoTime();

        List<String> problems = problems(bomb + "source: {url: http://127.0.0.1:1/}\nsink: {stdout: {}}\n");

        assertThat(problems).as("aliases are not expanded into a billion nodes").hasSize(12)
                .allSatisfy(p -> assertThat(p).contains("unknown field 'a"));
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(2));
    }

    @Test
    void aSecondYamlDocumentIsAProblemNotIgnored() {
        String yaml = """
                source: { url: http://127.0.0.1:1/ }
                sink: { stdout: {} }
                ---
                source: { url: http://127.0.0.1:2/ }
                sink: { stdout: {} }
                """;

        assertThat(problems(yaml)).containsExactly("p.yaml:4:1: /: a second YAML document starts here; a pipeline file"
                + " holds one (put each pipeline in a file of its own)");
        assertThat(problems("---\nsource: { url: http://127.0.0.1:1/ }\nsink: { stdout: {} }\n")).isEmpty();
        assertThat(problems("source: { url: http://127.0.0.1:1/ }\nsink: { stdout: {} }\n---\n")).isEmpty();
    }

    @Test
    void typeTagsAreNotInstantiated() {
        assertThat(problems("source: !!java.net.URL [http://127.0.0.1:1/]\nsink: {stdout: {}}\n"))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p).doesNotContain("Exception"));
    }

    @Test
    void unreadableFileIsAProblemSaidInWords() throws IOException {
        Path notUtf8 = tmp.resolve("latin1.yaml");
        Files.write(notUtf8, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9, '\n'});

        assertThatThrownBy(() -> PipelineFiles.load(Path.of("does/not/exist.yaml"), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("does/not/exist.yaml:0:0: /: cannot read pipeline file: no such file or directory");
        assertThatThrownBy(() -> PipelineFiles.load(notUtf8, Map.of(), List.of()))
                .hasMessage(notUtf8 + ":0:0: /: cannot read pipeline file: not UTF-8 text");
        assertThatThrownBy(() -> PipelineFiles.load(tmp, Map.of(), List.of()))
                .hasMessageStartingWith(tmp + ":0:0: /: cannot read pipeline file: ")
                .hasMessageNotContaining("Exception");
    }
}
