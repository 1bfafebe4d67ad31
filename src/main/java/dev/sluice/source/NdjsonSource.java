package dev.sluice.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Reason;
import dev.sluice.Source;
import java.nio.file.Path;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;

/**
 * Emits one parsed JSON value per non-blank line of a text input. A line that is not exactly one
 * JSON value becomes a failed item (stage {@code source}, reason {@code parse}) holding the raw line,
 * and reading goes on.
 */
final class NdjsonSource implements Source {

    static final String STAGE = "source";

    /** Shared and thread-safe once configured; a line holding two values is an error, not two items. */
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final String name;
    private final LineReader reader;
    private final List<Path> files;

    /** @param file the file the lines come from, or null for a stream */
    NdjsonSource(String name, LineReader reader, Path file) {
        this.name = name;
        this.reader = reader;
        this.files = file == null ? List.of() : List.of(file);
    }

    @Override
    public List<Path> files() {
        return files;
    }

    @Override
    public Flux<Item> items() {
        return reader.lines().handle(this::parse);
    }

    private void parse(NumberedLine line, SynchronousSink<Item> sink) {
        if (!line.isBlank()) {
            sink.next(item(line));
        }
    }

    private Item item(NumberedLine line) {
        Origin origin = Origin.of(name, line.number());
        try {
            return Item.of(MAPPER.readTree(line.text()), origin);
        } catch (JsonProcessingException e) {
            return Item.ofText(line.text(), origin).fail(STAGE, Reason.PARSE, message(line, e));
        }
    }

    private String message(NumberedLine line, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        long column = at == null ? 0 : at.getColumnNr();
        return "invalid JSON in " + name + " at line " + line.number() + ", column " + column + ": "
                + e.getOriginalMessage();
    }

    @Override
    public String toString() {
        return "ndjson(" + name + ")";
    }
}
