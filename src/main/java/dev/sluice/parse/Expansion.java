package dev.sluice.parse;

import dev.sluice.Item;
import dev.sluice.Tally;
import reactor.core.publisher.Flux;

/**
 * Accounts for one input that streams out as any number of items, while they stream: every item after
 * the first adds one to {@code expanded}, and an input that ends without any counts as filtered. An
 * input cancelled before its first item (a downstream {@code limit}) also counts as filtered, so a
 * cancelled run still balances: the items counted are exactly the items emitted.
 */
final class Expansion {

    private final Tally tally;
    private long emitted;

    private Expansion(Tally tally) {
        this.tally = tally;
    }

    /** Counts the items of one input as they are emitted; {@code outputs} is subscribed once. */
    static Flux<Item> counted(Flux<Item> outputs, Tally tally) {
        return Flux.defer(() -> {
            Expansion expansion = new Expansion(tally);
            return outputs.doOnNext(expansion::emitted)
                    .doOnComplete(expansion::ended)
                    .doOnCancel(expansion::ended);
        });
    }

    private void emitted(Item item) {
        if (emitted++ > 0) {
            tally.expanded(1);
        }
    }

    private void ended() {
        if (emitted == 0) {
            tally.filtered();
        }
    }
}
