/**
 * Compiles jq expressions (jq 1.6 dialect, via jackson-jq) once and evaluates them over item values
 * from any thread: the one shared jq runtime of the component packages, which do not import each
 * other. {@link dev.sluice.jq.JqExpression} answers every output, exactly one output, a truth test,
 * or a string (for templates such as {@code "https://api.example.com/items/\(.id)"}).
 */
package dev.sluice.jq;
