package io.celerypgmq.testkit.celery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class RealCeleryAvailabilityTest {

    @Test
    void aPythonThatDoesNotExistIsReportedWithWhatWasTried() {
        PythonProbe.Result result = PythonProbe.find("/nonexistent/python3");

        assertThat(result.found()).isFalse();
        assertThat(result.problem()).contains("/nonexistent/python3").contains("cannot run");
    }

    @Test
    void missingCeleryFailsUnderCi() {
        PythonProbe.Result missing = new PythonProbe.Result(null, null, "/usr/bin/python3: No module named 'celery'");

        assertThatThrownBy(() -> RealCelery.ensureFound(missing, true))
                .isInstanceOf(CeleryUnavailableException.class)
                .hasMessageContaining("No module named 'celery'")
                .hasMessageContaining("apt-get install -y python3-celery")
                .hasMessageContaining("CI=true");
    }

    @Test
    void missingCelerySkipsOutsideCi() {
        PythonProbe.Result missing = new PythonProbe.Result(null, null, "python3: No module named 'kombu'");

        assertThatThrownBy(() -> RealCelery.ensureFound(missing, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("No module named 'kombu'");
    }

    @Test
    void theCelery56ProbeRefusesDebiansCelery52WithItsVersion() {
        PythonProbe.Result result = PythonProbe.find(java.util.List.of("/usr/bin/python3"), PythonProbe.CELERY56_CHECK);

        assertThat(result.found()).isFalse();
        assertThat(result.problem()).contains("this is Celery 5.2").contains("not 5.6");
    }

    @Test
    void theKombu57ProbeRefusesAPythonWithoutKombusPgmqTransport() {
        PythonProbe.Result result = PythonProbe.find(java.util.List.of("/usr/bin/python3"), PythonProbe.KOMBU57_CHECK);

        assertThat(result.found()).isFalse();
        assertThat(result.problem()).contains("/usr/bin/python3").contains("No module named");
    }

    @Test
    void aFoundCeleryPassesTheCheck() {
        PythonProbe.Result found = new PythonProbe.Result("/usr/bin/python3", "5.2.6", null);

        RealCelery.ensureFound(found, true);

        assertThat(found.found()).isTrue();
    }
}
