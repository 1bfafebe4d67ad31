package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The provider {@code bin/sluice} names: SLF4J wired to Logback with the command line's configuration, in a JVM of its own. */
class CliLogProviderTest {

    @TempDir
    Path tmp;

    /** Logs as Sluice, Netty and Reactor do, in the child JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            LoggerFactory.getLogger("dev.sluice.fetch.TransportError").warn("sluice warning");
            LoggerFactory.getLogger("dev.sluice.fetch.TransportError").info("sluice info");
            LoggerFactory.getLogger("dev.sluice.fetch.TransportError").debug("sluice debug");
            LoggerFactory.getLogger("io.netty.channel.Channel").info("netty info");
            LoggerFactory.getLogger("io.netty.channel.Channel").warn("netty warning");
            LoggerFactory.getLogger("reactor.netty.Connection").info("reactor info");
            CliLogging.configure(); // what Main does next: must not configure twice
            LoggerFactory.getLogger("dev.sluice.cli.Main").error("after configure");
        }
    }

    /** Runs {@link Probe} with the launcher's logging flags and {@code extra}; returns its standard error. */
    private String probe(String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dslf4j.provider=" + CliLogProvider.class.getName(), "-Dslf4j.internal.verbosity=WARN"));
        command.addAll(List.of(extra));
        command.add(Probe.class.getName());
        Path stderr = tmp.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe exited").isTrue();
        String text = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void theLaunchersProviderLogsSluiceAtInfoAndNettyAndReactorAtWarnOnStandardError() throws Exception {
        String stderr = probe();

        assertThat(stderr.lines()).containsExactly(
                "sluice: WARN  TransportError: sluice warning",
                "sluice: INFO  TransportError: sluice info",
                "sluice: WARN  Channel: netty warning",
                "sluice: ERROR Main: after configure");
    }

    @Test
    void aConfigurationFileInJavaOptsStillWins() throws Exception {
        Path file = tmp.resolve("logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="E" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>mine %level %msg%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="E"/></root>
                </configuration>
                """);

        String stderr = probe("-Dlogback.configurationFile=" + file);

        assertThat(stderr.lines()).contains("mine WARN sluice warning", "mine DEBUG sluice debug",
                "mine INFO netty info", "mine ERROR after configure").noneMatch(l -> l.startsWith("sluice: "));
    }
}
