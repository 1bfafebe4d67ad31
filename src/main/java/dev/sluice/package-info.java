/** The vocabulary of Sluice: items, failures, reports and the pipeline that composes sources, stages and sinks. */
package dev.sluice;
