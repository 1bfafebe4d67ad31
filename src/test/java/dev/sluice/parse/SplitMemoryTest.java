package dev.sluice.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitMemoryTest {

    private static final long BODY_BYTES = 200L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void splitStreamsA200MegabyteArrayThroughA64MegabyteHeap() throws IOException, InterruptedException {
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                        SplitMemoryMain.class.getName(), Long.toString(BODY_BYTES))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile()) // a file, not a pipe: a chatty child can never block on it
                .start();

        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String output = Files.readString(log);

        assertThat(exited).as("finished within 60 s; output:%n%s", output).isTrue();
        assertThat(child.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).containsPattern("elements=(\\d+) expected=\\1 bytes=\\d{9}");
    }
}
