package dev.sluice.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Tally;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class BodyBufferTest {

    private static List<ByteBuf> chunks(String... parts) {
        return java.util.Arrays.stream(parts)
                .map(p -> Unpooled.wrappedBuffer(p.getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    private static Mono<String> read(BodyBuffer buffer, List<ByteBuf> chunks) {
        return Flux.fromIterable(chunks).handle(buffer::append).then(Mono.fromSupplier(buffer::text))
                .doFinally(signal -> chunks.forEach(ByteBuf::release));
    }

    @Test
    void chunksAreJoinedInOrderWhateverTheAnnouncedLength() {
        for (long announced : new long[] {-1, 0, 3, 12, 1000}) {
            StepVerifier.create(read(new BodyBuffer(1_000, 200, new Tally(), announced, new Timing()),
                            chunks("{\"a\":", "\"héllo\"", "}", "")))
                    .expectNext("{\"a\":\"héllo\"}")
                    .verifyComplete();
        }
    }

    @Test
    void aBodyPastTheLimitErrorsWithTooLarge() {
        StepVerifier.create(read(new BodyBuffer(5, 200, new Tally(), -1, new Timing()), chunks("abc", "def")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(BodyBuffer.TooLarge.class)
                        .hasMessage("body exceeds the maximum of 5 bytes"))
                .verify();
    }

    @Test
    void bytesReadAreCounted() {
        Tally tally = new Tally();
        StepVerifier.create(read(new BodyBuffer(100, 200, tally, 7, new Timing()), chunks("abcd", "efg")))
                .expectNext("abcdefg")
                .verifyComplete();
        assertThat(tally.report(0).bytesIn()).isEqualTo(7);
    }
}
