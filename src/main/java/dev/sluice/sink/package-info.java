/**
 * Where items go: NDJSON files or streams for good items and dead-letter files for failed ones, all
 * offered by the {@link dev.sluice.sink.Outputs} façade. Sinks open their target on subscription,
 * write one JSON value per line on {@code Schedulers.boundedElastic()}, and flush and close it on
 * completion, error and cancellation; a target that cannot be written aborts the run with a
 * {@link dev.sluice.SinkException}.
 */
package dev.sluice.sink;
