package dev.sluice.cli;

import dev.sluice.definition.ComponentRegistry;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Kind;
import dev.sluice.spec.SpecDocs;
import dev.sluice.spec.Suggestions;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice components [NAME]}: lists components, or describes one with its fields and examples. */
@Command(name = "components", mixinStandardHelpOptions = true,
        description = "List the components, or describe one (fields, defaults, examples).")
final class ComponentsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A component name, e.g. fetch.")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ComponentRegistry registry = ComponentRegistry.builtins();
        if (name == null) {
            for (Kind kind : Kind.values()) {
                out.println(kind.label() + ":");
                for (ComponentSpec<?> s : registry.of(kind)) {
                    out.println(String.format("  %-10s %s", s.name(), s.summary()));
                }
            }
            return Main.OK;
        }
        List<ComponentSpec<?>> matches = registry.all().stream().filter(s -> s.name().equals(name)).toList();
        if (matches.isEmpty()) {
            List<String> names = registry.all().stream().map(ComponentSpec::name).distinct().sorted().toList();
            spec.commandLine().getErr().println("sluice: unknown component '" + name + "'"
                    + Suggestions.didYouMean(name, names) + "; known: " + String.join(", ", names));
            return Main.INVALID;
        }
        for (ComponentSpec<?> s : matches) {
            out.println(SpecDocs.markdown(s));
        }
        return Main.OK;
    }
}
