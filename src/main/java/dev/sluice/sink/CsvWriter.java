package dev.sluice.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.sluice.Item;
import dev.sluice.SinkException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes good items as CSV rows (RFC 4180, {@code \n} line ends) under a header row. The columns are
 * given, or taken from the first item's field names. Each cell is the item's field of that name: a
 * string as is, a number or boolean as its JSON text, an object or array as compact JSON, and an
 * absent field or {@code null} as an empty cell; fields not among the columns are not written. An item
 * that is not an object cannot be a row: the sink refuses it ({@link #refusal}) so that a pipeline
 * dead-letters it, and handed one anyway the writer throws. Methods block and are synchronized, like
 * {@link LineWriter}.
 */
final class CsvWriter implements ItemWriter {

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final CsvMapper CSV = new CsvMapper();

    private final Destination destination;
    private List<String> columns;
    private OutputStream raw;
    private OutputStream out;
    private SequenceWriter rows;
    private long written;
    private boolean closed;

    /** Writes {@code columns}, or the first item's field names when empty. */
    CsvWriter(Destination destination, List<String> columns) {
        this.destination = destination;
        this.columns = columns.isEmpty() ? null : columns;
    }

    @Override
    public synchronized void write(Item item) {
        if (closed || item.isFailure()) {
            return;
        }
        JsonNode value = item.value();
        Optional<String> refused = refusal(destination.name(), item);
        if (refused.isPresent()) {
            throw new SinkException(refused.get(), null);
        }
        if (columns == null) {
            columns = fieldNames(value);
        }
        try {
            opened().write(cells(value));
            written++;
        } catch (IOException e) {
            throw ItemWriter.cannotWrite(destination, e);
        }
    }

    @Override
    public synchronized long written() {
        return written;
    }

    @Override
    public synchronized void sync() {
        if (closed || rows == null) {
            return;
        }
        try {
            rows.flush();
            Destination.sync(raw);
        } catch (IOException e) {
            throw ItemWriter.cannotWrite(destination, e);
        }
    }

    /** Opens the target if needed (an empty run leaves the header, or an empty file), then closes it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (columns == null) {
                destination.open().close();
                return;
            }
            SequenceWriter writer = opened();
            try (OutputStream target = out) {
                writer.close();
            }
        } catch (IOException e) {
            throw ItemWriter.cannotWrite(destination, e);
        } finally {
            closed = true;
        }
    }

    @Override
    public synchronized void abandon() {
        if (rows == null) {
            closed = true;
            return;
        }
        closeQuietly();
    }

    private SequenceWriter opened() throws IOException {
        if (rows == null) {
            try {
                raw = destination.open();
                out = new BufferedOutputStream(raw, BUFFER_SIZE);
                CsvSchema.Builder schema = CsvSchema.builder();
                columns.forEach(schema::addColumn);
                // A continued file already starts with its header.
                boolean continued = raw instanceof FileStream file && file.startSize() > 0;
                CsvSchema csv = schema.build().withUseHeader(!continued).withLineSeparator("\n");
                rows = CSV.writer(csv).writeValues(out);
            } catch (IOException e) {
                closed = true;
                throw e;
            }
        }
        return rows;
    }

    private String[] cells(JsonNode value) {
        String[] cells = new String[columns.size()];
        for (int i = 0; i < cells.length; i++) {
            JsonNode field = value.get(columns.get(i));
            if (field == null || field.isNull()) {
                cells[i] = "";
            } else {
                cells[i] = field.isContainerNode() ? field.toString() : field.asText();
            }
        }
        return cells;
    }

    private static List<String> fieldNames(JsonNode value) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return List.copyOf(names);
    }

    /** Why {@code item} cannot be a row of {@code target}: only an object can. */
    static Optional<String> refusal(String target, Item item) {
        JsonNode value = item.value();
        return value.isObject()
                ? Optional.empty()
                : Optional.of("cannot write " + target + ": item " + item.origin() + " is " + kind(value)
                        + ", not an object; a CSV row needs an object (map it first)");
    }

    static String kind(JsonNode value) {
        String type = value.getNodeType().name().toLowerCase(Locale.ROOT);
        return value.isNull() ? "null" : (type.matches("[aeiou].*") ? "an " : "a ") + type;
    }
}
