package dev.sluice.source;

import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Source;
import java.nio.file.Path;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;

/**
 * Emits one trimmed URL per line of a text input, skipping blank lines and lines starting with
 * {@code #}; each item's origin is the input's name and the real line number.
 */
final class UrlLinesSource implements Source {

    private final String name;
    private final LineReader reader;
    private final List<Path> files;

    /** @param file the file the lines come from, or null for a stream */
    UrlLinesSource(String name, LineReader reader, Path file) {
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
        return reader.lines().handle(this::keep);
    }

    private void keep(NumberedLine line, SynchronousSink<Item> sink) {
        String url = line.text().strip();
        if (!url.isEmpty() && !url.startsWith("#")) {
            sink.next(Item.ofText(url, Origin.of(name, line.number())));
        }
    }

    @Override
    public String toString() {
        return "lines(" + name + ")";
    }
}
