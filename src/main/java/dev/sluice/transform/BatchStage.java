package dev.sluice.transform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.Item;
import dev.sluice.Metadata;
import dev.sluice.Origin;
import dev.sluice.RunContext;
import dev.sluice.Stage;
import dev.sluice.Tally;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Groups good items into batches whose value is the JSON array of their values; failed items pass
 * at once, unbatched.
 *
 * <p>Groups form with {@code bufferTimeout(size, window, fairBackpressure = true)}: the fair variant
 * emits no more batches than downstream requested, where the plain one errors when a slow sink lets
 * a timed-out batch wait. It reads up to four batches ahead, hence the cap on {@code size}. Each group
 * is then cut by bytes, so a group of {@code size} items that is too large leaves as several batches,
 * together, when the group closes. Each item's JSON text is measured once, as it enters.
 */
final class BatchStage implements Stage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BatchOptions options;

    BatchStage(BatchOptions options) {
        this.options = options;
    }

    @Override
    public Flux<Item> apply(Flux<Item> items) {
        return RunContext.use(run -> items.publish(all -> Flux.merge(
                all.filter(Item::isFailure),
                batches(all.filter(item -> !item.isFailure()), run.tally()))));
    }

    private Flux<Item> batches(Flux<Item> good, Tally tally) {
        return good.map(Member::of)
                .bufferTimeout(options.size(), options.window(), true)
                .concatMapIterable(this::cutByBytes)
                .map(members -> batch(members, tally));
    }

    /** Cuts a group before each member that would take the batch's JSON text over the byte limit. */
    private List<List<Member>> cutByBytes(List<Member> group) {
        List<List<Member>> batches = new ArrayList<>();
        List<Member> current = new ArrayList<>();
        long total = 2; // the brackets
        for (Member member : group) {
            long more = member.bytes() + (current.isEmpty() ? 0 : 1);
            if (!current.isEmpty() && total + more > options.bytes()) {
                batches.add(current);
                current = new ArrayList<>();
                total = 2;
                more = member.bytes();
            }
            current.add(member);
            total += more;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** Counts the {@code n - 1} merged items before the batch leaves. */
    private static Item batch(List<Member> members, Tally tally) {
        ArrayNode values = JsonNodeFactory.instance.arrayNode(members.size());
        List<Origin> origins = new ArrayList<>(members.size());
        for (Member member : members) {
            values.add(member.item().value());
            origins.addAll(member.item().metadata().origins());
        }
        tally.merged(members.size() - 1L);
        return Item.of(values, Metadata.batchOf(origins));
    }

    /** An item and the length of its value as compact UTF-8 JSON. */
    private record Member(Item item, long bytes) {

        static Member of(Item item) {
            Counter counter = new Counter();
            try {
                JSON.writeValue(counter, item.value());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot measure " + item, e);
            }
            return new Member(item, counter.count);
        }
    }

    /** Counts the bytes written to it and keeps none. */
    private static final class Counter extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    @Override
    public String toString() {
        return "BatchStage[" + options + "]";
    }
}
