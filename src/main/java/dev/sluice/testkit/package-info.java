/**
 * Tests pipelines the way they run: {@link dev.sluice.testkit.StubServer} is a real HTTP server on
 * loopback with scripted replies, faults and a request log; {@link dev.sluice.testkit.PipelineTester}
 * runs a Java {@link dev.sluice.Pipeline} or a pipeline file against it with its hosts mapped to the
 * stub, and exposes the items, failures and report as publishers for reactor-test's
 * {@code StepVerifier}; {@link dev.sluice.testkit.PipelineTests} reads the declarative
 * {@code <name>.test.yaml} files that {@code sluice test} and a JUnit {@code @TestFactory} run;
 * {@link dev.sluice.testkit.Recorder} and {@link dev.sluice.testkit.ReplayServer} save a run's HTTP
 * exchanges as readable files and serve them back from loopback. The
 * package needs reactor-test and junit-jupiter-api, which Sluice declares optional: add them in
 * {@code test} scope to use it.
 */
package dev.sluice.testkit;
