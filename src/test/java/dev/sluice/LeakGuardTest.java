package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves the leak guard sees a leaked buffer, so the suite's silence about leaks means something. */
class LeakGuardTest {

    @Test
    void aLeakedBufferIsReported() {
        leakOneBuffer();

        List<String> leaks = List.of();
        for (int i = 0; i < 50 && leaks.isEmpty(); i++) {
            System.gc();
            PooledByteBufAllocator.DEFAULT.buffer(8).release();
            leaks = LeakGuard.drain();
        }

        assertThat(leaks).isNotEmpty().allSatisfy(leak -> assertThat(leak).startsWith("LEAK: ByteBuf"));
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(64);
        leaked.writeInt(42);
    }
}
