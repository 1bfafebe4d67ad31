package dev.sluice.fetch;

import dev.sluice.Item;
import dev.sluice.Reason;
import dev.sluice.jq.JqExpression;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a good item into its request, or into a failed item saying why it has none. */
final class ItemRequests {

    private static final String JSON = "application/json";

    private ItemRequests() {}

    /** The request to send for an item, or the item failed because it has none. */
    sealed interface Prepared {

        /** @param request the request */
        record Ready(Request request) implements Prepared {}

        /** @param item the failed item */
        record Refused(Item item) implements Prepared {}
    }

    /**
     * Finds the URL (the {@code url} template, else the item's string value or {@code url} field) and
     * renders the body (the {@code json_body} template, else the {@code {field}} body template).
     */
    static Prepared prepare(Item item, FetchOptions options, RequestPlan plan, String stage) {
        FetchTarget target;
        if (plan.url() == null) {
            target = FetchTarget.of(item.value());
        } else {
            try {
                target = FetchTarget.parse(plan.url().text(item.value()));
            } catch (RuntimeException e) {
                return refused(item, stage, Reason.INVALID_URL, stage + " url " + plan.url().subject() + " failed: "
                        + JqExpression.detail(e), "");
            }
            if (target instanceof FetchTarget.Invalid invalid) {
                return refused(item, stage, Reason.INVALID_URL, stage + " url " + plan.url().subject() + " gave an "
                        + invalid.message(), invalid.text());
            }
        }
        if (target instanceof FetchTarget.Invalid invalid) {
            return refused(item, stage, Reason.INVALID_URL, invalid.message(), invalid.text());
        }
        FetchTarget.Url url = (FetchTarget.Url) target;
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JqExpression> header : plan.headers().entrySet()) {
            try {
                headers.put(header.getKey(), header.getValue().text(item.value()));
            } catch (RuntimeException e) {
                return refused(item, stage, Reason.TRANSFORM, options.method() + " " + url.text() + " not sent: header "
                        + header.getKey() + " " + header.getValue().subject() + " failed: " + JqExpression.detail(e),
                        url.text());
            }
        }
        Prepared prepared = body(item, options, plan, stage, url);
        return prepared instanceof Prepared.Ready ready && !headers.isEmpty()
                ? new Prepared.Ready(ready.request().withHeaders(headers))
                : prepared;
    }

    private static Prepared body(Item item, FetchOptions options, RequestPlan plan, String stage, FetchTarget.Url url) {
        if (plan.jsonBody() != null) {
            try {
                String body = plan.jsonBody().single(item.value()).toString();
                return new Prepared.Ready(Request.first(options.method(), url, body, JSON));
            } catch (RuntimeException e) {
                return refused(item, stage, Reason.TRANSFORM, options.method() + " " + url.text() + " not sent: json_body "
                        + plan.jsonBody().subject() + " failed: " + JqExpression.detail(e), url.text());
            }
        }
        try {
            String body = options.body().isEmpty() ? null : BodyTemplate.render(options.body(), item.value());
            return new Prepared.Ready(Request.first(options.method(), url, body));
        } catch (IllegalArgumentException e) {
            // the body template names a field the item lacks: a problem of the item, as json_body's
            return refused(item, stage, Reason.TRANSFORM, options.method() + " " + url.text() + " not sent: "
                    + e.getMessage(), url.text());
        }
    }

    private static Prepared refused(Item item, String stage, Reason reason, String message, String url) {
        return new Prepared.Refused(item.fail(stage, reason, message, 0, 0, url));
    }
}
