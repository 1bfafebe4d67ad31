package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.definition.ComponentRegistry;
import dev.sluice.definition.PipelineSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice schema}: the JSON Schema of pipeline files, for editors. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the JSON Schema of pipeline files (for editor completion, e.g. VS Code's YAML extension).")
final class SchemaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().getOut().println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(PipelineSchema.of(ComponentRegistry.builtins())));
        return Main.OK;
    }
}
