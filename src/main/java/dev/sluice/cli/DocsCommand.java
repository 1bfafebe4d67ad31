package dev.sluice.cli;

import dev.sluice.definition.ComponentRegistry;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.SpecDocs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice docs}: writes the component reference pages generated from the specs. */
@Command(name = "docs", mixinStandardHelpOptions = true,
        description = "Write the component reference (Markdown, generated from the specs) to a directory.")
final class DocsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("docs/components");

    @Override
    public Integer call() {
        List<ComponentSpec<?>> specs = ComponentRegistry.builtins().all();
        try {
            write(out.resolve("README.md"), SpecDocs.index(specs));
            for (ComponentSpec<?> s : specs) {
                write(out.resolve(SpecDocs.path(s)), SpecDocs.markdown(s));
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println("sluice: docs: cannot write to " + out + ": " + dev.sluice.IoReason.of(e));
            return Main.ABORTED;
        }
        spec.commandLine().getErr().println("wrote " + (specs.size() + 1) + " pages to " + out);
        return Main.OK;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
