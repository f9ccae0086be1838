package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {
    @Test
    void aTerminalGetsABarWithCountsAndSpeed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress p = Progress.forConsole(
                "redis-to-pgmq",
                new PrintStream(bytes, true, StandardCharsets.UTF_8),
                true,
                Duration.ofSeconds(5),
                Clock.systemUTC())) {
            assertThat(p).isInstanceOf(TerminalProgress.class);
            p.expect(200);
            p.advance(150);
        }

        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("redis-to-pgmq").contains("150/200").contains("msg/s");
    }

    @Test
    void aPipeGetsPlainLines() {
        Progress p = Progress.forConsole("x", System.err, false, Duration.ofSeconds(5), Clock.systemUTC());

        assertThat(p).isInstanceOf(LineProgress.class);
    }
}
