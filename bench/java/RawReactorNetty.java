import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The baseline: the fanout-json job written by hand on Reactor Netty and Jackson, the way a user
 * who does not have Sluice would write it (flatMap with C in flight, one pooled keep-alive client,
 * bodies read as bytes and parsed once, a BufferedWriter on the thread that delivers the item).
 *
 * <p>Usage: {@code java -cp sluice.jar:. RawReactorNetty INDEX_URL C OUT_NDJSON}
 */
public final class RawReactorNetty {

    private RawReactorNetty() {}

    public static void main(String[] args) throws IOException {
        String indexUrl = args[0];
        int concurrency = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        ObjectMapper mapper = new ObjectMapper();
        ConnectionProvider pool = ConnectionProvider.builder("raw")
                .maxConnections(concurrency)
                .pendingAcquireMaxCount(-1)
                .build();
        HttpClient client = HttpClient.create(pool);
        try (BufferedWriter writer = Files.newBufferedWriter(out)) {
            byte[] index = client.get().uri(indexUrl).responseSingle((response, body) -> body.asByteArray()).block();
            List<String> urls = new ArrayList<>();
            mapper.readTree(index).forEach(url -> urls.add(url.asText()));
            Flux.fromIterable(urls)
                    .flatMap(url -> client.get().uri(url).responseSingle((response, body) -> body.asByteArray()),
                            concurrency)
                    .map(bytes -> parse(mapper, bytes))
                    .filter(item -> item.path("score").asInt() >= 50)
                    .map(item -> project(mapper, item))
                    .doOnNext(record -> writeLine(writer, mapper, record))
                    .blockLast();
        } finally {
            pool.disposeLater().block();
        }
    }

    private static JsonNode parse(ObjectMapper mapper, byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode project(ObjectMapper mapper, JsonNode item) {
        ObjectNode record = mapper.createObjectNode();
        record.set("id", item.get("id"));
        record.set("title", item.get("title"));
        record.set("author", item.path("author").get("name"));
        return record;
    }

    private static void writeLine(BufferedWriter writer, ObjectMapper mapper, JsonNode record) {
        try {
            writer.write(mapper.writeValueAsString(record));
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
