package dev.sluice.fetch;

import dev.sluice.jq.JqExpression;
import java.util.Objects;

/**
 * How a {@linkplain Fetch#paginate(FetchOptions, Pagination) paginating fetch} finds the next page of
 * a collection, and when it stops. Create one with {@link #link()}, {@link #next(String)},
 * {@link #cursor(String, String)}, {@link #page(String, long)} or
 * {@link #offset(String, long, long)}, then vary it with the
 * {@code withX} methods.
 *
 * <p>A collection always stops after {@code maxPages} pages, when there is no next page, and when
 * the {@code hasMore} expression (if set) is falsy for the page just fetched.
 *
 * @param style how the next page is found
 * @param next for {@link Style#NEXT}: a jq expression over the page's JSON body giving the next URL
 *     (absolute, or relative to the page's URL); null, empty or false means no next page. Else empty.
 * @param param for {@link Style#CURSOR} and {@link Style#PAGE}: the query parameter set on the
 *     collection's URL, e.g. {@code cursor} or {@code page}. Else empty.
 * @param from for {@link Style#CURSOR}: a jq expression over the page's JSON body giving the next
 *     cursor; null, empty, or no output means no next page. Else empty.
 * @param start for {@link Style#PAGE}: the number of the first page, e.g. 0 or 1
 * @param items for {@link Style#PAGE}: a jq expression over the page's JSON body giving its records;
 *     a page whose records are null, an empty array or an empty object is empty and ends the
 *     collection (and is not emitted, unless it is the first page); default {@code "."}
 * @param hasMore a jq expression over the page's JSON body; when set and falsy, the page is the
 *     last. Empty for none.
 * @param maxPages the most pages fetched per collection; at least 1, default 100
 * @param step for {@link Style#OFFSET}: the page size, added to the offset for each page; else 0
 * @param limitParam for {@link Style#OFFSET}: a query parameter sent with {@code step} as its value,
 *     e.g. {@code limit}; empty for none
 * @param total for {@link Style#OFFSET}: a jq expression over the JSON page giving the number of
 *     records in the collection; when set, the collection stops once the next offset reaches it.
 *     Empty for none.
 */
public record Pagination(Style style, String next, String param, String from, long start, String items,
        String hasMore, int maxPages, long step, String limitParam, String total) {

    /** The default most pages per collection. */
    public static final int DEFAULT_MAX_PAGES = 100;

    /** How the next page is found. */
    public enum Style {
        /** The {@code Link} response header's {@code rel="next"} URL (RFC 8288), as GitHub sends. */
        LINK,
        /** A jq expression over the JSON body giving the next URL, e.g. {@code .links.next}. */
        NEXT,
        /** A cursor from the JSON body, sent back as a query parameter. */
        CURSOR,
        /** A page number in a query parameter, counting up until a page is empty. */
        PAGE,
        /** A record offset in a query parameter, going up by the page size until a page is empty. */
        OFFSET
    }

    /**
     * Validates the settings; jq expressions are compiled to check them.
     *
     * @throws IllegalArgumentException naming the setting when one is missing, invalid or out of range
     */
    public Pagination {
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(hasMore, "hasMore");
        Objects.requireNonNull(limitParam, "limitParam");
        Objects.requireNonNull(total, "total");
        if (style == Style.OFFSET && step < 1) {
            throw new IllegalArgumentException("step must be >= 1, was " + step);
        }
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages must be >= 1, was " + maxPages);
        }
        require(style, style == Style.NEXT, "next", next);
        require(style, style == Style.CURSOR || style == Style.PAGE || style == Style.OFFSET, "param", param);
        require(style, style == Style.CURSOR, "from", from);
        for (String jq : new String[] {next, from, items, hasMore, total}) {
            if (!jq.isEmpty()) {
                JqExpression.compile(jq);
            }
        }
    }

    private static void require(Style style, boolean needed, String name, String value) {
        if (needed && value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty for " + style + " pagination");
        }
    }

    /**
     * Follows the {@code Link} header's {@code rel="next"} URL.
     *
     * @return a new {@code Pagination}
     */
    public static Pagination link() {
        return new Pagination(Style.LINK, "", "", "", 0, ".", "", DEFAULT_MAX_PAGES, 0, "", "");
    }

    /**
     * Follows the URL a jq expression finds in each JSON page, e.g. {@code ".links.next"}.
     *
     * @param expression the jq expression
     * @return a new {@code Pagination}
     * @throws IllegalArgumentException when the expression does not compile
     */
    public static Pagination next(String expression) {
        return new Pagination(Style.NEXT, expression, "", "", 0, ".", "", DEFAULT_MAX_PAGES, 0, "", "");
    }

    /**
     * Sends back the cursor a jq expression finds in each JSON page as query parameter
     * {@code param}, e.g. {@code cursor("cursor", ".meta.next_cursor")}.
     *
     * @param param the query parameter
     * @param from the jq expression giving the next cursor
     * @return a new {@code Pagination}
     * @throws IllegalArgumentException when the expression does not compile or param is empty
     */
    public static Pagination cursor(String param, String from) {
        return new Pagination(Style.CURSOR, "", param, from, 0, ".", "", DEFAULT_MAX_PAGES, 0, "", "");
    }

    /**
     * Counts query parameter {@code param} up from {@code start} until a page is empty.
     *
     * @param param the query parameter, e.g. {@code page}
     * @param start the first page number
     * @return a new {@code Pagination}
     * @throws IllegalArgumentException when param is empty
     */
    public static Pagination page(String param, long start) {
        return new Pagination(Style.PAGE, "", param, "", start, ".", "", DEFAULT_MAX_PAGES, 0, "", "");
    }

    /**
     * Sends query parameter {@code param} as a record offset, from {@code start} up by {@code step}
     * (the page size) each page, until a page is empty, e.g. {@code offset("offset", 0, 100)} asks
     * for {@code offset=0}, {@code offset=100}, ... A page with fewer than {@code step} records does
     * not stop the collection (some APIs cap the page size below what is asked); an empty page,
     * {@link #withTotal(String) total}, {@link #withHasMore(String) hasMore} and {@code maxPages} do.
     *
     * @param param the query parameter, e.g. {@code offset} or {@code skip}
     * @param start the first offset, usually 0
     * @param step the page size, at least 1
     * @return a new {@code Pagination}
     * @throws IllegalArgumentException when param is empty or step is below 1
     */
    public static Pagination offset(String param, long start, long step) {
        return new Pagination(Style.OFFSET, "", param, "", start, ".", "", DEFAULT_MAX_PAGES, step, "", "");
    }

    /**
     * Returns this offset pagination also sending the page size as query parameter {@code param},
     * e.g. {@code limit=100}.
     *
     * @param param the query parameter, e.g. {@code limit}
     * @return a new {@code Pagination}
     */
    public Pagination withLimitParam(String param) {
        return new Pagination(style, next, this.param, from, start, items, hasMore, maxPages, step, param, total);
    }

    /**
     * Returns this offset pagination stopping once the next offset reaches the number of records
     * {@code expression} finds in the page, e.g. {@code ".meta.total"}; saves the request for the
     * empty last page. A page without a number there fails its collection.
     *
     * @param expression a jq expression over the JSON body
     * @return a new {@code Pagination}
     */
    public Pagination withTotal(String expression) {
        return new Pagination(style, next, param, from, start, items, hasMore, maxPages, step, limitParam, expression);
    }

    /**
     * Returns this pagination with another most pages per collection.
     *
     * @param n at least 1
     * @return a new {@code Pagination}
     */
    public Pagination withMaxPages(int n) {
        return new Pagination(style, next, param, from, start, items, hasMore, n, step, limitParam, total);
    }

    /**
     * Returns this pagination stopping after a page for which {@code expression} is falsy.
     *
     * @param expression a jq expression over the JSON body, e.g. {@code ".has_more"}
     * @return a new {@code Pagination}
     */
    public Pagination withHasMore(String expression) {
        return new Pagination(style, next, param, from, start, items, expression, maxPages, step, limitParam, total);
    }

    /**
     * Returns this pagination finding each page's records with {@code expression}, for the empty
     * page test of {@link Style#PAGE} and {@link Style#OFFSET}.
     *
     * @param expression a jq expression over the JSON body, e.g. {@code ".data"}
     * @return a new {@code Pagination}
     */
    public Pagination withItems(String expression) {
        return new Pagination(style, next, param, from, start, expression, hasMore, maxPages, step, limitParam, total);
    }
}
