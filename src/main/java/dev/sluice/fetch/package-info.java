/**
 * The HTTP fetch stage: {@link dev.sluice.fetch.Fetch} sends one request per item on one Reactor
 * Netty client and connection pool per run, with global and per-host concurrency, per-host and
 * global rate limits driven by Reactor's clock, retries with backoff and {@code Retry-After},
 * connect, response and per-attempt deadlines, a body size cap counted after decompression and
 * bounded redirects, and turns every per-item problem into a failed item instead of a stream error.
 * URLs, headers and JSON bodies can be computed from the item with jq ({@link dev.sluice.jq}); a
 * fetch can merge its response into the item ({@code into}), paginate a collection
 * ({@link dev.sluice.fetch.Pagination}) or decode the body while it streams
 * ({@link dev.sluice.fetch.BodyDecoder}).
 */
package dev.sluice.fetch;
