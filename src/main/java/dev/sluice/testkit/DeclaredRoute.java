package dev.sluice.testkit;

import java.util.List;

/**
 * One stubbed URL of a declarative test case: replies for a path, on any host when {@code host} is
 * empty.
 */
record DeclaredRoute(String host, String path, List<Reply> replies) {

    DeclaredRoute {
        replies = List.copyOf(replies);
    }

    void install(StubServer stub) {
        Reply[] rest = replies.subList(1, replies.size()).toArray(Reply[]::new);
        (host.isEmpty() ? stub.on(path) : stub.on(host, path)).respond(replies.get(0), rest);
    }
}
