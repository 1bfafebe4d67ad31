/**
 * The HTTP fetch stage: {@link dev.sluice.fetch.Fetch} GETs the URL each item names with one Reactor
 * Netty client and connection pool per run, with bounded concurrency and a total deadline per
 * request, and turns every per-item problem (bad URL, refused connection, reset, timeout, error
 * status) into a failed item instead of a stream error.
 */
package dev.sluice.fetch;
