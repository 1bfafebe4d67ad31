/**
 * Reshapes items one at a time: map a value to another, filter items out, or explode one item into
 * many, set a path from an expression, limit a run to its first items, drop duplicates by key, or
 * group items into batches, with plain Java functions ({@link dev.sluice.transform.Transform}) or jq
 * expressions ({@link dev.sluice.transform.Jq}). A transform that fails on an item turns it into a failed item
 * with reason {@code transform}; drops, expansions and merges are recorded in the run's tally.
 */
package dev.sluice.transform;
