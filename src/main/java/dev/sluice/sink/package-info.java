/**
 * Where items go: NDJSON, JSON array and CSV files, NDJSON streams, one file per item in a directory
 * for good items, and dead-letter files for failed ones, all offered by the
 * {@link dev.sluice.sink.Outputs} façade. Sinks subscribe at once, open their target on the first item,
 * write on {@code Schedulers.boundedElastic()}, and flush and close it on
 * completion, error and cancellation; a target that cannot be written aborts the run with a
 * {@link dev.sluice.SinkException}.
 */
package dev.sluice.sink;
