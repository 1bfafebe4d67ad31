package dev.sluice.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.Item;
import dev.sluice.Metadata;
import dev.sluice.Reason;
import dev.sluice.jq.JqExpression;

/**
 * Turns the reply to an item's request into the item that leaves the stage: the body as the new
 * value, the body merged into the value ({@code into}), or the failure.
 */
final class ItemReplies {

    private ItemReplies() {}

    static Item toItem(Item item, HttpFetcher.Reply reply, RequestPlan plan) {
        RequestPlan.Enrichment into = plan.into();
        if (into != null) {
            return enrich(item, reply, into);
        }
        if (reply.outcome() instanceof Outcome.Success ok) {
            Metadata metadata = item.metadata().withFetch(ok.url(), ok.status(), ok.headers(), reply.attempts(),
                    reply.elapsed());
            Item fetched = item.withValue(TextNode.valueOf(ok.body())).withMetadata(metadata);
            return plan.parser() == null ? fetched : plan.parser().apply(ok.bytes(), fetched);
        }
        return failed(item, reply, (Outcome.Failed) reply.outcome());
    }

    private static Item enrich(Item item, HttpFetcher.Reply reply, RequestPlan.Enrichment into) {
        if (!(reply.outcome() instanceof Outcome.Success ok)) {
            return unenriched(item, reply, into, (Outcome.Failed) reply.outcome());
        }
        JsonNode parsed;
        try {
            parsed = into.format().read(ok.body());
        } catch (IllegalArgumentException e) {
            return unenriched(item, reply, into, new Outcome.Failed(Reason.PARSE, "GET " + ok.url() + " for into "
                    + into.path().subject() + ": " + e.getMessage(), ok.status(), ok.url(), false, null));
        }
        try {
            return item.withValue(into.path().assign(item.value(), parsed));
        } catch (RuntimeException e) {
            return item.fail(HttpFetcher.STAGE, Reason.TRANSFORM, "fetch into " + into.path().subject()
                    + " failed: " + JqExpression.detail(e), ok.status(), reply.attempts(), ok.url());
        }
    }

    /** Dead-letters the item, or, when optional, records the failure at {@code ._errors<path>}. */
    private static Item unenriched(Item item, HttpFetcher.Reply reply, RequestPlan.Enrichment into,
            Outcome.Failed failure) {
        if (!into.optional()) {
            return failed(item, reply, failure);
        }
        ObjectNode recorded = JsonNodeFactory.instance.objectNode()
                .put("reason", failure.reason().code())
                .put("message", failure.message())
                .put("status", failure.status())
                .put("url", failure.url())
                .put("attempts", reply.attempts());
        try {
            return item.withValue(into.errors().assign(item.value(), recorded));
        } catch (RuntimeException e) {
            return failed(item, reply, failure);
        }
    }

    private static Item failed(Item item, HttpFetcher.Reply reply, Outcome.Failed failed) {
        return item.fail(HttpFetcher.STAGE, failed.reason(), failed.message(), failed.status(), reply.attempts(),
                failed.url());
    }
}
