package dev.sluice.cli;

import dev.sluice.ConfigException;
import dev.sluice.Problem;
import dev.sluice.testkit.CaseResult;
import dev.sluice.testkit.PipelineTests;
import dev.sluice.testkit.StubServer;
import dev.sluice.testkit.TestCase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice test FILE|DIR...}: runs the declarative tests of pipeline files ({@code <name>.test.yaml})
 * against a stub server on loopback and prints PASS/FAIL per case, with a diff for each failed
 * expectation. Exit codes: 0 all passed, 1 a case failed, 2 a test file (or its pipeline) is invalid.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the declarative tests of pipeline files (<name>.test.yaml) offline, against a stub "
                + "HTTP server on 127.0.0.1. Exit 0 when every case passes, 1 when one fails, 2 when a test file is invalid.")
final class TestCommand implements Callable<Integer> {

    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE|DIR",
            description = "A test file, a pipeline file (its sibling .test.yaml or .test.yml is run) or a directory (every *.test.yaml and *.test.yml in it). Default: pipelines/ when it is a directory, else the current directory.")
    List<Path> paths;

    private int passed;
    private int failed;
    private boolean invalid;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> given = paths == null || paths.isEmpty()
                ? List.of(java.nio.file.Files.isDirectory(Path.of("pipelines")) ? Path.of("pipelines") : Path.of("."))
                : paths;
        try (StubServer stub = StubServer.start()) {
            for (Path path : given) {
                for (Path file : find(path, err)) {
                    runFile(file, stub, out, err);
                }
            }
        }
        out.println((passed + failed) + " cases: " + passed + " passed, " + failed + " failed"
                + (invalid ? "; invalid test files (see above)" : ""));
        out.flush();
        return invalid ? Main.INVALID : failed > 0 ? FAILED : Main.OK;
    }

    private List<Path> find(Path path, PrintWriter err) {
        try {
            List<Path> files = PipelineTests.find(path);
            if (files.isEmpty()) {
                err.println(path + ": no *" + PipelineTests.SUFFIX + " or *" + PipelineTests.SHORT_SUFFIX + " files");
                invalid = true;
            }
            return files;
        } catch (ConfigException e) {
            report(e, err);
            return List.of();
        }
    }

    private void runFile(Path file, StubServer stub, PrintWriter out, PrintWriter err) {
        PipelineTests tests;
        try {
            tests = PipelineTests.load(file);
        } catch (ConfigException e) {
            report(e, err);
            return;
        }
        out.println(file + " (" + tests.pipeline() + ")");
        for (TestCase c : tests.cases()) {
            CaseResult result = c.run(stub).block();
            out.print(result.describe());
            out.flush();
            if (result.passed()) {
                passed++;
            } else {
                failed++;
            }
        }
    }

    private void report(ConfigException e, PrintWriter err) {
        invalid = true;
        for (Problem p : e.problems()) {
            err.println(p);
        }
        err.flush();
    }
}
