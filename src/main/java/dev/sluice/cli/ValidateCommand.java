package dev.sluice.cli;

import dev.sluice.ConfigException;
import dev.sluice.Problem;
import dev.sluice.definition.PipelineFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sluice validate FILE...}: reports every problem of every file, exit 2 if any. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check pipeline files and print every problem as file:line:column: path: message.")
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pipeline files to check.")
    List<Path> files;

    @Override
    public Integer call() {
        boolean invalid = false;
        Map<String, String> env = System.getenv();
        for (Path file : files) {
            try {
                PipelineFiles.load(file, env, List.of());
                spec.commandLine().getErr().println(file + ": ok");
            } catch (ConfigException e) {
                invalid = true;
                for (Problem p : e.problems()) {
                    spec.commandLine().getErr().println(p);
                }
            }
        }
        return invalid ? Main.INVALID : Main.OK;
    }
}
