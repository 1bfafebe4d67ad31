package dev.sluice.definition;

import dev.sluice.fetch.FetchSpecs;
import dev.sluice.parse.ParseSpecs;
import dev.sluice.sink.SinkSpecs;
import dev.sluice.source.SourceSpecs;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Kind;
import dev.sluice.transform.TransformSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The components a pipeline file may name: the built-ins of every component package, plus any the
 * caller adds with {@link #with}. Immutable; there is no global mutable registry and no classpath
 * scanning.
 */
public final class ComponentRegistry {

    private static final ComponentRegistry BUILTINS = new ComponentRegistry(builtinSpecs());

    private final List<ComponentSpec<?>> specs;

    private ComponentRegistry(List<ComponentSpec<?>> specs) {
        this.specs = List.copyOf(specs);
    }

    /**
     * Returns the registry of built-in components.
     *
     * @return the shared built-in registry
     */
    public static ComponentRegistry builtins() {
        return BUILTINS;
    }

    /**
     * Adds (or replaces, by kind and name) a component.
     *
     * @param spec the component's spec
     * @return a new registry
     */
    public ComponentRegistry with(ComponentSpec<?> spec) {
        Objects.requireNonNull(spec, "spec");
        List<ComponentSpec<?>> next = new ArrayList<>(specs);
        next.removeIf(s -> s.kind() == spec.kind() && s.name().equals(spec.name()));
        next.add(spec);
        return new ComponentRegistry(next);
    }

    /**
     * Returns every spec, in registration order.
     *
     * @return the specs
     */
    public List<ComponentSpec<?>> all() {
        return specs;
    }

    /**
     * Returns the specs of one slot.
     *
     * @param kind the slot
     * @return the specs, sorted by name
     */
    public List<ComponentSpec<?>> of(Kind kind) {
        return specs.stream().filter(s -> s.kind() == kind)
                .sorted(java.util.Comparator.comparing(ComponentSpec::name)).toList();
    }

    /**
     * Finds a component.
     *
     * @param kind the slot
     * @param name the name
     * @return the spec, or empty
     */
    public java.util.Optional<ComponentSpec<?>> find(Kind kind, String name) {
        return specs.stream().filter(s -> s.kind() == kind && s.name().equals(name)).findFirst();
    }

    /**
     * Returns the names of one slot's components.
     *
     * @param kind the slot
     * @return the names, sorted
     */
    public List<String> names(Kind kind) {
        return of(kind).stream().map(ComponentSpec::name).toList();
    }

    private static List<ComponentSpec<?>> builtinSpecs() {
        List<ComponentSpec<?>> all = new ArrayList<>();
        all.addAll(SourceSpecs.all());
        all.addAll(FetchSpecs.all());
        all.addAll(ParseSpecs.all());
        all.addAll(TransformSpecs.all());
        all.addAll(SinkSpecs.all());
        return all;
    }
}
