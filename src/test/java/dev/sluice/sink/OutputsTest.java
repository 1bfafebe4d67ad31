package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Pipeline;
import dev.sluice.Reason;
import dev.sluice.Sink;
import dev.sluice.SinkException;
import dev.sluice.SinkReport;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

class OutputsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    @Test
    void ndjsonFileHoldsOneCompactValuePerLine() throws IOException {
        Path file = dir.resolve("out.ndjson");
        Flux<Item> items = Flux.just(
                item(JSON.objectNode().put("id", 1).put("title", "café \"quoted\"")),
                item(JSON.textNode("plain")),
                item(JSON.arrayNode().add(1).add(JSON.nullNode())),
                item(JSON.numberNode(2.5)));

        StepVerifier.create(Outputs.ndjson(file).write(items))
                .expectNext(new SinkReport(4))
                .verifyComplete();

        assertThat(Files.readString(file)).isEqualTo("""
                {"id":1,"title":"café \\"quoted\\""}
                "plain"
                [1,null]
                2.5
                """);
    }

    @Test
    void ndjsonFileIsCompleteWhenTheReportArrives() {
        Path file = dir.resolve("out.ndjson");

        StepVerifier.create(Outputs.ndjson(file).write(Flux.range(1, 5000).map(n -> item(JSON.numberNode(n)))))
                .assertNext(report -> assertThat(file).content().hasLineCount(5000).endsWith("5000\n"))
                .verifyComplete();
    }

    @Test
    void ndjsonFileCreatesParentDirectoriesAndTruncates() throws IOException {
        Path file = dir.resolve("a/b/out.ndjson");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old content that is longer than the new one\n");

        StepVerifier.create(Outputs.ndjson(file).write(Flux.just(item(JSON.numberNode(1)))))
                .expectNext(new SinkReport(1))
                .verifyComplete();
        StepVerifier.create(Outputs.ndjson(dir.resolve("c/d/new.ndjson")).write(Flux.empty()))
                .expectNext(new SinkReport(0))
                .verifyComplete();

        assertThat(file).hasContent("1\n");
        assertThat(dir.resolve("c/d/new.ndjson")).isEmptyFile();
    }

    @Test
    void nothingIsOpenedBeforeSubscription() {
        Path file = dir.resolve("out.ndjson");

        var written = Outputs.ndjson(file).write(Flux.just(item(JSON.numberNode(1))));

        assertThat(file).doesNotExist();
        StepVerifier.create(written).expectNext(new SinkReport(1)).verifyComplete();
        assertThat(file).hasContent("1\n");
    }

    @Test
    void ndjsonSkipsFailedItemsWithoutCountingThem() throws IOException {
        Path file = dir.resolve("out.ndjson");
        Flux<Item> items = Flux.just(item(JSON.numberNode(1)), failed("http://h/a", 2), item(JSON.numberNode(3)));

        StepVerifier.create(Outputs.ndjson(file).write(items))
                .expectNext(new SinkReport(2))
                .verifyComplete();

        assertThat(Files.readString(file)).isEqualTo("1\n3\n");
    }

    @Test
    void streamIsWrittenOnBoundedElasticThenFlushedButNotClosed() {
        RecordingStream out = new RecordingStream(new ByteArrayOutputStream());
        Flux<Item> items = Flux.just(item(JSON.numberNode(1)), item(JSON.textNode("x")));

        StepVerifier.create(Outputs.ndjson(out, "mem").write(items))
                .expectNext(new SinkReport(2))
                .verifyComplete();

        assertThat(out.content()).isEqualTo("1\n\"x\"\n");
        assertThat(out.writerThreads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("boundedElastic"));
        assertThat(out.flushes).hasPositiveValue();
        assertThat(out.closed.getCount()).as("close() calls outstanding").isEqualTo(1);
    }

    @Test
    void upstreamErrorPassesThroughAfterTheLinesSoFarAreFlushedAndClosed() {
        Path file = dir.resolve("out.ndjson");
        RecordingDestination destination = new RecordingDestination(new Destination.ToFile(file));
        IllegalStateException boom = new IllegalStateException("boom");
        Flux<Item> items = Flux.just(item(JSON.numberNode(1)), item(JSON.numberNode(2))).concatWith(Flux.error(boom));

        StepVerifier.create(WriterSink.lines(destination, LineFormat.VALUES, LineWriter.Framing.LINES).write(items))
                .verifyErrorSatisfies(e -> assertThat(e).isSameAs(boom));

        assertThat(destination.stream().closed.getCount()).as("close() calls outstanding").isZero();
        assertThat(destination.stream().writerThreads)
                .allSatisfy(name -> assertThat(name).startsWith("boundedElastic"));
        assertThat(file).hasContent("1\n2\n");
    }

    @Test
    void cancellationFlushesTheLinesSoFarAndClosesTheFile() throws InterruptedException {
        Path file = dir.resolve("out.ndjson");
        RecordingDestination destination = new RecordingDestination(new Destination.ToFile(file));
        PublisherProbe<Item> rest = PublisherProbe.of(Flux.never());
        CountDownLatch secondSerialised = new CountDownLatch(1);
        Flux<Item> items = Flux.just(item(JSON.numberNode(1)), item(new POJONode(new Signal("two", secondSerialised))))
                .concatWith(rest.flux());

        StepVerifier.create(WriterSink.lines(destination, LineFormat.VALUES, LineWriter.Framing.LINES).write(items))
                .then(() -> await(secondSerialised))
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(destination.stream().closed.await(5, TimeUnit.SECONDS)).as("closed after cancel").isTrue();
        rest.assertWasCancelled();
        assertThat(file).hasContent("1\n\"two\"\n");
    }

    @Test
    void cancellationClosesTheStreamVariantWithoutClosingTheStream() throws InterruptedException {
        RecordingStream out = new RecordingStream(new ByteArrayOutputStream());
        CountDownLatch serialised = new CountDownLatch(1);

        StepVerifier.create(Outputs.ndjson(out, "mem").write(
                        Flux.just(item(new POJONode(new Signal("one", serialised)))).concatWith(Flux.never())))
                .then(() -> await(serialised))
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(out.flushed.await(5, TimeUnit.SECONDS)).as("flushed after cancel").isTrue();
        assertThat(out.content()).isEqualTo("\"one\"\n");
        assertThat(out.closed.getCount()).as("close() calls outstanding").isEqualTo(1);
    }

    @Test
    void directoryPathErrorsWithSinkExceptionNamingIt() {
        StepVerifier.create(Outputs.ndjson(dir).write(Flux.just(item(JSON.numberNode(1)))))
                .verifyErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(SinkException.class)
                        .hasMessageStartingWith("cannot write " + dir + ": ")
                        .hasMessageEndingWith("; check that the directory exists and is writable")
                        .hasCauseInstanceOf(IOException.class));
    }

    @Test
    void fileInPlaceOfAParentDirectoryErrorsWithSinkException() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "");
        Path file = blocker.resolve("out.ndjson");

        StepVerifier.create(Outputs.deadLetters(file).write(Flux.empty()))
                .verifyErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(SinkException.class)
                        .hasMessage("cannot write " + file + ": a file is in the way at " + blocker
                                + "; check that the directory exists and is writable"));
    }

    @Test
    void streamThatFailsToWriteErrorsWithSinkException() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };

        StepVerifier.create(Outputs.ndjson(broken, "mem").write(Flux.just(item(JSON.numberNode(1)))))
                .verifyErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(SinkException.class)
                        .hasMessage("cannot write mem: No space left on device"));
    }

    @Test
    void aWriteThatFailsBeforeItsFirstItemLeavesThePreviousFileAsItWas() throws IOException {
        Path ndjson = Files.writeString(dir.resolve("out.ndjson"), "{\"kept\":1}\n");
        Path csv = Files.writeString(dir.resolve("out.csv"), "kept\n1\n");
        Path never = dir.resolve("never/made.ndjson");

        for (Sink sink : List.of(Outputs.ndjson(ndjson), Outputs.csv(csv), Outputs.deadLetters(never))) {
            StepVerifier.create(sink.write(Flux.error(new IllegalStateException("cannot read the source"))))
                    .expectErrorMessage("cannot read the source")
                    .verify(TIMEOUT);
        }

        assertThat(Files.readString(ndjson)).isEqualTo("{\"kept\":1}\n");
        assertThat(Files.readString(csv)).isEqualTo("kept\n1\n");
        assertThat(never.getParent()).doesNotExist();
    }

    @Test
    void printStreamThatSwallowsAFailedWriteStillFailsTheSink() {
        // System.out is a PrintStream: it records a failed write (a closed pipe, a full device) instead
        // of throwing, so the sink must ask it rather than count the items as written.
        PrintStream swallowing = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        }, false, StandardCharsets.UTF_8);

        StepVerifier.create(Outputs.ndjson(swallowing, "stdout").write(Flux.range(1, 3).map(n -> item(JSON.numberNode(n)))))
                .verifyErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(SinkException.class)
                        .hasMessage("cannot write stdout: it no longer accepts data (a closed pipe or a full device)"));
    }

    @Test
    void targetIsClosedEvenWhenItsLastFlushFails() {
        RecordingStream target = new RecordingStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        });
        Destination destination = new Destination() {
            @Override
            public String name() {
                return "full.ndjson";
            }

            @Override
            public OutputStream open() {
                return target;
            }
        };

        Sink sink = WriterSink.lines(destination, LineFormat.VALUES, LineWriter.Framing.LINES);

        StepVerifier.create(sink.write(Flux.just(item(JSON.numberNode(1)))))
                .verifyErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(SinkException.class)
                        .hasMessageStartingWith("cannot write full.ndjson: No space left on device"));

        assertThat(target.closed.getCount()).as("close() calls outstanding").isZero();
    }

    @Test
    void deadLettersFileHoldsOneDesignRecordPerFailedItem() throws IOException {
        Path file = dir.resolve("errors.ndjson");
        Flux<Item> items = Flux.just(failed("http://h/missing", 3), item(JSON.numberNode(1)));

        StepVerifier.create(Outputs.deadLetters(file).write(items))
                .expectNext(new SinkReport(1))
                .verifyComplete();

        assertThat(Files.readString(file)).isEqualTo(
                "{\"origin\":{\"source\":\"urls.txt\",\"line\":3},\"url\":\"http://h/missing\",\"stage\":\"fetch\","
                        + "\"reason\":\"http_status\",\"status\":404,\"attempts\":1,"
                        + "\"error\":\"GET http://h/missing returned 404 Not Found\","
                        + "\"value\":\"http://h/missing\"}\n");
    }

    @Test
    void deadLettersStreamIsWrittenOffTheCallingThread() {
        RecordingStream out = new RecordingStream(new ByteArrayOutputStream());

        StepVerifier.create(Outputs.deadLetters(out, "mem").write(Flux.just(failed("http://h/a", 1))))
                .expectNext(new SinkReport(1))
                .verifyComplete();

        assertThat(out.content()).startsWith("{\"origin\":{\"source\":\"urls.txt\",\"line\":1},").endsWith("}\n");
        assertThat(out.writerThreads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("boundedElastic"));
    }

    @Test
    void pipelineRunWritesGoodItemsAndDeadLettersToTheirFiles() {
        Path out = dir.resolve("out/items.ndjson");
        Path errors = dir.resolve("out/errors.ndjson");
        var pipeline = Pipeline.from(() -> Flux.just(item(JSON.numberNode(1)), failed("http://h/b", 2)))
                .to(Outputs.ndjson(out))
                .deadLetterTo(Outputs.deadLetters(errors));

        StepVerifier.create(pipeline.run())
                .assertNext(report -> {
                    assertThat(report.outputs()).isEqualTo(1);
                    assertThat(report.deadLettered()).isEqualTo(1);
                    assertThat(report.isBalanced()).isTrue();
                })
                .verifyComplete();

        assertThat(out).hasContent("1\n");
        assertThat(errors).content().hasLineCount(1).contains("\"reason\":\"http_status\"");
    }

    @Test
    void jsonArrayFileHoldsEveryGoodValueAsOneValidArray() throws IOException {
        Path file = dir.resolve("out.json");
        Flux<Item> items = Flux.just(item(JSON.objectNode().put("id", 1)), failed("http://h/a", 2),
                item(JSON.textNode("x")), item(JSON.arrayNode().add(2)));

        StepVerifier.create(Outputs.jsonArray(file).write(items))
                .expectNext(new SinkReport(3))
                .verifyComplete();

        assertThat(Files.readString(file)).isEqualTo("[\n{\"id\":1},\n\"x\",\n[2]\n]\n");
    }

    @Test
    void jsonArrayFileOfAnEmptyRunIsAnEmptyArray() {
        Path file = dir.resolve("a/empty.json");

        StepVerifier.create(Outputs.jsonArray(file).write(Flux.empty()))
                .expectNext(new SinkReport(0))
                .verifyComplete();

        assertThat(file).hasContent("[]\n");
    }

    @Test
    void jsonArrayIsClosedWithItsBracketOnUpstreamErrorAndOnCancel() throws Exception {
        Path failedRun = dir.resolve("failed.json");
        StepVerifier.create(Outputs.jsonArray(failedRun)
                        .write(Flux.just(item(JSON.numberNode(1))).concatWith(Flux.error(new IllegalStateException("x")))))
                .verifyErrorMessage("x");
        Path cancelledRun = dir.resolve("cancelled.json");
        RecordingDestination destination = new RecordingDestination(new Destination.ToFile(cancelledRun));
        CountDownLatch serialised = new CountDownLatch(1);

        StepVerifier.create(WriterSink.lines(destination, LineFormat.VALUES, LineWriter.Framing.ARRAY)
                        .write(Flux.just(item(new POJONode(new Signal("one", serialised)))).concatWith(Flux.never())))
                .then(() -> await(serialised))
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(failedRun).hasContent("[\n1\n]\n");
        assertThat(destination.stream().closed.await(5, TimeUnit.SECONDS)).as("closed after cancel").isTrue();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(cancelledRun.toFile()))
                .isEqualTo(JSON.arrayNode().add("one"));
    }

    private static Item item(JsonNode value) {
        return Item.of(value, Origin.of("inline", 1));
    }

    private static Item failed(String url, long line) {
        return Item.ofText(url, Origin.of("urls.txt", line))
                .fail("fetch", Reason.HTTP_STATUS, "GET " + url + " returned 404 Not Found", 404, 1, url);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).as("value serialised").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A value that tells the test when the sink serialises it. */
    record Signal(String text, CountDownLatch serialised) {
        @JsonValue
        String json() {
            serialised.countDown();
            return text;
        }
    }

    /** Opens its delegate and wraps the stream so the test sees writes and close. */
    private static final class RecordingDestination implements Destination {
        private final Destination delegate;
        private final List<RecordingStream> opened = new CopyOnWriteArrayList<>();

        RecordingDestination(Destination delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public OutputStream open() throws IOException {
            RecordingStream stream = new RecordingStream(delegate.open());
            opened.add(stream);
            return stream;
        }

        RecordingStream stream() {
            assertThat(opened).hasSize(1);
            return opened.get(0);
        }
    }

    /** Records the threads that write, flushes and close. */
    private static final class RecordingStream extends FilterOutputStream {
        final List<String> writerThreads = new CopyOnWriteArrayList<>();
        final AtomicInteger flushes = new AtomicInteger();
        final CountDownLatch flushed = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);

        RecordingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            writerThreads.add(Thread.currentThread().getName());
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writerThreads.add(Thread.currentThread().getName());
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
            flushes.incrementAndGet();
            flushed.countDown();
        }

        @Override
        public void close() throws IOException {
            super.close();
            closed.countDown();
        }

        String content() {
            return ((ByteArrayOutputStream) out).toString(StandardCharsets.UTF_8);
        }
    }
}
