package dev.sluice.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Pipeline;
import dev.sluice.Sink;
import dev.sluice.Source;
import dev.sluice.Stage;
import java.util.List;
import java.util.Objects;

/**
 * A pipeline file after validation: its name and description, and the bound components ready to run.
 *
 * @param name the pipeline's name (the file name without extension when the file has none)
 * @param description the description, or the empty string
 * @param source the bound source
 * @param steps the bound steps, in file order
 * @param sink the bound sink
 * @param deadLetter the bound dead-letter sink
 * @param effective the file as bound: every component with its effective settings, defaults filled
 *     in and secrets masked, as {@code sluice explain} shows it
 */
public record PipelineDefinition(
        String name, String description, Source source, List<Stage> steps, Sink sink, Sink deadLetter,
        JsonNode effective) {

    /** Validates and copies the fields. */
    public PipelineDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(deadLetter, "deadLetter");
        steps = List.copyOf(steps);
        effective = effective.deepCopy();
    }

    /**
     * Assembles the pipeline.
     *
     * @return a new {@code Pipeline} writing to the file's sink and dead-letter sink
     */
    public Pipeline pipeline() {
        return assemble(source);
    }

    /**
     * Assembles the pipeline reading at most {@code limit} inputs, for trying a file on a sample.
     *
     * @param limit the maximum number of inputs, at least 1
     * @return a new {@code Pipeline}
     */
    public Pipeline pipeline(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        return assemble(() -> source.items().take(limit));
    }

    /**
     * Assembles the pipeline with its source adapted, e.g. to stop taking inputs on a signal.
     *
     * @param adapt wraps the file's source
     * @return a new {@code Pipeline}
     */
    public Pipeline pipeline(java.util.function.UnaryOperator<Source> adapt) {
        return assemble(adapt.apply(source));
    }

    private Pipeline assemble(Source from) {
        Pipeline p = Pipeline.from(from);
        for (Stage step : steps) {
            p = p.then(step);
        }
        return p.to(sink).deadLetterTo(deadLetter);
    }
}
