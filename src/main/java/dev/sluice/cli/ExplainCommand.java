package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ConfigException;
import dev.sluice.Problem;
import dev.sluice.definition.PipelineDefinition;
import dev.sluice.definition.PipelineFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice explain FILE}: the stage graph with effective settings, defaults filled in. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Show the stage graph of a pipeline file with every effective setting (defaults filled in, secrets masked).")
final class ExplainCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The pipeline file.")
    Path file;

    @Option(names = "--set", paramLabel = "path=value", description = "Override a field, as for run (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--json", description = "Print the effective pipeline as JSON instead of a graph.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PipelineDefinition definition;
        try {
            definition = PipelineFiles.load(file, System.getenv(), overrides);
        } catch (ConfigException e) {
            for (Problem p : e.problems()) {
                spec.commandLine().getErr().println(p);
            }
            return Main.INVALID;
        }
        PrintWriter out = spec.commandLine().getOut();
        JsonNode effective = definition.effective();
        if (json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(effective));
            return Main.OK;
        }
        out.println(definition.name() + (definition.description().isEmpty() ? "" : " – " + definition.description()));
        out.println();
        stage(out, "source", effective.get("source"));
        JsonNode steps = effective.get("steps");
        for (int i = 0; i < steps.size(); i++) {
            out.println("   |");
            stage(out, "step " + (i + 1), steps.get(i));
        }
        out.println("   |");
        stage(out, "sink", effective.get("sink"));
        out.println("   + failures");
        stage(out, "dead_letter", effective.get("dead_letter"));
        return Main.OK;
    }

    private static void stage(PrintWriter out, String slot, JsonNode component) {
        String name = component.fieldNames().next();
        JsonNode settings = component.get(name);
        StringBuilder line = new StringBuilder(String.format("%-12s %-8s", slot, name));
        if (settings.isObject()) {
            settings.fields().forEachRemaining(e -> line.append(' ').append(e.getKey()).append('=')
                    .append(e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString()));
        }
        out.println(line.toString().stripTrailing());
    }
}
