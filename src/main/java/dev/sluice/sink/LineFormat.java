package dev.sluice.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Item;

/** Which items a JSON-lines sink writes, and the JSON value it writes for each. */
enum LineFormat {

    /** Good items, as their value. */
    VALUES {
        @Override
        boolean accepts(Item item) {
            return !item.isFailure();
        }

        @Override
        JsonNode render(Item item) {
            return item.value();
        }
    },

    /**
     * Failed items, as their dead-letter record ({@link dev.sluice.Failure#toJson(java.util.List)}):
     * a failed batch names every member's input.
     */
    DEAD_LETTERS {
        @Override
        boolean accepts(Item item) {
            return item.isFailure();
        }

        @Override
        JsonNode render(Item item) {
            return item.failure().orElseThrow().toJson(item.metadata().origins());
        }
    };

    /** Tells whether the item is written; others are skipped and not counted. */
    abstract boolean accepts(Item item);

    /** Returns the value to write for an accepted item. */
    abstract JsonNode render(Item item);
}
