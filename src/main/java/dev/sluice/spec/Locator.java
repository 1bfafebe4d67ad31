package dev.sluice.spec;

import dev.sluice.Problem;

/** Turns a JSON Pointer into a located {@link Problem}; implemented by {@link YamlDocument}. */
public interface Locator {

    /**
     * Makes a problem at the value with this pointer, or at its closest located parent.
     *
     * @param pointer a JSON Pointer, e.g. {@code /steps/0/fetch/timeout}
     * @param message what is wrong
     * @return the problem
     */
    Problem at(String pointer, String message);

    /**
     * Makes a problem at the key of the member with this pointer (an unknown field, say).
     *
     * @param pointer a JSON Pointer
     * @param message what is wrong
     * @return the problem
     */
    Problem atKey(String pointer, String message);

    /**
     * Returns a scalar's text as written, before YAML typed it.
     *
     * @param pointer the scalar's JSON Pointer
     * @return the raw text, or the empty string when unknown
     */
    default String raw(String pointer) {
        return "";
    }
}
