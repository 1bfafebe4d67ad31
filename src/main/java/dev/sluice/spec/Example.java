package dev.sluice.spec;

/**
 * A documented example of a component, as it appears in a pipeline file.
 *
 * @param title what it shows
 * @param yaml the component's slot, e.g. {@code "fetch: {timeout: 5s, concurrency: 2}"}
 */
public record Example(String title, String yaml) {}
