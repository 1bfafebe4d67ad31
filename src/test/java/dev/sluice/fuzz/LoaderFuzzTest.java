package dev.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.ConfigException;
import dev.sluice.definition.PipelineFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Seeded mutation fuzzing of the pipeline-file loader: whatever the bytes, loading either succeeds or
 * throws a {@link ConfigException} with located problems — never any other exception, never a hang.
 * Seeds are fixed so a failure reproduces; each seed runs a bounded number of mutations.
 */
class LoaderFuzzTest {

    private static final int MUTATIONS_PER_SEED = 400;
    private static final String[] TOKENS = {
        ":", "- ", "{", "}", "[", "]", ",", "'", "\"", "\n", "\t", "  ", "&a ", "*a", "!!binary ", "!!java.util.Date ",
        "${X}", "${Y:-1}", "$${", "0777", "yes", "null", "~", "-1", "1e999", "9999999999999999999", "10s", "50/s",
        ".[]", "\\(", "#", "%", "---", "...", "? ", "|", ">", "\u0000", "\uFFFD", "é", "source", "steps", "fetch",
        "parse", "sink", "file", "path", "retry", "auth"
    };

    @TestFactory
    Stream<DynamicTest> mutatedPipelinesLoadOrFailWithLocatedProblems() throws IOException {
        List<String> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("pipelines"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml") && !f.toString().endsWith(".test.yaml")).sorted().toList()) {
                seeds.add(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/broken"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().limit(10).toList()) {
                seeds.add(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return Stream.of(1L, 2L, 3L, 42L).map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> fuzz(seed, seeds)));
    }

    private static void fuzz(long seed, List<String> seeds) {
        Random random = new Random(seed);
        for (int i = 0; i < MUTATIONS_PER_SEED; i++) {
            String text = mutate(seeds.get(random.nextInt(seeds.size())), random);
            assertThatCode(() -> loadWithin(text, Duration.ofSeconds(5)))
                    .as("seed %d mutation %d:%n%s", seed, i, text)
                    .doesNotThrowAnyException();
        }
    }

    private static void loadWithin(String text, Duration limit) throws Exception {
        long start = System.nanoTime();
        try {
            PipelineFiles.parse(text, "fuzz.yaml", "fuzz", Map.of("X", "x"), List.of());
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty();
            assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).isNotBlank());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limit);
    }

    static String mutate(String text, Random random) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = sb.length() == 0 ? 0 : random.nextInt(sb.length());
            switch (random.nextInt(4)) {
                case 0 -> sb.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(8)));
                case 2 -> sb.setCharAt(Math.min(at, Math.max(0, sb.length() - 1)), (char) (32 + random.nextInt(95)));
                default -> {
                    int from = random.nextInt(Math.max(1, sb.length()));
                    int to = Math.min(sb.length(), from + random.nextInt(40));
                    sb.insert(at, sb.substring(from, to));
                }
            }
        }
        return sb.toString();
    }
}
