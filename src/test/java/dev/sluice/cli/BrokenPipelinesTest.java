package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A corpus of broken pipeline files (typos, wrong types, bad units, bad jq, missing sections,
 * duplicate keys, tabs, YAML syntax errors): each gives exactly the expected problems, with file, line
 * and column, and exit code 2. Expectations live in {@code broken/expected.txt}.
 */
class BrokenPipelinesTest {

    private static final Path DIR = Path.of("src/test/resources/broken");

    @TestFactory
    Stream<DynamicTest> everyBrokenFileIsReportedPrecisely() throws IOException {
        Map<String, List<String>> expected = expectations();
        try (Stream<Path> files = Files.list(DIR)) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yamls).hasSizeGreaterThanOrEqualTo(30);
            assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(
                    yamls.stream().map(p -> p.getFileName().toString()).toList());
            return yamls.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                    () -> isReportedAs(file, expected.get(file.getFileName().toString()))));
        }
    }

    private static void isReportedAs(Path file, List<String> problems) {
        StringWriter err = new StringWriter();

        int code = Main.execute(new String[] {"validate", file.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().map(line -> line.replace(DIR + "/", "")).toList())
                .containsExactlyElementsOf(problems);
    }

    private static Map<String, List<String>> expectations() throws IOException {
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIR.resolve("expected.txt"))) {
            String name = line.substring(0, line.indexOf(".yaml") + 5);
            byFile.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(line);
        }
        return byFile;
    }
}
