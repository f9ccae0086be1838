package io.celerypgmq.bridge.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PyYamlFloatTest {

    /** Expected values printed by PyYAML 6.0 {@code yaml.safe_dump(v)} on Debian's python3. */
    @Test
    void floatsAreWrittenAsPyYamlWritesThemSoPythonReadsNumbersNotStrings() {
        assertThat(BodyWriter.pyYamlFloat(1e300)).isEqualTo("1.0e+300");
        assertThat(BodyWriter.pyYamlFloat(1e20)).isEqualTo("1.0e+20");
        assertThat(BodyWriter.pyYamlFloat(1e16)).isEqualTo("1.0e+16");
        assertThat(BodyWriter.pyYamlFloat(4.9e-324)).isEqualTo("5.0e-324");
        assertThat(BodyWriter.pyYamlFloat(0.1)).isEqualTo("0.1");
        assertThat(BodyWriter.pyYamlFloat(1.0)).isEqualTo("1.0");
        assertThat(BodyWriter.pyYamlFloat(-0.25)).isEqualTo("-0.25");
        assertThat(BodyWriter.pyYamlFloat(123456789.0)).isEqualTo("123456789.0");
        assertThat(BodyWriter.pyYamlFloat(Double.NaN)).isEqualTo(".nan");
        assertThat(BodyWriter.pyYamlFloat(Double.POSITIVE_INFINITY)).isEqualTo(".inf");
        assertThat(BodyWriter.pyYamlFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-.inf");
    }
}
