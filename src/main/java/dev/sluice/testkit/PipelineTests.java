package dev.sluice.testkit;

import dev.sluice.ConfigException;
import dev.sluice.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;

/**
 * The declarative tests of one pipeline file, read from its sibling {@code <name>.test.yaml}: each case
 * gives stub replies per URL path, an optional environment and {@code --set} overrides, and
 * expectations on the output items, dead letters and requests. {@code sluice test} and a JUnit
 * {@code @TestFactory} run them. The format is described in {@code docs/testing.md}.
 */
public final class PipelineTests {

    /** The suffix of test files. */
    public static final String SUFFIX = ".test.yaml";

    /** The other accepted suffix, for trees whose tools treat every {@code *.yaml} as a pipeline. */
    public static final String SHORT_SUFFIX = ".test.yml";

    private final Path file;
    private final Path pipeline;
    private final List<TestCase> cases;

    PipelineTests(Path file, Path pipeline, List<TestCase> cases) {
        this.file = file;
        this.pipeline = pipeline;
        this.cases = List.copyOf(cases);
    }

    /**
     * Reads and validates a test file, including the pipeline file each case runs (with the case's
     * environment and overrides). Blocking file I/O: call it from a test or the CLI.
     *
     * @param testFile the {@code .test.yaml} file
     * @return the tests
     * @throws ConfigException with every problem, each as {@code file:line:column: path: message}
     */
    public static PipelineTests load(Path testFile) {
        return TestFileReader.read(testFile);
    }

    /**
     * Returns the test files under {@code fileOrDirectory}: the file itself when it is a test file, the
     * sibling test file of a pipeline file, or every {@code *.test.yaml} directly in a directory,
     * sorted. Blocking file I/O.
     *
     * @param fileOrDirectory a test file, a pipeline file or a directory
     * @return the test files, possibly empty
     * @throws ConfigException when a pipeline file has no test file or the path does not exist
     */
    public static List<Path> find(Path fileOrDirectory) {
        if (Files.isDirectory(fileOrDirectory)) {
            try (Stream<Path> files = Files.list(fileOrDirectory)) {
                return files.filter(PipelineTests::isTestFile).sorted().collect(Collectors.toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path testFile = isTestFile(fileOrDirectory) ? fileOrDirectory : testFileOf(fileOrDirectory);
        if (!Files.isRegularFile(testFile)) {
            String why = testFile.equals(fileOrDirectory) ? "no such test file"
                    : "no test file for this pipeline; expected " + testFile;
            throw new ConfigException(List.of(new Problem(fileOrDirectory.toString(), 0, 0, "", why)));
        }
        return List.of(testFile);
    }

    /**
     * Returns the test file of a pipeline file: {@code quickstart.yaml} → {@code quickstart.test.yaml},
     * or {@code quickstart.test.yml} when only that one exists.
     *
     * @param pipelineFile the pipeline file
     * @return the sibling test file's path (which may not exist)
     */
    public static Path testFileOf(Path pipelineFile) {
        String name = pipelineFile.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
        Path shortName = pipelineFile.resolveSibling(name + SHORT_SUFFIX);
        Path full = pipelineFile.resolveSibling(name + SUFFIX);
        return !Files.exists(full) && Files.exists(shortName) ? shortName : full;
    }

    /**
     * Tells whether {@code file} is named like a test file ({@code *.test.yaml} or {@code *.test.yml}).
     *
     * @param file a path
     * @return true for a test file name
     */
    public static boolean isTestFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) || name.endsWith(SHORT_SUFFIX);
    }

    /**
     * Returns the test file.
     *
     * @return the path it was read from
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the pipeline file under test.
     *
     * @return the path
     */
    public Path pipeline() {
        return pipeline;
    }

    /**
     * Returns the cases, in file order.
     *
     * @return the cases
     */
    public List<TestCase> cases() {
        return cases;
    }

    /**
     * Runs every case, one at a time, against {@code stub}.
     *
     * @param stub the server the cases share
     * @return the results, in file order
     */
    public Flux<CaseResult> run(StubServer stub) {
        return Flux.fromIterable(cases).concatMap(c -> c.run(stub));
    }
}
