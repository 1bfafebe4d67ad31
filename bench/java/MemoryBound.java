import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Item;
import dev.sluice.Pipeline;
import dev.sluice.RunReport;
import dev.sluice.Sink;
import dev.sluice.sink.Outputs;
import dev.sluice.source.Inputs;
import dev.sluice.transform.Transform;
import java.nio.file.Path;
import java.time.Duration;
import reactor.core.publisher.Flux;

/**
 * The memory bound of issue 7: a URL file source of a million lines through a map into an NDJSON
 * file behind a slow consumer. The sink takes items in batches of {@code BATCH} and pauses
 * {@code PAUSE_MS} before each batch, so the source runs far ahead of it unless backpressure holds
 * it back; a source that read ahead would need ~200 bytes of heap per line, far beyond -Xmx128m.
 *
 * <p>With a fourth argument {@code unbounded} the sink first collects every item (a negative control:
 * the check must then fail).
 *
 * <p>Usage: {@code java -Xmx128m -cp sluice.jar:. MemoryBound URLS_FILE OUT_NDJSON [PAUSE_MS [unbounded]]}
 */
public final class MemoryBound {

    private static final int BATCH = 10_000;

    private MemoryBound() {}

    public static void main(String[] args) {
        Path urls = Path.of(args[0]);
        Sink file = Outputs.ndjson(Path.of(args[1]));
        Duration pause = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 30);
        boolean unbounded = args.length > 3 && args[3].equals("unbounded");
        Sink slow = unbounded
                ? items -> file.write(items.collectList().delayElement(pause).flatMapIterable(all -> all))
                : items -> file.write(slowly(items, pause));
        RunReport report = Pipeline.from(Inputs.lines(urls))
                .then(Transform.map(url -> {
                    ObjectNode record = JsonNodeFactory.instance.objectNode();
                    record.set("url", url);
                    record.put("length", url.textValue().length());
                    return record;
                }))
                .to(slow)
                .run()
                .block();
        System.out.println("outputs=" + report.outputs() + " inputs=" + report.inputs());
        System.err.println("memory: " + report);
    }

    /** Consumes in batches of {@link #BATCH}, waiting {@code pause} before each: a sink slower than the source. */
    private static Flux<Item> slowly(Flux<Item> items, Duration pause) {
        return items.buffer(BATCH).delayElements(pause).flatMapIterable(batch -> batch);
    }
}
