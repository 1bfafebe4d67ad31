package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int sluice(String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String[] quickstart(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "run", "pipelines/quickstart.yaml",
                "--serve", "pipelines/quickstart/site",
                "--set", "sink.file.path=" + tmp.resolve("out.ndjson"),
                "--set", "dead_letter.file.path=" + tmp.resolve("errors.ndjson")));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalStateException(line, e);
            }
        }).toList();
    }

    @Test
    void onlyTheSubcommandTheArgumentsNameIsBuiltAndHelpStillListsThemAll() {
        List<String> all = List.copyOf(Main.commandNames());
        for (String name : all) {
            picocli.CommandLine cli = Main.commandLine(new String[] {name, "--help"});
            if (name.equals("help")) {
                assertThat(cli.getSubcommands().keySet()).as("help describes any command").containsExactlyElementsOf(all);
            } else {
                assertThat(cli.getSubcommands().keySet()).containsExactly(name);
                assertThat(cli.getSubcommands().get(name).getCommandName())
                        .as("the registered name is the command's own").isEqualTo(name);
            }
        }
        assertThat(Main.commandLine(new String[] {"--help"}).getSubcommands().keySet()).containsExactlyElementsOf(all);
        assertThat(Main.commandLine(new String[0]).getSubcommands().keySet()).containsExactlyElementsOf(all);

        assertThat(sluice("help", "validate")).isEqualTo(0);
        assertThat(out.toString()).startsWith("Usage: sluice validate");
        assertThat(sluice("runn", "x.yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("Did you mean: sluice run?");
    }

    @Test
    void nettysFlightRecorderEventsAreOffUnlessTheUserSetsThem() {
        String before = System.getProperty(Main.NETTY_JFR);
        try {
            System.clearProperty(Main.NETTY_JFR);
            Main.quietNettyEvents();
            assertThat(System.getProperty(Main.NETTY_JFR)).isEqualTo("false");

            System.setProperty(Main.NETTY_JFR, "true");
            Main.quietNettyEvents();
            assertThat(System.getProperty(Main.NETTY_JFR)).as("a -D in JAVA_OPTS wins").isEqualTo("true");
        } finally {
            if (before == null) {
                System.clearProperty(Main.NETTY_JFR);
            } else {
                System.setProperty(Main.NETTY_JFR, before);
            }
        }
    }

    @Test
    void theClassDataTrainingRunFetchesItsGeneratedSiteAndIsHiddenFromHelp() {
        assertThat(sluice("--help")).isEqualTo(0);
        assertThat(out.toString()).contains("validate").doesNotContain("cds-training");
        out.getBuffer().setLength(0);

        int code = sluice("cds-training");

        assertThat(code).as(err.toString()).isEqualTo(0);
        // 64 items, half with score >= 50, item 7 malformed and the 65th missing: both dead-lettered
        assertThat(out.toString()).isEqualTo("cds-training: exit 0, 32 outputs, 2 dead-lettered" + System.lineSeparator());
    }

    @Test
    void quickstartRunsOverLoopbackHttpAndWritesOutputAndDeadLetters() throws IOException {
        int code = sluice(quickstart("--report", tmp.resolve("report.json").toString()));

        assertThat(code).as(err.toString()).isEqualTo(0);
        assertThat(err.toString()).contains(
                "quickstart: 12 inputs -> 6 outputs, 3 filtered, 3 dead-lettered (http_status=2, parse=1), 12 requests");
        assertThat(lines(tmp.resolve("out.ndjson")))
                .extracting(node -> node.get("id").asInt())
                .containsExactlyInAnyOrder(1, 3, 4, 6, 8, 10);
        assertThat(lines(tmp.resolve("out.ndjson")).get(0).fieldNames())
                .toIterable().containsExactly("id", "title", "author");
        assertThat(lines(tmp.resolve("errors.ndjson")))
                .extracting(node -> node.get("reason").asText() + " " + node.path("origin").path("line").asInt())
                .containsExactlyInAnyOrder("parse 7", "http_status 11", "http_status 12");
        JsonNode report = JSON.readTree(tmp.resolve("report.json").toFile());
        assertThat(report.get("inputs").asInt()).isEqualTo(12);
        assertThat(report.get("balanced").asBoolean()).isTrue();
    }

    @Test
    void strictExitsWithThreeWhenItemsWereDeadLettered() {
        assertThat(sluice(quickstart("--strict"))).isEqualTo(3);
    }

    @Test
    void limitStopsAfterNInputs() {
        int code = sluice(quickstart("--limit", "2"));

        assertThat(code).isEqualTo(0);
        assertThat(err.toString()).contains("quickstart: 2 inputs -> ");
    }

    @Test
    void invalidFileExitsWithTwoAndPrintsEveryProblem() throws IOException {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, "source: { urlz: x }\nsink: { file: {} }\n");

        int code = sluice("run", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(file + ":1:11: /source/urlz: unknown source 'urlz' (did you mean 'url'?)")
                .contains(file + ":2:15: /sink/file: missing required field 'path'");
    }

    @Test
    void sinkThatCannotWriteAbortsWithOne() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a-directory"));

        int code = sluice("run", "pipelines/quickstart.yaml", "--serve", "pipelines/quickstart/site",
                "--set", "sink.file.path=" + dir,
                "--set", "dead_letter.file.path=" + tmp.resolve("errors.ndjson"));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("aborted").contains(dir.toString());
    }

    @Test
    void validateReportsEachFile() throws IOException {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "source: { url: http://x/ }\n");

        int code = sluice("validate", "pipelines/quickstart.yaml", bad.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("pipelines/quickstart.yaml: ok")
                .contains(bad + ":1:1: /: missing required field 'sink'");
    }

    @Test
    void explainShowsTheStageGraphWithDefaultsFilledIn() {
        int code = sluice("explain", "pipelines/quickstart.yaml");

        assertThat(code).isEqualTo(0);
        assertThat(out.toString())
                .contains("step 1       fetch    concurrency=4 per_host=8 rate=unlimited burst=1 timeout=5s retry={\"attempts\":3,")
                .contains(" max_body=10MB method=get headers={} auth={} ")
                .contains("step 2       parse    format=json")
                .contains("dead_letter  file     path=out/quickstart.errors.ndjson");
    }

    @Test
    void explainNeverEchoesSecrets() throws IOException {
        Path file = tmp.resolve("secret.yaml");
        Files.writeString(file, """
                source: { url: 'https://user:pw@example.com/a' }
                steps:
                  - fetch: { headers: { authorization: 'Bearer abc', x-trace: '${PATH}' } }
                sink: { stdout: {} }
                """);

        int code = sluice("explain", file.toString(), "--json");

        assertThat(code).isEqualTo(0);
        assertThat(out.toString()).contains("https://***@example.com/a").contains("\"authorization\" : \"***\"")
                .doesNotContain("Bearer abc").doesNotContain("user:pw");
    }

    @Test
    void schemaPrintsAJsonSchemaOfEveryComponent() throws IOException {
        int code = sluice("schema");

        assertThat(code).isEqualTo(0);
        JsonNode schema = JSON.readTree(out.toString());
        assertThat(schema.get("$schema").asText()).contains("2020-12");
        assertThat(schema.at("/properties/steps/items/oneOf").size()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void componentsListsAndDescribes() {
        assertThat(sluice("components")).isEqualTo(0);
        assertThat(out.toString()).contains("source:").contains("  fetch ").contains("dead_letter:");

        assertThat(sluice("components", "parse")).isEqualTo(0);
        assertThat(out.toString()).contains("# `parse` (step)").contains("| `format` |");

        assertThat(sluice("components", "fecth")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown component 'fecth' (did you mean 'fetch'?)");
    }

    @Test
    void docsWritesOnePagePerComponent() {
        int code = sluice("docs", "--out", tmp.resolve("docs").toString());

        assertThat(code).isEqualTo(0);
        assertThat(tmp.resolve("docs/step/fetch.md")).exists();
        assertThat(tmp.resolve("docs/README.md")).exists();
    }

    @Test
    void versionAndHelpWork() {
        assertThat(sluice("--version")).isEqualTo(0);
        assertThat(out.toString()).startsWith("sluice ");
        assertThat(sluice("run", "--help")).isEqualTo(0);
        assertThat(out.toString()).contains("--limit");
    }

    @Test
    void aReportThatCannotBeWrittenIsAUsageErrorBeforeTheRun() throws IOException {
        Path inTheWay = Files.writeString(tmp.resolve("a-file"), "");

        int code = sluice(quickstart("--report", inTheWay.resolve("report.json").toString()));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("sluice: --report: cannot write " + inTheWay.resolve("report.json")
                + ": a file is in the way at " + inTheWay).doesNotContain("Exception");
        assertThat(tmp.resolve("out.ndjson")).as("no run").doesNotExist();

        err.getBuffer().setLength(0);
        Path directory = Files.createDirectories(tmp.resolve("a-directory"));
        assertThat(sluice(quickstart("--report", directory.toString()))).isEqualTo(2);
        assertThat(err.toString()).contains("sluice: --report: cannot write " + directory + ": Is a directory");
        assertThat(tmp.resolve("out.ndjson")).as("no run").doesNotExist();
    }

    @Test
    void everySubcommandPrintsTheVersion() {
        for (String command : List.of("run", "validate", "explain", "components", "schema", "docs", "test")) {
            out.getBuffer().setLength(0);

            assertThat(sluice(command, "-V")).as(command).isEqualTo(0);
            assertThat(out.toString()).as(command).startsWith("sluice ");
        }
    }

    @Test
    void testWithoutArgumentsRunsTheTestsInPipelines() {
        int code = sluice("test");

        assertThat(code).as(err.toString()).isEqualTo(0);
        assertThat(out.toString()).containsPattern("(?m)^([1-9][0-9]*) cases: \\1 passed, 0 failed$");
        assertThat(out.toString()).contains("quickstart.test.yaml");
    }

    @Test
    void docsIntoAPlaceThatIsNotADirectorySaysSoInWords() throws IOException {
        Path file = Files.writeString(tmp.resolve("res.yaml"), "x");

        assertThat(sluice("docs", "--out", file.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("sluice: docs: cannot write to " + file + ": ")
                .doesNotContain("Exception");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(sluice("run", "pipelines/quickstart.yaml", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--bogus'");
    }
}
