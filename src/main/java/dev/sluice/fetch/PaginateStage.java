package dev.sluice.fetch;

import dev.sluice.Item;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import reactor.core.publisher.Flux;

/** The stage {@link Fetch#paginate(Pagination)} returns: one item per page of each collection. */
final class PaginateStage implements Stage {

    private final FetchOptions options;
    private final RequestPlan plan;
    private final Pagination pagination;

    PaginateStage(FetchOptions options, RequestPlan plan, Pagination pagination) {
        this.options = options;
        this.plan = plan;
        this.pagination = pagination;
    }

    FetchOptions options() {
        return options;
    }

    Pagination pagination() {
        return pagination;
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> new Paginator(HttpFetcher.forPages(run, options, plan), plan, pagination,
                run.tally()).pagesOf(items)).checkpoint("paginate");
    }

    @Override
    public String toString() {
        return "Fetch.paginate(" + pagination + ", " + options + ")";
    }
}
