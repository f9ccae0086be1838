package io.celerypgmq.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.codec.internal.PythonBase64;
import io.celerypgmq.bridge.codec.internal.PythonFloat;
import io.celerypgmq.bridge.codec.internal.PythonJson;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Python text forms the codec reproduces, checked against values CPython 3.11 printed. */
class PythonTextFormsTest {
    /**
     * kombu reads a list element with {@code bytes.decode('utf-8', 'replace')}: an invalid sequence becomes U+FFFD,
     * never a character. A strict-looking byte parser is not enough: Jackson's accepts an overlong {@code /} (C0 AF),
     * an encoded surrogate (ED A0 80) and code points past U+10FFFF as if they were text.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ff", "c0af", "eda080", "f4908080", "e08080"})
    void anEnvelopeWithInvalidUtf8ReadsAsKombuReadsItReplacedNeverAsACharacter(String hex) {
        byte[] head = "{\"headers\": {\"argsrepr\": \"caf".getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] tail = "\"}, \"properties\": {}}".getBytes(StandardCharsets.UTF_8);
        byte[] raw = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, raw, 0, head.length);
        System.arraycopy(bad, 0, raw, head.length, bad.length);
        System.arraycopy(tail, 0, raw, head.length + bad.length, tail.length);

        String text = KombuEnvelope.parse(raw, "q").headers().get("argsrepr").textValue();

        assertThat(text).startsWith("caf");
        assertThat(text.substring(3)).isNotEmpty().matches("\uFFFD+");
    }

    /** repr() of the floats, printed by CPython 3.11; each must come back from the double it reads as. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.0",
                "1e+20",
                "1e+16",
                "1000000000000000.0",
                "1e-05",
                "0.0001",
                "1.5",
                "0.1",
                "2.5e-07",
                "123456789.123",
                "5e-324",
                "1.7976931348623157e+308",
                "2.82879384806159e+17",
                "1e+22",
                "1e+23",
                "0.3",
                "-0.0",
                "100.0",
                "9007199254740992.0",
                "0.3333333333333333",
                "1.7920435971799646e-16",
                "5.972115650501124e-187",
                "9.051962159641863e-294",
                "1.6189867119270557e-55",
                "1.2244687060864793e-279",
                "5.1212003529189705e-129",
                "3.1038692546051638e-28",
                "1.7349057328378597e-242",
                "3.47746221006508e-282",
                "9.318011888364065e-180"
            })
    void floatsAreWrittenAsPythonReprWritesThem(String pythonRepr) {
        assertThat(PythonFloat.repr(Double.parseDouble(pythonRepr))).isEqualTo(pythonRepr);
    }

    @Property(tries = 2000, seed = "7")
    void everyFloatReprReadsBackAsTheSameDouble(@ForAll double value) {
        String repr = PythonFloat.repr(value);
        if (!Double.isNaN(value) && !Double.isInfinite(value)) {
            assertThat(Double.parseDouble(repr)).isEqualTo(value);
        }
    }

    @Test
    void jsonDumpsEscapesLikePython() {
        var node = PythonJson.mapper()
                .createObjectNode()
                .put("ключ", "tab\tnl\nquote\"bs\\ 🎉 \u007f \ud800")
                .put("n", Double.NaN)
                .put("i", Double.NEGATIVE_INFINITY);
        // json.dumps({'ключ': 'tab\tnl\nquote"bs\\ 🎉 \x7f \ud800', 'n': nan, 'i': -inf}) in CPython 3.11
        assertThat(PythonJson.dumps(node))
                .isEqualTo("{\"\\u043a\\u043b\\u044e\\u0447\": \"tab\\tnl\\nquote\\\"bs\\\\ "
                        + "\\ud83c\\udf89 \\u007f \\ud800\", \"n\": NaN, \"i\": -Infinity}");
    }

    @Test
    void base64FollowsThePythonDecoderTheWorkerUses() {
        assertThat(decode("W1syLCAzXSwge30sIHt9XQ==")).isEqualTo("[[2, 3], {}, {}]");
        assertThat(decode("W1syLCAz\nXSwge30s IHt9XQ=="))
                .as("non-alphabet characters are skipped")
                .isEqualTo("[[2, 3], {}, {}]");
        assertThat(decode("YWI=garbage")).as("a complete pad ends the input").isEqualTo("ab");
        assertThatThrownBy(() -> decode("YWJjZ"))
                .hasMessage(
                        "Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4");
        assertThatThrownBy(() -> decode("YWI")).hasMessage("Incorrect padding");
    }

    private static String decode(String text) {
        return new String(PythonBase64.decode(text.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.UTF_8);
    }

    @Test
    void etaTextParsesTheWayCeleryParsesIt() {
        assertThat(CeleryTime.parse("2026-11-22T05:23:29.563196+00:00").resolve())
                .isEqualTo(OffsetDateTime.of(2026, 11, 22, 5, 23, 29, 563_196_000, ZoneOffset.UTC));
        assertThat(CeleryTime.parse("2030-01-01T12:00:00+01:00").resolve())
                .isEqualTo(OffsetDateTime.of(2030, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHours(1)));
        assertThat(CeleryTime.parse("2030-01-01T12:00:00Z").offset()).isEqualTo(ZoneOffset.UTC);
        assertThat(CeleryTime.parse("2030-01-01 12:00:00trailing").local())
                .isEqualTo(LocalDateTime.of(2030, 1, 1, 12, 0));
        assertThat(CeleryTime.parse("2030-01-01T12:00:00.5").local().getNano())
                .as("Celery reads the fraction as whole microseconds")
                .isEqualTo(5_000);
        assertThatThrownBy(() -> CeleryTime.parse("not-a-date")).hasMessageContaining("unable to parse date string");
        assertThatThrownBy(() -> CeleryTime.parse("2030")).isInstanceOf(CeleryTime.InvalidTimeException.class);
        assertThatThrownBy(() -> CeleryTime.parse("2030-02-30T00:00:00"))
                .isInstanceOf(CeleryTime.InvalidTimeException.class);
    }

    @Test
    void aNaiveEtaIsUtcUnlessAZoneIsGiven() {
        CeleryTime naive = CeleryTime.parse("2030-01-01T12:00:00");
        assertThat(naive.isNaive()).isTrue();
        assertThat(naive.resolve()).isEqualTo(OffsetDateTime.of(2030, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC));
        assertThat(naive.resolve(ZoneId.of("Europe/Berlin")))
                .isEqualTo(OffsetDateTime.of(2030, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHours(1)));
    }

    @Test
    void isoformatMatchesPython() {
        assertThat(CeleryTime.of(OffsetDateTime.of(2026, 11, 22, 5, 23, 29, 563_196_000, ZoneOffset.UTC))
                        .isoformat())
                .isEqualTo("2026-11-22T05:23:29.563196+00:00");
        assertThat(CeleryTime.of(OffsetDateTime.of(2030, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHoursMinutes(-3, -30)))
                        .isoformat())
                .isEqualTo("2030-01-01T12:00:00-03:30");
        assertThat(CeleryTime.naive(LocalDateTime.of(2030, 1, 1, 12, 0)).isoformat())
                .isEqualTo("2030-01-01T12:00:00");
    }
}
