package dev.sluice.spec;

/**
 * A broken cross-field rule of a component.
 *
 * @param field the field the problem is reported at, or the empty string for the component itself
 * @param message what is wrong
 */
public record Violation(String field, String message) {}
