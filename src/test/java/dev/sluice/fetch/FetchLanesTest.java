package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.LocalHttpServer;
import dev.sluice.LocalHttpServer.Delayed;
import dev.sluice.LocalHttpServer.Respond;
import dev.sluice.Origin;
import dev.sluice.RunContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** A fetch stage on more than one lane: one event loop and one share of the pool each. */
class FetchLanesTest {

    @RegisterExtension
    static final LocalHttpServer server = LocalHttpServer.start();

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void lanesSplitTheRunsPoolAndThePerHostLimit() {
        RunContext run = new RunContext();
        FetchOptions options = FetchOptions.builder().concurrency(21).perHost(21).build();

        SharedClient two = SharedClient.of(run, options, 2);
        SharedClient one = SharedClient.of(run, options, 1);

        assertThat(two.lanes()).as("one lane per loop, as far as there are loops").hasSizeBetween(1, 2);
        assertThat(two.lanes()).extracting(SharedClient.Lane::connections)
                .satisfies(shares -> assertThat(shares.stream().mapToInt(Integer::intValue).sum()).isEqualTo(21));
        assertThat(two.lanes()).extracting(SharedClient.Lane::loop).doesNotHaveDuplicates();
        assertThat(one).as("a stage on one lane has a pool of its own").isNotSameAs(two);
        assertThat(one.lanes()).extracting(SharedClient.Lane::connections).containsExactly(21);
        assertThat(SharedClient.of(run, options, 2)).isSameAs(two);
        StepVerifier.create(run.close()).expectComplete().verify(WAIT);
        assertThat(two.lanes()).allMatch(lane -> lane.provider().isDisposed());
        assertThat(one.lanes()).allMatch(lane -> lane.provider().isDisposed());
    }

    @Test
    void sharesAreEvenAndAddUp() {
        assertThat(SharedClient.share(64, 0, 2)).isEqualTo(32);
        assertThat(SharedClient.share(64, 1, 2)).isEqualTo(32);
        assertThat(SharedClient.share(17, 0, 2)).isEqualTo(9);
        assertThat(SharedClient.share(17, 1, 2)).isEqualTo(8);
        assertThat(SharedClient.share(10, 0, 3) + SharedClient.share(10, 1, 3) + SharedClient.share(10, 2, 3))
                .isEqualTo(10);
    }

    @Test
    void aStageUsesLanesOnlyWithEnoughInFlightAndWithinThePerHostLimit() {
        FetchOptions wide = FetchOptions.builder().concurrency(64).perHost(64).build();
        FetchOptions crawl = FetchOptions.builder().concurrency(64).perHost(8).build();
        FetchOptions narrow = FetchOptions.builder().concurrency(12).perHost(64).build();
        RequestPlan streamed = new RequestPlan(null, null, null, BodyDecoder.ofItems((body, item) -> Flux.empty()),
                Map.of(), null);

        assertThat(HttpFetcher.lanesUsed(2, wide, RequestPlan.NONE)).isEqualTo(2);
        assertThat(HttpFetcher.lanesUsed(16, wide, RequestPlan.NONE)).as("one lane per 8 in flight").isEqualTo(8);
        assertThat(HttpFetcher.lanesUsed(2, crawl, RequestPlan.NONE))
                .as("more in flight than connections to one host: a split could strand a lane").isEqualTo(1);
        assertThat(HttpFetcher.lanesUsed(2, narrow, RequestPlan.NONE)).isEqualTo(1);
        assertThat(HttpFetcher.lanesUsed(2, wide, streamed)).isEqualTo(1);
        assertThat(HttpFetcher.lanesUsed(1, wide, RequestPlan.NONE)).isEqualTo(1);
    }

    @Test
    void everyItemIsFetchedOnceOnTheLoopOfItsLaneAndTheServerNeverSeesMoreThanThePerHostLimit() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "lanes need two cores");
        for (int i = 1; i <= 96; i++) {
            server.route("/slow/" + i, new Delayed(Duration.ofMillis(40), new Respond(200, Map.of(), "{}")));
        }
        FetchOptions options = FetchOptions.builder().concurrency(16).perHost(16).build();
        RunContext run = new RunContext();
        SharedClient shared = SharedClient.of(run, options, 2);
        assertThat(shared.lanes()).hasSize(2);
        Map<Integer, AtomicLong> perLane = new ConcurrentHashMap<>();
        AtomicLong offLane = new AtomicLong();

        StepVerifier.create(Fetch.of(options).apply(Flux.range(1, 96).map(i -> item(server.url("/slow/" + i), i)))
                        .doOnNext(item -> {
                            int lane = currentLane(shared);
                            (lane < 0 ? offLane : perLane.computeIfAbsent(lane, k -> new AtomicLong())).incrementAndGet();
                        })
                        .contextWrite(run::putInto))
                .recordWith(java.util.ArrayList::new)
                .expectNextCount(96)
                .consumeRecordedWith(items -> {
                    assertThat(items).noneMatch(Item::isFailure);
                    assertThat(items).extracting(item -> item.origin().line()).doesNotHaveDuplicates();
                })
                .expectComplete()
                .verify(WAIT);

        assertThat(server.requests()).hasSize(96).doesNotHaveDuplicates();
        // the server counts a response until it is flushed: a connection's next request may overlap it
        assertThat(server.maxInFlight()).as("both lanes' shares at once, never more than per_host")
                .isBetween(SharedClient.LANE_CONNECTIONS + 1, 16 + 1);
        assertThat(offLane.get()).as("items leaving from a thread other than a lane's loop").isZero();
        assertThat(perLane.keySet()).as("lanes that fetched").containsExactlyInAnyOrder(0, 1);
        StepVerifier.create(run.close()).expectComplete().verify(WAIT);
    }

    private static int currentLane(SharedClient shared) {
        for (int i = 0; i < shared.lanes().size(); i++) {
            if (shared.lanes().get(i).loop().inEventLoop()) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aStageOnOneLaneHasEveryConnectionToAHostEvenWhenAnotherStageOfTheRunHasLanes() {
        for (int i = 1; i <= 64; i++) {
            server.route("/held/" + i, new Delayed(Duration.ofMillis(60), new Respond(200, Map.of(), "{}")));
        }
        RunContext run = new RunContext();
        FetchOptions crawl = FetchOptions.builder().concurrency(32).perHost(16).build();
        SharedClient laned = SharedClient.of(run, crawl, 2);

        StepVerifier.create(Fetch.of(crawl).apply(Flux.range(1, 64).map(i -> item(server.url("/held/" + i), i)))
                        .contextWrite(run::putInto))
                .expectNextCount(64)
                .expectComplete()
                .verify(WAIT);

        assertThat(laned.lanes()).allMatch(lane -> lane.connections() < 16 || laned.lanes().size() == 1);
        // the server counts a response until it is flushed: a connection's next request may overlap it
        assertThat(server.maxInFlight()).as("all 16 connections of per_host, not one lane's share of 8")
                .isBetween(15, 16 + 1);
        StepVerifier.create(run.close()).expectComplete().verify(WAIT);
    }

    @Test
    void lanesReadAheadBoundedlyAndFetchOnlyWhatDownstreamCanTake() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "lanes need two cores");
        server.respond("/n", 200, "{}");
        AtomicLong requested = new AtomicLong();
        int concurrency = 16;
        Flux<Item> items = Flux.range(1, 1000)
                .doOnRequest(requested::addAndGet)
                .map(i -> item(server.url("/n"), i));

        StepVerifier.create(Fetch.of(FetchOptions.builder().concurrency(concurrency).perHost(concurrency).build())
                        .apply(items), 0)
                .expectSubscription()
                .thenRequest(1)
                .expectNextCount(1)
                .thenAwait(Duration.ofMillis(200))
                .then(() -> assertThat(requested.get()).as("read ahead: the hand-out queue and each lane's queue")
                        .isBetween(1L, 3L * concurrency + 2))
                .then(() -> assertThat(server.requests().size()).as("fetched: in flight and one waiting per lane")
                        .isBetween(1, concurrency + 2 + 1))
                .thenCancel()
                .verify(WAIT);
    }

    private static Item item(String url, int line) {
        return Item.of(TextNode.valueOf(url), Origin.of("test", line));
    }
}
