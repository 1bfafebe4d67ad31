package dev.sluice.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The replies of one path of a {@link StubServer}, from {@link StubServer#on(String)}: a sequence used
 * in order, whose last reply answers every later request. Thread-safe.
 */
public final class Route {
    private final StubServer server;
    private final String host;
    private final String path;
    private final List<Reply> script = new ArrayList<>();
    private int used;

    Route(StubServer server, String host, String path) {
        this.server = server;
        this.host = host;
        this.path = path;
    }

    /**
     * Answers with {@code replies} in order; the last one answers every later request.
     *
     * @param first the first reply
     * @param more the next ones
     * @return the server, to stub more routes
     */
    public StubServer respond(Reply first, Reply... more) {
        synchronized (this) {
            script.clear();
            used = 0;
            script.add(Objects.requireNonNull(first, "first"));
            script.addAll(List.of(more));
        }
        return server;
    }

    /**
     * Answers with the statuses in order, bodies empty; the last one answers every later request.
     * For instance {@code respond(503, 503, 200)}.
     *
     * @param statuses the statuses, at least one
     * @return the server
     */
    public StubServer respond(int... statuses) {
        if (statuses.length == 0) {
            throw new IllegalArgumentException("statuses must not be empty");
        }
        Reply[] replies = new Reply[statuses.length];
        for (int i = 0; i < statuses.length; i++) {
            replies[i] = Reply.status(statuses[i]);
        }
        return respond(replies[0], Arrays.copyOfRange(replies, 1, replies.length));
    }

    /**
     * Answers 200 with a JSON body every time.
     *
     * @param json the body
     * @return the server
     */
    public StubServer json(String json) {
        return respond(Reply.json(json));
    }

    synchronized Reply next() {
        if (script.isEmpty()) {
            return Reply.text("route " + this + " has no reply").withStatus(500);
        }
        Reply reply = script.get(Math.min(used, script.size() - 1));
        used++;
        return reply;
    }

    @Override
    public String toString() {
        return host.isEmpty() ? path : host + path;
    }
}
