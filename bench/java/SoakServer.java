import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The soak benchmark's loopback server: answers {@code GET /item/ID} as {@link SoakPlan} says for
 * (seed, ID) and the how-many-th request for ID this is, and {@code GET /stats} with its counters.
 * On top of the per-input plan, two faults hit whatever comes next: every {@value #BURST_EVERY}
 * requests a burst of {@value #BURST_LENGTH} 503s, and a connection that served a
 * {@code KEEP_ALIVE_CLOSE} input is closed, unanswered, under the next request sent on it. Both only
 * hit the first request of an OK input, so each input's ending stays known.
 *
 * <p>Usage: {@code java -cp sluice.jar:. SoakServer N SEED} prints {@code port=P} and serves until killed.
 */
public final class SoakServer {

    static final int BURST_EVERY = 50_000;
    static final int BURST_LENGTH = 500;

    private static final AttributeKey<Boolean> DOOMED = AttributeKey.valueOf("soak.doomed");
    private static final byte[] CHUNK = new byte[8192];
    private static final int[] FLAKY = {500, 502, 503, 504};
    private static final byte[] BOMB = gzip(new byte[4 * 1024 * 1024]);

    private final long seed;
    private final AtomicIntegerArray requestsFor;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong drops = new AtomicLong();
    private final AtomicLong burstHits = new AtomicLong();
    private final AtomicInteger burstLeft = new AtomicInteger();

    private SoakServer(int n, long seed) {
        this.seed = seed;
        this.requestsFor = new AtomicIntegerArray(n + 1);
    }

    public static void main(String[] args) {
        SoakServer soak = new SoakServer(Integer.parseInt(args[0]), Long.parseLong(args[1]));
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).handle(soak::handle).bindNow();
        System.out.println("port=" + server.port());
        System.out.flush();
        server.onDispose().block();
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String path = request.uri();
        if (path.equals("/stats")) {
            return response.sendString(Mono.just("{\"requests\":" + requests.get() + ",\"drops\":" + drops.get()
                    + ",\"burst_hits\":" + burstHits.get() + "}")).then();
        }
        boolean moved = path.endsWith("/moved");
        int id = Integer.parseInt(path.substring("/item/".length(), moved ? path.length() - 6 : path.length()));
        if (moved) {
            return ok(response, id);
        }
        if (requests.incrementAndGet() % BURST_EVERY == 0) {
            burstLeft.set(BURST_LENGTH);
        }
        int n = requestsFor.incrementAndGet(id);
        SoakPlan.Fault fault = SoakPlan.fault(seed, id);
        if (fault == SoakPlan.Fault.OK && n == 1) {
            Channel channel = channel(response);
            if (channel.hasAttr(DOOMED)) {
                drops.incrementAndGet();
                return close(channel);
            }
            if (burstLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                burstHits.incrementAndGet();
                return response.status(503).sendString(Mono.just("burst")).then();
            }
        }
        return answer(fault, n, id, path, response);
    }

    private Mono<Void> answer(SoakPlan.Fault fault, int n, int id, String path, HttpServerResponse response) {
        switch (fault) {
            case GZIP:
                return response.header("content-encoding", "gzip").sendByteArray(Mono.just(gzip(body(id)))).then();
            case KEEP_ALIVE_CLOSE:
                channel(response).attr(DOOMED).set(Boolean.TRUE);
                return ok(response, id);
            case REDIRECT:
                return response.status(301).header("location", path + "/moved").send().then();
            case FLAKY_5XX:
                return n <= SoakPlan.failures(seed, id)
                        ? response.status(FLAKY[(n + id) % FLAKY.length]).sendString(Mono.just("flaky")).then()
                        : ok(response, id);
            case RATE_LIMITED:
                return n == 1 ? response.status(429).header("retry-after", id % 2 == 0 ? "0" : "1")
                        .sendString(Mono.just("slow down")).then() : ok(response, id);
            case RESET_BEFORE:
                return n == 1 ? close(channel(response)) : ok(response, id);
            case RESET_DURING:
                return n == 1 ? resetMidBody(response) : ok(response, id);
            case STALL_ONCE:
                return n == 1 ? Mono.never() : ok(response, id);
            case TRICKLE_ONCE:
                return n == 1 ? trickle(response) : ok(response, id);
            case NOT_FOUND:
                return response.status(404).sendString(Mono.just("not found")).then();
            case SERVER_ERROR:
                return response.status(503).sendString(Mono.just("down")).then();
            case RESET_ALWAYS:
                return resetMidBody(response);
            case STALL:
                return Mono.never();
            case TRICKLE:
                return trickle(response);
            case HUGE:
                return response.sendByteArray(Flux.range(0, 16).map(i -> CHUNK)).then();
            case ENDLESS:
                // Timed, not a synchronous generator, which can spin the event loop once the client hangs up.
                return response.sendByteArray(Flux.interval(java.time.Duration.ofMillis(1)).onBackpressureDrop()
                        .map(i -> CHUNK)).then();
            case GZIP_BOMB:
                return response.header("content-encoding", "gzip").sendByteArray(Mono.just(BOMB)).then();
            case REDIRECT_LOOP:
                return response.status(302).header("location", path).send().then();
            default:
                return ok(response, id);
        }
    }

    private static Mono<Void> ok(HttpServerResponse response, int id) {
        return response.header("content-type", "application/json").sendByteArray(Mono.just(body(id))).then();
    }

    private static byte[] body(int id) {
        return ("{\"id\":" + id + ",\"name\":\"item " + id + "\",\"tags\":[\"soak\",\"loopback\"],\"score\":"
                + id % 100 + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static Mono<Void> resetMidBody(HttpServerResponse response) {
        Mono<String> close = Mono.delay(Duration.ofMillis(20))
                .then(Mono.fromRunnable(() -> channel(response).close()));
        return response.header("content-length", "1000")
                .sendString(Flux.just("partial").concatWith(close).concatWith(Mono.never())).then();
    }

    private static Mono<Void> trickle(HttpServerResponse response) {
        return response.sendString(Flux.interval(Duration.ofMillis(50)).onBackpressureDrop().map(i -> "x")).then();
    }

    private static Mono<Void> close(Channel channel) {
        channel.close();
        return Mono.never();
    }

    private static Channel channel(HttpServerResponse response) {
        AtomicReference<Channel> channel = new AtomicReference<>();
        response.withConnection(c -> channel.set(c.channel()));
        return channel.get();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
