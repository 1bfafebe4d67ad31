package dev.sluice.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import reactor.netty.http.HttpResources;

/**
 * Entry point of {@code bin/sluice}.
 *
 * <p>Exit codes: 0 completed, 1 aborted by a fatal error, 2 invalid definition or usage, 3 completed
 * with dead letters when {@code --strict} was given.
 */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Reactive fetch pipelines: read inputs, fetch over HTTP, parse, transform, write.")
public final class Main {

    /**
     * The subcommands, by name, in the order the usage lists them. picocli builds a command's model
     * (reflection over its annotated fields, annotation proxies, its class's static state) when the
     * command is added, so {@link #execute} adds only the one the arguments name: building all of
     * them took about 50 ms of every start-up. Help, usage errors and a bare {@code sluice} get all.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    static final int OK = 0;
    static final int ABORTED = 1;
    static final int INVALID = 2;
    static final int DEAD_LETTERED = 3;

    /** How long the event loops get to stop at exit. */
    private static final Duration LOOP_STOP = Duration.ofSeconds(1);

    /** Netty's switch for its Flight Recorder events. */
    static final String NETTY_JFR = "io.netty.jfr.enabled";

    private Main() {}

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        quietNettyEvents();
        CliLogging.configure();
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        stopEventLoops();
        System.exit(code);
    }

    /**
     * Turns off Netty's Flight Recorder events for buffer allocation, unless {@code JAVA_OPTS} sets
     * {@code io.netty.jfr.enabled}. Netty 4.2 registers them at the first allocation, which loads and
     * spins JFR's classes on the event loop: about 0.1 s before the first request of every run,
     * for events only a JFR recording reads.
     */
    static void quietNettyEvents() {
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
    }

    /**
     * Stops Reactor Netty's event loops before the JVM exits. An event loop waits for I/O in native
     * code, and the JVM's exit waits up to 300 ms for every thread in native code to come back:
     * without this, each command that touched the network ended 0.3 s after its work.
     */
    private static void stopEventLoops() {
        try {
            HttpResources.disposeLoopsAndConnectionsLater(Duration.ZERO, LOOP_STOP).block(LOOP_STOP.multipliedBy(2));
        } catch (RuntimeException e) {
            // exiting anyway: at worst the JVM waits for the loops itself
        }
    }

    /**
     * Runs the command line without exiting, writing to the given streams.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Sluice's own I/O failures carry a worded message (IoReason); others keep their type
            err.println("sluice: " + (e instanceof UncheckedIOException && e.getMessage() != null ? e.getMessage() : e));
            return ABORTED;
        });
        return cli.execute(args);
    }

    /**
     * The command line for {@code args}: with only the subcommand that {@code args[0]} names, or with
     * all of them for help, a usage error or no subcommand.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        Supplier<Object> named = args.length == 0 || args[0].equals("help") ? null : COMMANDS.get(args[0]);
        if (named != null) {
            cli.addSubcommand(args[0], named.get());
        } else {
            COMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
        // Every command offers -V/--version (mixinStandardHelpOptions); without a provider of their
        // own, picocli's subcommands printed nothing for it.
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
        return cli;
    }

    /** The subcommands' names, in the order the usage lists them. */
    static Set<String> commandNames() {
        return COMMANDS.keySet();
    }

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("run", RunCommand::new);
        commands.put("validate", ValidateCommand::new);
        commands.put("explain", ExplainCommand::new);
        commands.put("components", ComponentsCommand::new);
        commands.put("schema", SchemaCommand::new);
        commands.put("docs", DocsCommand::new);
        commands.put("test", TestCommand::new);
        commands.put("cds-training", TrainCommand::new);
        commands.put("help", CommandLine.HelpCommand::new);
        return commands;
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (v == null ? "development build" : v)};
        }
    }
}
