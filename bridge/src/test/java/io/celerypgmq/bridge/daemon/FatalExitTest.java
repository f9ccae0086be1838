package io.celerypgmq.bridge.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** DESIGN invariant 10: a pump that runs out of memory ends the process with exit code 4, for its supervisor. */
class FatalExitTest {

    @Test
    void anOutOfMemoryErrorInAPumpEndsTheProcessWithExitCode4() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), FatalExitProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(4);
    }
}
