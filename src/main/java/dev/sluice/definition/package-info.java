/**
 * Pipeline files: YAML (or JSON) definitions in the shape of the design, interpolated from the
 * environment, checked with every problem reported as {@code file:line:column: path: message}, and
 * bound to a {@link dev.sluice.Pipeline}.
 */
package dev.sluice.definition;
