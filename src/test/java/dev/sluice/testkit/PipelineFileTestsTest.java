package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** Runs the declarative tests of every pipeline in {@code pipelines/}, offline, against a stub server. */
class PipelineFileTestsTest {

    @RegisterExtension
    static final StubServer stub = StubServer.start();

    private static final Path PIPELINES = Path.of("pipelines");

    @TestFactory
    Stream<DynamicNode> everyDeclaredPipelineTestPasses() {
        return PipelineTests.find(PIPELINES).stream().map(file -> {
            PipelineTests tests = PipelineTests.load(file);
            return DynamicContainer.dynamicContainer(file.getFileName().toString(), tests.cases().stream()
                    .map(c -> DynamicTest.dynamicTest(c.name(), () -> StepVerifier.create(c.run(stub))
                            .assertNext(result -> assertThat(result.passed()).as(result.describe()).isTrue())
                            .verifyComplete())));
        });
    }

    @Test
    void everyPipelineHasATestFile() throws IOException {
        List<Path> untested;
        try (Stream<Path> files = Files.list(PIPELINES)) {
            untested = files.filter(p -> p.toString().endsWith(".yaml") && !PipelineTests.isTestFile(p))
                    .filter(p -> !Files.isRegularFile(PipelineTests.testFileOf(p)))
                    .collect(Collectors.toList());
        }

        assertThat(untested).as("pipelines without a sibling .test.yaml or .test.yml").isEmpty();
    }

}
