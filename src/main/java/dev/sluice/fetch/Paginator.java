package dev.sluice.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Reason;
import dev.sluice.Tally;
import dev.sluice.jq.JqExpression;
import java.net.URI;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fetches the pages of each collection for one run of a paginating stage: pages of one collection
 * one after the other, up to {@code concurrency} collections at a time, each request through the
 * stage's {@link HttpFetcher} (retries, rate limits, redirects, size limit).
 */
final class Paginator {

    static final String STAGE = "paginate";

    private final HttpFetcher fetcher;
    private final RequestPlan plan;
    private final Pagination pagination;
    private final Tally tally;
    private final JqExpression next;
    private final JqExpression from;
    private final JqExpression records;
    private final JqExpression hasMore;
    private final JqExpression total;

    Paginator(HttpFetcher fetcher, RequestPlan plan, Pagination pagination, Tally tally) {
        this.fetcher = fetcher;
        this.plan = plan;
        this.pagination = pagination;
        this.tally = tally;
        this.next = compiled(pagination.next());
        this.from = compiled(pagination.from());
        this.records = compiled(pagination.items());
        this.hasMore = compiled(pagination.hasMore());
        this.total = compiled(pagination.total());
    }

    /** One collection being paginated: its item and first URL. */
    private record Collection(Item item, Request first) {}

    /**
     * The next page to fetch, or why it cannot be.
     *
     * @param number the page's position in the collection, from 1
     * @param uri the page's URL, or null when invalid
     * @param invalid why the page has no usable URL, or null
     */
    private record Step(int number, URI uri, String invalid) {}

    /**
     * A fetched page.
     *
     * @param item the item to emit for it (good or failed)
     * @param emit false for an empty page that ends a collection after its first page
     * @param next the page after it, or null at the end
     */
    private record Page(Item item, boolean emit, Step next) {}

    Flux<Item> pagesOf(Flux<Item> collections) {
        return collections.flatMap(this::collection, fetcher.options().concurrency());
    }

    private Flux<Item> collection(Item item) {
        if (item.isFailure()) {
            return Flux.just(item);
        }
        ItemRequests.Prepared prepared = ItemRequests.prepare(item, fetcher.options(), plan, STAGE);
        if (prepared instanceof ItemRequests.Prepared.Refused refused) {
            return Flux.just(refused.item());
        }
        Collection c = new Collection(item, ((ItemRequests.Prepared.Ready) prepared).request());
        Step first = new Step(1, numbered(c.first().uri(), 0), null);
        return tally.expanding(item, Flux.defer(() -> pages(c, first)));
    }

    private Flux<Item> pages(Collection c, Step first) {
        return fetch(c, first)
                .expand(page -> page.next() == null ? Mono.empty() : fetch(c, page.next()))
                .filter(Page::emit)
                .map(Page::item);
    }

    private Mono<Page> fetch(Collection c, Step step) {
        if (step.invalid() != null) {
            return Mono.just(failed(c, step, Reason.INVALID_URL, step.invalid(), 0, 0, ""));
        }
        return fetcher.send(c.first().toPage(step.uri())).map(reply -> page(c, step, reply));
    }

    private Page page(Collection c, Step step, HttpFetcher.Reply reply) {
        if (!(reply.outcome() instanceof Outcome.Success ok)) {
            Outcome.Failed f = (Outcome.Failed) reply.outcome();
            return failed(c, step, f.reason(), f.message(), f.status(), reply.attempts(), f.url());
        }
        Item item = c.item().withValue(TextNode.valueOf(ok.body())).withMetadata(c.item().metadata()
                .withFetch(ok.url(), ok.status(), ok.headers(), reply.attempts(), reply.elapsed()));
        JsonNode body = null;
        String doing = "reading the body";
        try {
            if (pagination.style() != Pagination.Style.LINK || hasMore != null) {
                body = BodyFormat.JSON.read(ok.body());
            }
            if (pagination.style() == Pagination.Style.PAGE || pagination.style() == Pagination.Style.OFFSET) {
                doing = "items " + records.subject();
                if (isEmpty(records.outputs(body))) {
                    return new Page(item, step.number() == 1, null);
                }
            }
            if (step.number() >= pagination.maxPages()) {
                return new Page(item, true, null);
            }
            if (hasMore != null) {
                doing = "has_more " + hasMore.subject();
                if (!hasMore.test(body)) {
                    return new Page(item, true, null);
                }
            }
            if (total != null) {
                doing = "total " + total.subject();
                if (pagination.start() + pagination.step() * step.number() >= total(body)) {
                    return new Page(item, true, null);
                }
            }
            doing = "finding the next page";
            return new Page(item, true, nextStep(c, step, ok, body));
        } catch (RuntimeException e) {
            Reason reason = body == null ? Reason.PARSE : Reason.TRANSFORM;
            return failed(c, step, reason, doing + " failed: " + JqExpression.detail(e), ok.status(),
                    reply.attempts(), ok.url());
        }
    }

    private Step nextStep(Collection c, Step step, Outcome.Success ok, JsonNode body) {
        int n = step.number() + 1;
        return switch (pagination.style()) {
            case LINK -> resolve(n, ok.url(), PageLinks.next(ok.headers().get("link")), "the Link header");
            case NEXT -> resolve(n, ok.url(), text(next, body), "next " + next.subject());
            case CURSOR -> {
                String cursor = text(from, body);
                yield cursor == null ? null
                        : new Step(n, PageLinks.withParam(c.first().uri(), pagination.param(), cursor), null);
            }
            case PAGE, OFFSET -> new Step(n, numbered(c.first().uri(), step.number()), null);
        };
    }

    /**
     * The URL of the page after {@code before} pages: the page number or offset set as a query
     * parameter (with the page size for offsets, when asked), or the collection's URL as it is.
     */
    private URI numbered(URI collection, int before) {
        return switch (pagination.style()) {
            case PAGE -> PageLinks.withParam(collection, pagination.param(), Long.toString(pagination.start() + before));
            case OFFSET -> {
                URI sized = pagination.limitParam().isEmpty() ? collection
                        : PageLinks.withParam(collection, pagination.limitParam(), Long.toString(pagination.step()));
                yield PageLinks.withParam(sized, pagination.param(),
                        Long.toString(pagination.start() + pagination.step() * before));
            }
            default -> collection;
        };
    }

    /** The number of records the page says the collection has. */
    private long total(JsonNode body) {
        List<JsonNode> out = total.outputs(body);
        if (out.isEmpty() || !out.get(0).isNumber()) {
            throw new IllegalStateException("produced " + (out.isEmpty() ? "nothing" : out.get(0).toString())
                    + ", not a number");
        }
        return out.get(0).asLong();
    }

    /** The first output as text; null when there is none, or it is null, false or empty. */
    private static String text(JqExpression expression, JsonNode body) {
        List<JsonNode> out = expression.outputs(body);
        if (out.isEmpty() || out.get(0).isNull() || out.get(0).isBoolean() && !out.get(0).booleanValue()) {
            return null;
        }
        JsonNode value = out.get(0);
        if (!value.isValueNode()) {
            throw new IllegalStateException(expression.subject() + " produced " + value.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT) + "; it must produce a string");
        }
        return value.asText().isEmpty() ? null : value.asText();
    }

    private static Step resolve(int n, String base, String target, String where) {
        if (target == null) {
            return null;
        }
        FetchTarget resolved;
        try {
            resolved = FetchTarget.parse(URI.create(base).resolve(target).toString());
        } catch (IllegalArgumentException e) {
            resolved = new FetchTarget.Invalid(target, "invalid URL '" + target + "': " + e.getMessage());
        }
        if (resolved instanceof FetchTarget.Invalid invalid) {
            return new Step(n, null, where + " gave an " + invalid.message());
        }
        return new Step(n, ((FetchTarget.Url) resolved).uri(), null);
    }

    private static boolean isEmpty(List<JsonNode> out) {
        return out.isEmpty() || out.get(0).isNull() || out.get(0).isContainerNode() && out.get(0).isEmpty();
    }

    private Page failed(Collection c, Step step, Reason reason, String message, int status, int attempts, String url) {
        String text = "page " + step.number() + " of " + c.first().text() + " failed: " + message;
        return new Page(c.item().fail(STAGE, reason, text, status, attempts, url), true, null);
    }

    private static JqExpression compiled(String expression) {
        return expression.isEmpty() ? null : JqExpression.compile(expression);
    }
}
