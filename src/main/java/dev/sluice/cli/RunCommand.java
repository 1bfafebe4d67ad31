package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ConfigException;
import dev.sluice.Pipeline;
import dev.sluice.Problem;
import dev.sluice.RunReport;
import dev.sluice.definition.PipelineDefinition;
import dev.sluice.definition.PipelineFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice run FILE}: validates the file, runs it, prints a one-line summary to stderr. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a pipeline file. Data goes to stdout only when the sink is stdout; "
                + "the summary and logs go to stderr.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The pipeline file (YAML or JSON).")
    Path file;

    @Option(names = "--set", paramLabel = "path=value",
            description = "Override a field, e.g. --set source.file.path=urls.txt (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N inputs, to try a pipeline on a sample.")
    Long limit;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the run report as JSON to FILE.")
    Path report;

    @Option(names = "--strict", description = "Exit with 3 when any item was dead-lettered.")
    boolean strict;

    @Option(names = "--serve", paramLabel = "DIR",
            description = "Serve DIR over HTTP on 127.0.0.1 for the run; its base URL is ${SLUICE_SERVE_URL} in the file.")
    Path serve;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = new HashMap<>(System.getenv());
        try (LocalSite site = serve == null ? null : LocalSite.serve(serve)) {
            if (site != null) {
                env.put("SLUICE_SERVE_URL", site.baseUrl());
            }
            PipelineDefinition definition;
            try {
                definition = PipelineFiles.load(file, env, overrides);
            } catch (ConfigException e) {
                for (Problem p : e.problems()) {
                    err.println(p);
                }
                return Main.INVALID;
            }
            if (limit != null && limit < 1) {
                err.println("sluice: --limit must be >= 1, was " + limit);
                return Main.INVALID;
            }
            Pipeline pipeline = limit == null ? definition.pipeline() : definition.pipeline(limit);
            RunReport result;
            try {
                result = pipeline.run().block();
            } catch (RuntimeException e) {
                err.println("sluice: " + definition.name() + " aborted: " + e.getMessage());
                return Main.ABORTED;
            }
            err.println(definition.name() + ": " + result.summary());
            if (report != null) {
                writeReport(result);
            }
            return strict && result.deadLettered() > 0 ? Main.DEAD_LETTERED : Main.OK;
        }
    }

    private void writeReport(RunReport result) throws IOException {
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(report.toFile(), result.toJson());
    }
}
