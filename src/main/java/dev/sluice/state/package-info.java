/**
 * Resumable runs ({@code sluice run --state DIR}): a journal of finished inputs, kept small by
 * compaction, and the ledger that follows each input until all its items have ended.
 */
package dev.sluice.state;
