package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Rate limits and host pauses in virtual time: bucket4j reads Reactor's clock. */
class HostGateTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<String> passed = new CopyOnWriteArrayList<>();

    @Test
    void twoPerSecondWithBurstTwoLetsTwoGoAtOnceThenOneEveryHalfSecond() {
        RateLimit rate = RateLimit.parse("2/s").withBurst(2);

        StepVerifier.withVirtualTime(() -> through(new HostGate(rate, RateLimit.UNLIMITED), "a", "a", "a", "a", "a", "a"))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(3))
                .expectNextCount(6)
                .expectComplete()
                .verify(WAIT);

        assertThat(passed).containsExactly("a@0", "a@0", "a@500", "a@1000", "a@1500", "a@2000");
    }

    @Test
    void eachHostHasItsOwnBucket() {
        RateLimit rate = RateLimit.parse("1/s");

        StepVerifier.withVirtualTime(() -> through(new HostGate(rate, RateLimit.UNLIMITED), "a", "b", "a", "b"))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2))
                .expectNextCount(4)
                .expectComplete()
                .verify(WAIT);

        assertThat(passed).containsExactlyInAnyOrder("a@0", "b@0", "a@1000", "b@1000");
    }

    @Test
    void theGlobalRateSpansHosts() {
        RateLimit global = RateLimit.parse("600/m");

        StepVerifier.withVirtualTime(() -> through(new HostGate(RateLimit.UNLIMITED, global), "a", "b", "c"))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .expectNextCount(3)
                .expectComplete()
                .verify(WAIT);

        assertThat(passed).containsExactly("a@0", "b@100", "c@200");
    }

    @Test
    void theGateIsOpenWithoutLimitsUntilAHostIsPaused() {
        HostGate unlimited = new HostGate(RateLimit.UNLIMITED, RateLimit.UNLIMITED);

        assertThat(unlimited.isOpen()).isTrue();
        unlimited.pause("a", Duration.ofSeconds(1));
        assertThat(unlimited.isOpen()).as("after a pause every request asks").isFalse();
        assertThat(new HostGate(RateLimit.parse("5/s"), RateLimit.UNLIMITED).isOpen()).isFalse();
        assertThat(new HostGate(RateLimit.UNLIMITED, RateLimit.parse("5/s")).isOpen()).isFalse();
    }

    @Test
    void aPauseHoldsBackOnlyThatHost() {
        StepVerifier.withVirtualTime(() -> {
                    HostGate gate = new HostGate(RateLimit.UNLIMITED, RateLimit.UNLIMITED);
                    gate.pause("a", Duration.ofSeconds(4));
                    return through(gate, "a", "b");
                })
                .expectSubscription()
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(3999))
                .thenAwait(Duration.ofMillis(1))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);

        assertThat(passed).containsExactly("b@0", "a@4000");
    }

    @Test
    void aPauseThatBeginsWhileRequestsWaitForTokensHoldsThemBackAndTheRateHoldsAfterIt() {
        RateLimit rate = RateLimit.parse("1/m");

        StepVerifier.withVirtualTime(() -> {
                    HostGate gate = new HostGate(rate, RateLimit.UNLIMITED);
                    return through(gate, "a", "a", "a", "a", "a")
                            .doOnNext(entry -> {
                                if (entry.equals("a@60000")) {
                                    gate.pause("a", Duration.ofMinutes(5));
                                }
                            });
                })
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(10))
                .expectNextCount(5)
                .expectComplete()
                .verify(WAIT);

        assertThat(passed).containsExactly("a@0", "a@60000", "a@360000", "a@420000", "a@480000");
    }

    @Test
    void waitingNeverDropsAnItem() {
        RateLimit rate = RateLimit.parse("10/s");

        StepVerifier.withVirtualTime(() -> through(new HostGate(rate, rate), hosts(50)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(5))
                .expectNextCount(50)
                .expectComplete()
                .verify(WAIT);

        assertThat(passed).hasSize(50).last().isEqualTo("a@4900");
    }

    private Flux<String> through(HostGate gate, String... hosts) {
        return Flux.fromArray(hosts)
                .flatMap(host -> gate.enter(host).then(reactor.core.publisher.Mono.fromSupplier(() -> record(host))));
    }

    private String record(String host) {
        String entry = host + "@" + Schedulers.parallel().now(TimeUnit.MILLISECONDS);
        passed.add(entry);
        return entry;
    }

    private static String[] hosts(int n) {
        String[] hosts = new String[n];
        java.util.Arrays.fill(hosts, "a");
        return hosts;
    }
}
