package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.fetch.Fetch;
import dev.sluice.parse.Parse;
import dev.sluice.source.Inputs;
import dev.sluice.transform.Jq;
import dev.sluice.transform.Transform;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The Java snippets of README.md, compiled and run so they cannot rot. */
class ReadmeExamplesTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    @Test
    void javaExampleKeepsPopularTitles() {
        for (int i = 1; i <= 100; i++) {
            server.respond("/items/" + i + ".json", 200, "{\"id\":" + i + ",\"title\":\"t" + i + "\",\"score\":" + i + "}");
        }
        String baseUrl = server.url("");

        Flux<Item> popular = Pipeline.from(Inputs.range(baseUrl + "/items/{n}.json", 1, 100))
                .then(Fetch.get().concurrency(32).timeout(Duration.ofSeconds(10)))
                .then(Parse.json())
                .then(Jq.filter(".score >= 50"))
                .then(Transform.map(value -> value.get("title")))
                .items();

        StepVerifier.create(popular.map(Item::value).map(JsonNode::asText).collectList())
                .assertNext(titles -> assertThat(titles)
                        .hasSize(51)
                        .contains("t50", "t100")
                        .doesNotContain("t49")
                        .doesNotHaveDuplicates())
                .verifyComplete();
    }
}
