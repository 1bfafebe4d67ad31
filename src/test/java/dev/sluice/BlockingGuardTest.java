package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Proves BlockHound is installed for the test run, so the other tests would catch blocking calls. */
class BlockingGuardTest {

    @Test
    void blockingCallOnAParallelThreadFails() {
        Mono<Integer> blocking = Mono.fromCallable(() -> {
            Thread.yield();
            return 1;
        }).subscribeOn(Schedulers.parallel());

        StepVerifier.create(blocking)
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(BlockingOperationError.class));
    }
}
