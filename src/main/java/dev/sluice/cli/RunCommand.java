package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ConfigException;
import dev.sluice.IoReason;
import dev.sluice.Pipeline;
import dev.sluice.Problem;
import dev.sluice.RunContext;
import dev.sluice.RunReport;
import dev.sluice.definition.PipelineDefinition;
import dev.sluice.definition.PipelineFiles;
import dev.sluice.state.RunState;
import dev.sluice.testkit.Recorder;
import dev.sluice.testkit.ReplayServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@code sluice run FILE}: validates the file, runs it with progress on stderr, and prints a summary.
 *
 * <p>On SIGINT or SIGTERM it stops taking inputs and lets the items in flight finish for the grace
 * period; after that, or on a second signal, it cuts them. Either way the sinks complete normally
 * (whole lines only), the summary says what was done, and the exit code is 130 (SIGINT) or 143
 * (SIGTERM).
 *
 * <p>With {@code --state DIR} the run is resumable: finished inputs are journaled in DIR, and a later
 * run with the same DIR (after a clean stop, a signal or a {@code kill -9}) skips them and continues
 * the file sinks' output. A changed pipeline against an old DIR is refused (exit 2) unless {@code --force}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a pipeline file. Data goes to stdout only when the sink is stdout; "
                + "progress, logs and the summary go to stderr.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The pipeline file (YAML or JSON).")
    Path file;

    @Option(names = "--set", paramLabel = "path=value",
            description = "Override a field, e.g. --set source.file.path=urls.txt (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N inputs, to try a pipeline on a sample; with --state, N inputs not "
                    + "finished by an earlier run.")
    Long limit;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the run report as JSON to FILE.")
    Path report;

    @Option(names = "--strict", description = "Exit with 3 when any item was dead-lettered.")
    boolean strict;

    @Option(names = "--serve", paramLabel = "DIR",
            description = "Serve DIR over HTTP on 127.0.0.1 for the run (its base URL is ${SLUICE_SERVE_URL} in the "
                    + "file) and send requests for other hosts there as /<host>/<path>: runs a pipeline offline "
                    + "against recorded responses.")
    Path serve;

    @Option(names = "--record", paramLabel = "DIR",
            description = "Record every exchange (request, status, headers, body; secrets redacted) as readable files in DIR.")
    Path record;

    @Option(names = "--replay", paramLabel = "DIR",
            description = "Answer every request from the recordings in DIR (made with --record) through a loopback server; "
                    + "a request with no recording fails, naming the closest one.")
    Path replay;

    @Option(names = "--no-progress", description = "Print no progress while running (the summary is still printed).")
    boolean noProgress;

    @Option(names = "--state", paramLabel = "DIR",
            description = "Keep a journal of finished inputs in DIR; run again with the same DIR after a stop or a "
                    + "crash to skip them and continue the output files.")
    Path state;

    @Option(names = "--force", description = "With --state: resume even though the pipeline file or --set changed.")
    boolean force;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "30s",
            description = "After SIGINT/SIGTERM, how long items in flight may finish before they are cut "
                    + "(default: ${DEFAULT-VALUE}).")
    String grace;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = new HashMap<>(System.getenv());
        Duration graceperiod = parseGrace(err);
        if (graceperiod == null) {
            return Main.INVALID;
        }
        if (limit != null && limit < 1) {
            err.println("sluice: --limit must be >= 1, was " + limit);
            return Main.INVALID;
        }
        if (force && state == null) {
            err.println("sluice: --force applies to --state only");
            return Main.INVALID;
        }
        LocalSite site;
        try {
            site = serve == null ? null : LocalSite.serve(serve);
        } catch (IllegalArgumentException e) {
            err.println("sluice: " + e.getMessage());
            return Main.INVALID;
        }
        try (site) {
            if (site != null) {
                env.put("SLUICE_SERVE_URL", site.baseUrl());
            }
            PipelineDefinition definition;
            try {
                definition = PipelineFiles.load(file, env, overrides);
            } catch (ConfigException e) {
                for (Problem p : e.problems()) {
                    err.println(p);
                }
                return Main.INVALID;
            }
            return run(definition, graceperiod, err, site);
        }
    }

    private int run(PipelineDefinition definition, Duration graceperiod, PrintWriter err, LocalSite site)
            throws IOException {
        if (record != null && replay != null) {
            err.println("sluice: --record and --replay exclude each other");
            return Main.INVALID;
        }
        if (report != null) {
            try {
                reportDirectory();
            } catch (IOException e) {
                err.println("sluice: --report: cannot write " + report + ": " + IoReason.of(e));
                return Main.INVALID;
            }
        }
        RunContext context = new RunContext();
        if (site != null) {
            context.rewriteUrls(site.rewrite());
        }
        Recorder recorder;
        ReplayServer replayer;
        try {
            recorder = record == null ? null : Recorder.start(record);
        } catch (UncheckedIOException e) {
            err.println("sluice: --record: " + e.getMessage());
            return Main.INVALID;
        }
        try {
            replayer = replay == null ? null : ReplayServer.load(replay);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            if (recorder != null) {
                recorder.close();
            }
            err.println("sluice: --replay: " + e.getMessage());
            return Main.INVALID;
        }
        try (recorder; replayer) {
            if (recorder != null) {
                context.rewriteUrls(recorder.rewrite());
            }
            if (replayer != null) {
                context.rewriteUrls(replayer.rewrite());
            }
            int code = resumable(definition, graceperiod, err, context);
            if (recorder != null) {
                err.println("recorded " + recorder.recorded() + " exchanges in " + record);
            }
            if (replayer != null && !replayer.misses().isEmpty()) {
                replayer.misses().forEach(miss -> err.println("replay: no recording for " + miss));
            }
            return code;
        }
    }

    /** Runs with the state directory open around the run when {@code --state} is given. */
    private int resumable(PipelineDefinition definition, Duration graceperiod, PrintWriter err, RunContext context)
            throws IOException {
        if (state == null) {
            return run(definition, graceperiod, err, pipeline(definition, context), expected(definition, 0), context);
        }
        RunState opened;
        try {
            opened = RunState.open(state, RunState.identity(Files.readAllBytes(file), overrides), force);
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("sluice: " + p.message()));
            return Main.INVALID;
        } catch (UncheckedIOException e) {
            err.println("sluice: " + e.getMessage());
            return Main.ABORTED;
        }
        List<Path> changedInputs;
        try {
            changedInputs = opened.checkInputs(definition.source().files(), force);
        } catch (ConfigException | UncheckedIOException e) {
            opened.close();
            if (e instanceof ConfigException refused) {
                refused.problems().forEach(p -> err.println("sluice: " + p.message()));
                return Main.INVALID;
            }
            err.println("sluice: " + e.getMessage());
            return Main.ABORTED;
        }
        for (Path changed : changedInputs) {
            err.println("--force: resuming " + state + " though the input file " + changed
                    + " changed since an earlier run read it; inputs are skipped by line");
        }
        if (!opened.replacedIdentity().isEmpty()) {
            err.println("--force: resuming " + state + " with a changed pipeline (it was written by sha256 "
                    + opened.replacedIdentity().substring(0, 12) + ")");
        }
        if (opened.finishedEarlier() > 0) {
            err.println("resumed: " + opened.finishedEarlier() + " inputs already finished in " + state
                    + " are skipped");
        }
        int code = Main.ABORTED;
        try {
            context.follow(opened);
            code = run(definition, graceperiod, err, pipeline(definition, context), expected(definition,
                    opened.finishedEarlier()), context);
        } finally {
            try {
                opened.close();
            } catch (RuntimeException e) {
                err.println("sluice: " + e.getMessage());
                code = Main.ABORTED;
            }
        }
        return code;
    }

    /**
     * The pipeline of the file. {@code --limit N} is applied by the run ({@link RunContext#limitInputs})
     * to the inputs it admits, after those an earlier {@code --state} run finished are skipped, so each
     * resumed run with {@code --limit N} takes the next N. It stops the source, cutting nothing.
     */
    private Pipeline pipeline(PipelineDefinition definition, RunContext context) {
        if (limit != null) {
            context.limitInputs(limit);
        }
        return definition.pipeline();
    }

    /** The inputs this run will read, when known: the source's size less those finished, capped by --limit. */
    private long expected(PipelineDefinition definition, long finished) {
        long expected = definition.source().knownSize();
        if (expected < 0) {
            return -1;
        }
        expected = Math.max(0, expected - finished);
        return limit == null ? expected : Math.min(expected, limit);
    }

    private int run(PipelineDefinition definition, Duration graceperiod, PrintWriter err, Pipeline pipeline,
            long expected, RunContext context) throws IOException {
        long start = System.nanoTime();
        Interruption interruption = Interruption.install(context, graceperiod);
        Disposable progress = noProgress ? () -> { } : progress(context, expected, start, err);
        RunReport result;
        try {
            result = pipeline.run(context).block();
        } catch (RuntimeException e) {
            progress.dispose();
            clearLine(err);
            err.println("sluice: " + definition.name() + " aborted: " + e.getMessage());
            return Main.ABORTED;
        } finally {
            progress.dispose();
            interruption.uninstall();
        }
        clearLine(err);
        err.println(definition.name() + ": " + result.summary());
        err.print(Progress.table(result));
        if (interruption.signal() != null) {
            err.println("stopped by SIG" + interruption.signal() + ": no new inputs were read after the signal"
                    + (limit == null && expected > result.inputs() ? "; " + (expected - result.inputs()) + " inputs not started" : "")
                    + (state == null ? "" : "; run again with --state " + state + " to finish them"));
        }
        err.flush();
        if (report != null && !writeReport(result, err)) {
            return Main.ABORTED;
        }
        if (interruption.signal() != null) {
            return interruption.exitCode();
        }
        return strict && result.deadLettered() > 0 ? Main.DEAD_LETTERED : Main.OK;
    }

    private boolean live() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    private Disposable progress(RunContext context, long expected, long start, PrintWriter err) {
        boolean live = live();
        Progress words = new Progress(expected);
        Duration every = live ? Duration.ofMillis(250) : Duration.ofSeconds(10);
        return Flux.interval(every, every, Schedulers.single())
                .map(tick -> words.line(context.tally().report(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))))
                .subscribe(line -> {
                    if (live) {
                        err.print(Progress.CLEAR_LINE + line);
                    } else {
                        err.println("progress: " + line);
                    }
                    err.flush();
                });
    }

    private void clearLine(PrintWriter err) {
        if (!noProgress && live()) {
            err.print(Progress.CLEAR_LINE);
        }
    }

    private Duration parseGrace(PrintWriter err) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(grace);
        if (!m.matches()) {
            err.println("sluice: --grace must be a duration such as 500ms, 30s or 2m, was '" + grace + "'");
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    /** Makes the report's directory, before the run, so that a report that cannot be written costs no run. */
    private void reportDirectory() throws IOException {
        if (Files.isDirectory(report)) {
            throw new java.nio.file.FileSystemException(report.toString(), null, "Is a directory");
        }
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** Writes the report into the directory made before the run; says why not and returns false when it cannot. */
    private boolean writeReport(RunReport result, PrintWriter err) {
        try {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(report.toFile(), result.toJson());
            return true;
        } catch (IOException e) {
            err.println("sluice: cannot write the report " + report + ": " + IoReason.of(e));
            return false;
        }
    }

}
