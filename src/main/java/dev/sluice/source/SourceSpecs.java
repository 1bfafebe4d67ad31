package dev.sluice.source;

import dev.sluice.Source;
import dev.sluice.spec.ComponentSpec;
import dev.sluice.spec.Field;
import dev.sluice.spec.Violation;
import java.nio.file.Path;
import java.util.List;

/** The specs of the built-in sources: their fields, declared once, and their factories. */
public final class SourceSpecs {

    static final Field<String> URL = Field.string("url").required()
            .describe("The URL to fetch.");
    static final Field<List<String>> URLS = Field.stringList("urls").required()
            .check(l -> !l.isEmpty(), "not be empty")
            .describe("The URLs to fetch, in order.");
    static final Field<String> PATH = Field.string("path").required()
            .describe("The file to read, relative to the working directory.");
    static final Field<String> FORMAT = Field.oneOf("format", "lines", "ndjson").defaultsTo("lines")
            .describe("lines: one input per line, blank lines and # comments skipped; ndjson: one JSON value per line.");
    static final Field<String> TEMPLATE = Field.string("template").required()
            .check(t -> t.contains("{n}"), "contain {n}, the number")
            .describe("The URL template; {n} is replaced by each number.");
    static final Field<Long> FROM = Field.longInteger("from").defaultsTo(1L)
            .check(n -> n >= 0, "be >= 0")
            .describe("The first number.");
    static final Field<Long> TO = Field.longInteger("to").required()
            .check(n -> n >= 0, "be >= 0")
            .describe("The last number (inclusive).");

    static final ComponentSpec<Source> URL_SPEC = ComponentSpec.<Source>source("url")
            .summary("Reads one URL.")
            .shorthand(URL)
            .example("One URL", "url: https://hacker-news.firebaseio.com/v0/topstories.json")
            .beta()
            .factory(c -> Inputs.url(c.get(URL)));

    static final ComponentSpec<Source> URLS_SPEC = ComponentSpec.<Source>source("urls")
            .summary("Reads an inline list of URLs.")
            .shorthand(URLS)
            .example("Two URLs", "urls: [https://example.com/a.json, https://example.com/b.json]")
            .beta()
            .factory(c -> Inputs.urls(c.get(URLS)));

    static final ComponentSpec<Source> FILE_SPEC = ComponentSpec.<Source>source("file")
            .summary("Reads inputs from a file lazily, as demand arrives, so files of any size stream.")
            .fields(PATH, FORMAT)
            .example("A file of URLs", "file: { path: urls.txt }")
            .example("A file of NDJSON records", "file: { path: records.ndjson, format: ndjson }")
            .beta()
            .factory(c -> "ndjson".equals(c.get(FORMAT)) ? Inputs.ndjson(Path.of(c.get(PATH))) : Inputs.lines(Path.of(c.get(PATH))));

    static final ComponentSpec<Source> RANGE_SPEC = ComponentSpec.<Source>source("range")
            .summary("Feeds the numbers from..to into a URL template.")
            .fields(TEMPLATE, FROM, TO)
            .rule(c -> c.get(FROM) <= c.get(TO) ? List.of()
                    : List.of(new Violation("to", "to must be >= from (" + c.get(FROM) + "), was " + c.get(TO))))
            .example("Items 1 to 100", "range: { template: 'https://api.example.com/items/{n}.json', from: 1, to: 100 }")
            .beta()
            .factory(c -> Inputs.range(c.get(TEMPLATE), c.get(FROM), c.get(TO)));

    static final ComponentSpec<Source> STDIN_SPEC = ComponentSpec.<Source>source("stdin")
            .summary("Reads one input per line from standard input.")
            .example("URLs piped in", "stdin: {}")
            .beta()
            .factory(c -> Inputs.stdin());

    private SourceSpecs() {}

    /**
     * Returns the specs of the built-in sources.
     *
     * @return url, urls, file, range and stdin
     */
    public static List<ComponentSpec<Source>> all() {
        return List.of(URL_SPEC, URLS_SPEC, FILE_SPEC, RANGE_SPEC, STDIN_SPEC);
    }
}
