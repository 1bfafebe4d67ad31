import dev.sluice.Pipeline;
import dev.sluice.RunReport;
import dev.sluice.fetch.Fetch;
import dev.sluice.parse.Parse;
import dev.sluice.sink.Outputs;
import dev.sluice.source.Inputs;
import dev.sluice.transform.Jq;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The fanout-json job through Sluice's Java API, as an application embedding the library would run
 * it: the same steps as {@code bench/fanout.yaml}.
 *
 * <p>Usage: {@code java -cp sluice.jar:. SluiceEmbedded INDEX_URL C OUT_NDJSON ERRORS_NDJSON}
 */
public final class SluiceEmbedded {

    private SluiceEmbedded() {}

    public static void main(String[] args) {
        String indexUrl = args[0];
        int concurrency = Integer.parseInt(args[1]);
        RunReport report = Pipeline.from(Inputs.url(indexUrl))
                .then(Fetch.get().timeout(Duration.ofSeconds(60)))
                .then(Parse.json())
                .then(Jq.explode(".[]"))
                .then(Fetch.get().concurrency(concurrency).perHost(concurrency).timeout(Duration.ofSeconds(30)))
                .then(Parse.json())
                .then(Jq.filter(".score >= 50"))
                .then(Jq.map("{id, title, author: .author.name}"))
                .to(Outputs.ndjson(Path.of(args[2])))
                .deadLetterTo(Outputs.deadLetters(Path.of(args[3])))
                .run()
                .block();
        System.err.println("embedded: " + report);
    }
}
