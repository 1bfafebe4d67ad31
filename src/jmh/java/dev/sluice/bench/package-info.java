/**
 * JMH benchmarks of Sluice's per-item costs (issue 7), built only by the Maven profile {@code bench}
 * ({@code mvn -B -q -Pbench package && java -jar target/benchmarks.jar}); they measure the stages
 * that do not touch the network, in nanoseconds per item, next to plain Jackson and Reactor baselines.
 */
package dev.sluice.bench;
