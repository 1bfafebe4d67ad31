package dev.sluice.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Failure;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Reason;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class InputsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void inlineUrlsCarryTheirPositionAsOrigin() {
        StepVerifier.create(Inputs.urls(List.of("http://a/1", "http://a/2")).items())
                .expectNext(Item.ofText("http://a/1", Origin.of("inline", 1)))
                .expectNext(Item.ofText("http://a/2", Origin.of("inline", 2)))
                .verifyComplete();
    }

    @Test
    void singleUrlIsTheFirstInlineInput() {
        StepVerifier.create(Inputs.url("http://a/1").items())
                .expectNext(Item.ofText("http://a/1", Origin.of("inline", 1)))
                .verifyComplete();
    }

    @Test
    void urlFileSkipsBlanksAndCommentsAndKeepsRealLineNumbers() throws IOException {
        Path file = dir.resolve("urls.txt");
        Files.writeString(file, "# seeds\r\n\r\n  http://a/1  \r\n\t\r\n   # indented comment\nhttp://a/2\rhttp://a/3");

        StepVerifier.create(Inputs.lines(file).items())
                .expectNext(Item.ofText("http://a/1", Origin.of(file.toString(), 3)))
                .expectNext(Item.ofText("http://a/2", Origin.of(file.toString(), 6)))
                .expectNext(Item.ofText("http://a/3", Origin.of(file.toString(), 7)))
                .verifyComplete();
    }

    @Test
    void urlFileDropsALeadingByteOrderMark() throws IOException {
        Path file = dir.resolve("bom.txt");
        Files.writeString(file, "\uFEFFhttp://a/1\n");

        StepVerifier.create(Inputs.lines(file).items())
                .expectNext(Item.ofText("http://a/1", Origin.of(file.toString(), 1)))
                .verifyComplete();
    }

    @Test
    void urlFileIsReadAfreshOnEachSubscription() throws IOException {
        Path file = dir.resolve("urls.txt");
        Files.writeString(file, "http://a/1\n");
        var source = Inputs.lines(file);
        Files.writeString(file, "http://a/2\n");

        StepVerifier.create(source.items().map(item -> item.value().asText()))
                .expectNext("http://a/2")
                .verifyComplete();
    }

    @Test
    void urlFileIsReadOnlyAsFarAsDemandedAndClosedOnCancel() throws Exception {
        Path file = bigUrlFile(100_000);
        AtomicReference<CountingInputStream> opened = new AtomicReference<>();
        var source = Inputs.lines(() -> CountingInputStream.of(file, opened), "big.txt");

        StepVerifier.create(source.items(), 0)
                .thenRequest(3)
                .expectNext(Item.ofText("http://h/items/1.json", Origin.of("big.txt", 1)))
                .expectNextCount(2)
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(opened.get().awaitClose()).as("closed after cancel").isTrue();
        assertThat(opened.get().bytesRead()).isLessThan(Files.size(file) / 50);
    }

    @Test
    void bigUrlFileEmitsOnlyWhatIsRequested() throws IOException {
        Path file = bigUrlFile(100_000);

        StepVerifier.create(Inputs.lines(file).items(), 0)
                .thenRequest(3)
                .expectNext(Item.ofText("http://h/items/1.json", Origin.of(file.toString(), 1)))
                .expectNext(Item.ofText("http://h/items/2.json", Origin.of(file.toString(), 2)))
                .expectNext(Item.ofText("http://h/items/3.json", Origin.of(file.toString(), 3)))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void urlFileIsClosedWhenReadToTheEnd() {
        AtomicInteger closes = new AtomicInteger();
        var source = Inputs.lines(() -> new ByteArrayInputStream(utf8("http://a/1\n")) {
            @Override
            public void close() {
                closes.incrementAndGet();
            }
        }, "mem");

        StepVerifier.create(source.items()).expectNextCount(1).verifyComplete();

        assertThat(closes).hasValue(1);
    }

    @Test
    void linesAreReadOnBoundedElasticThreads() {
        List<String> threads = new ArrayList<>();
        var source = Inputs.lines(() -> new ByteArrayInputStream(utf8("http://a/1\n")) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                threads.add(Thread.currentThread().getName());
                return super.read(b, off, len);
            }
        }, "mem");

        StepVerifier.create(source.items()).expectNextCount(1).verifyComplete();

        assertThat(threads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("boundedElastic"));
    }

    @Test
    void missingUrlFileErrorsNamingThePath() {
        Path missing = dir.resolve("nope.txt");

        StepVerifier.create(Inputs.lines(missing).items())
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(UncheckedIOException.class)
                        .hasMessage("cannot read urls file " + missing + ": no such file or directory"))
                .verify(TIMEOUT);
    }

    @Test
    void directoryAsUrlFileErrorsNamingThePath() {
        StepVerifier.create(Inputs.lines(dir).items())
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(UncheckedIOException.class)
                        .hasMessageStartingWith("cannot read urls file " + dir + ": "))
                .verify(TIMEOUT);
    }

    @Test
    void nothingIsOpenedBeforeSubscription() {
        AtomicBoolean opened = new AtomicBoolean();

        var items = Inputs.lines(() -> {
            opened.set(true);
            return new ByteArrayInputStream(new byte[0]);
        }, "mem").items();

        assertThat(opened).isFalse();
        StepVerifier.create(items).verifyComplete();
        assertThat(opened).isTrue();
    }

    @Test
    void ndjsonTurnsAMalformedLineIntoAFailedItemAndGoesOn() throws IOException {
        Path file = dir.resolve("in.ndjson");
        Files.writeString(file, "{\"a\":1}\n\n{\"a\": tru}\n7\n");
        String name = file.toString();

        StepVerifier.create(Inputs.ndjson(file).items())
                .expectNext(Item.of(JsonNodeFactory.instance.objectNode().put("a", 1), Origin.of(name, 1)))
                .assertNext(item -> {
                    Failure failure = item.failure().orElseThrow();
                    assertThat(failure.stage()).isEqualTo("source");
                    assertThat(failure.reason()).isEqualTo(Reason.PARSE);
                    assertThat(failure.message())
                            .startsWith("invalid JSON in " + name + " at line 3, column 7: ")
                            .contains("tru");
                    assertThat(failure.value()).isEqualTo(TextNode.valueOf("{\"a\": tru}"));
                    assertThat(failure.origin()).isEqualTo(Origin.of(name, 3));
                })
                .expectNext(Item.of(IntNode.valueOf(7), Origin.of(name, 4)))
                .verifyComplete();
    }

    @Test
    void ndjsonLineWithTwoValuesIsMalformed() throws IOException {
        Path file = dir.resolve("two.ndjson");
        Files.writeString(file, "1 2\n");

        StepVerifier.create(Inputs.ndjson(file).items())
                .assertNext(item -> assertThat(item.failure().orElseThrow().message())
                        .startsWith("invalid JSON in " + file + " at line 1, column 3: "))
                .verifyComplete();
    }

    @Test
    void missingNdjsonFileErrorsNamingThePath() {
        Path missing = dir.resolve("nope.ndjson");

        StepVerifier.create(Inputs.ndjson(missing).items())
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(UncheckedIOException.class)
                        .hasMessage("cannot read ndjson file " + missing + ": no such file or directory"))
                .verify(TIMEOUT);
    }

    @Test
    void rangeReplacesThePlaceholderInclusively() {
        StepVerifier.create(Inputs.range("http://h/items/{n}.json?n={n}", 9, 11).items())
                .expectNext(Item.ofText("http://h/items/9.json?n=9", Origin.of("range", 9)))
                .expectNext(Item.ofText("http://h/items/10.json?n=10", Origin.of("range", 10)))
                .expectNext(Item.ofText("http://h/items/11.json?n=11", Origin.of("range", 11)))
                .verifyComplete();
    }

    @Test
    void rangeOfOneNumberEmitsOneItem() {
        StepVerifier.create(Inputs.range("http://h/{n}", Long.MAX_VALUE, Long.MAX_VALUE).items())
                .expectNext(Item.ofText("http://h/" + Long.MAX_VALUE, Origin.of("range", Long.MAX_VALUE)))
                .verifyComplete();
    }

    @Test
    void rangeRejectsBadArguments() {
        assertThatThrownBy(() -> Inputs.range("http://h/items/1.json", 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("template must contain {n}, was 'http://h/items/1.json'");
        assertThatThrownBy(() -> Inputs.range("http://h/{n}", 3, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("from must be <= to, was from 3 and to 2");
        assertThatThrownBy(() -> Inputs.range("http://h/{n}", -1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("from must be >= 0, was -1");
    }

    @Test
    void streamLinesFollowTheUrlFileRules() {
        var source = Inputs.lines(() -> new ByteArrayInputStream(utf8("\n# c\nhttp://a/1 \n")), "stdin");

        StepVerifier.create(source.items())
                .expectNext(Item.ofText("http://a/1", Origin.of("stdin", 3)))
                .verifyComplete();
    }

    @Test
    void stdinIsReadButNotClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(utf8("http://a/1\n")) {
            @Override
            public void close() {
                closed.set(true);
            }
        });
        try {
            StepVerifier.create(Inputs.stdin().items())
                    .expectNext(Item.ofText("http://a/1", Origin.of("stdin", 1)))
                    .verifyComplete();
        } finally {
            System.setIn(original);
        }

        assertThat(closed).isFalse();
    }

    private Path bigUrlFile(int lines) throws IOException {
        Path file = dir.resolve("big.txt");
        Files.writeString(file, LongStream.rangeClosed(1, lines)
                .mapToObj(n -> "http://h/items/" + n + ".json")
                .collect(Collectors.joining("\n", "", "\n")));
        return file;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Records how many bytes were read and whether the stream was closed. */
    private static final class CountingInputStream extends FilterInputStream {
        private final AtomicLong bytes = new AtomicLong();
        private final CountDownLatch closed = new CountDownLatch(1);

        private CountingInputStream(InputStream in) {
            super(in);
        }

        static CountingInputStream of(Path file, AtomicReference<CountingInputStream> opened) {
            try {
                CountingInputStream in = new CountingInputStream(Files.newInputStream(file));
                opened.set(in);
                return in;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            bytes.addAndGet(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            bytes.addAndGet(Math.max(n, 0));
            return n;
        }

        @Override
        public void close() throws IOException {
            super.close();
            closed.countDown();
        }

        long bytesRead() {
            return bytes.get();
        }

        /** Waits for the close, which may finish on the reading thread just after the cancel returns. */
        boolean awaitClose() throws InterruptedException {
            return closed.await(5, TimeUnit.SECONDS);
        }
    }
}
