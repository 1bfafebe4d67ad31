/**
 * Where inputs come from: inline URLs, URL files, NDJSON files, numbered ranges and standard input,
 * all offered by the {@link dev.sluice.source.Inputs} façade. Every source is cold and
 * demand-driven: nothing is opened before subscription, files are read line by line on
 * {@code Schedulers.boundedElastic()} only as fast as downstream requests, and each item's
 * {@link dev.sluice.Origin} names the source and the 1-based line or index it came from.
 */
package dev.sluice.source;
