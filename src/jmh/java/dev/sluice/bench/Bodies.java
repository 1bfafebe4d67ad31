package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Item;
import dev.sluice.Origin;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds the benchmark inputs: fanout-json items of about 500 bytes (id, title, tags, author,
 * score, url, summary), the same shape as {@code bench/gen.py} serves, from a fixed seed.
 */
final class Bodies {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] WORDS = ("river sluice gate channel weir lock basin flow current spill dam "
            + "reservoir canal stream brook delta estuary tide marsh pond lake quay wharf harbour barge ferry")
            .split(" ");
    private static final List<String> TAGS =
            List.of("news", "sport", "tech", "science", "travel", "food", "music", "film", "books", "art");
    private static final String[] NAMES = {"Ada Lovelace", "Alan Turing", "Barbara Liskov", "Grace Hopper"};

    private Bodies() {}

    /** Returns {@code n} JSON bodies as text items, as the fetch stage hands them to parse. */
    static Item[] textItems(int n) {
        Item[] items = new Item[n];
        JsonNode[] values = values(n);
        for (int i = 0; i < n; i++) {
            items[i] = Item.ofText(values[i].toString(), new Origin("bench", i + 1));
        }
        return items;
    }

    /** Returns {@code n} parsed items, as the parse stage hands them to jq. */
    static Item[] parsedItems(int n) {
        Item[] items = new Item[n];
        JsonNode[] values = values(n);
        for (int i = 0; i < n; i++) {
            items[i] = Item.of(values[i], new Origin("bench", i + 1));
        }
        return items;
    }

    /** Returns {@code n} projected items {id, title, author}, as the map stage hands them to the sink. */
    static Item[] projectedItems(int n) {
        Item[] items = new Item[n];
        JsonNode[] values = values(n);
        for (int i = 0; i < n; i++) {
            ObjectNode record = MAPPER.createObjectNode();
            record.set("id", values[i].get("id"));
            record.set("title", values[i].get("title"));
            record.set("author", values[i].path("author").get("name"));
            items[i] = Item.of(record, new Origin("bench", i + 1));
        }
        return items;
    }

    private static JsonNode[] values(int n) {
        SplittableRandom random = new SplittableRandom(20261125);
        JsonNode[] values = new JsonNode[n];
        for (int i = 0; i < n; i++) {
            ObjectNode item = MAPPER.createObjectNode();
            item.put("id", i + 1);
            item.put("title", words(random, 3 + random.nextInt(4)));
            ArrayNode tags = item.putArray("tags");
            for (int t = random.nextInt(1, 5); t > 0; t--) {
                tags.add(TAGS.get(random.nextInt(TAGS.size())));
            }
            ObjectNode author = item.putObject("author");
            String name = NAMES[random.nextInt(NAMES.length)];
            author.put("name", name);
            author.put("email", name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@example.org");
            author.put("joined", "2019-10-15");
            item.put("score", random.nextInt(100));
            item.put("url", "http://127.0.0.1:8080/items/" + (i + 1) + ".json");
            item.put("summary", "");
            int pad = Math.max(0, 500 - item.toString().length());
            StringBuilder summary = new StringBuilder();
            while (summary.length() < pad) {
                summary.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            item.put("summary", summary.toString().strip());
            values[i] = item;
        }
        return values;
    }

    private static String words(SplittableRandom random, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }
}
