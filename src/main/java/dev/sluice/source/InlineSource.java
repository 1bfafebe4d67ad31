package dev.sluice.source;

import dev.sluice.Item;
import dev.sluice.Origin;
import dev.sluice.Source;
import java.util.List;
import reactor.core.publisher.Flux;

/** Emits a fixed list of URLs given in code or configuration, with origins {@code ("inline", i + 1)}. */
final class InlineSource implements Source {

    static final String NAME = "inline";

    private final List<String> urls;

    InlineSource(List<String> urls) {
        this.urls = List.copyOf(urls);
    }

    @Override
    public Flux<Item> items() {
        return Flux.range(0, urls.size()).map(this::item);
    }

    private Item item(int index) {
        return Item.ofText(urls.get(index), Origin.of(NAME, index + 1L));
    }

    @Override
    public long knownSize() {
        return urls.size();
    }

    @Override
    public String toString() {
        return "urls(" + urls.size() + ")";
    }
}
