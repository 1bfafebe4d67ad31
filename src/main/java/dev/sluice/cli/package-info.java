/**
 * The {@code sluice} command line (picocli): the only place that blocks on a run, prints to the
 * terminal or exits the JVM.
 */
package dev.sluice.cli;
