/**
 * Component specs: each source, step and sink declares its fields once ({@link dev.sluice.spec.Field},
 * {@link dev.sluice.spec.ComponentSpec}); binding from YAML, validation with line and column, the
 * {@code components} listing, generated docs and the JSON Schema are all derived from them.
 */
package dev.sluice.spec;
