package io.celerypgmq.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import io.celerypgmq.bridge.codec.internal.PythonJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pickle bodies made by CPython 3.11 (pickle protocols 0, 2 and 4) for Python's data types, each read to the JSON
 * kombu 5.2 writes for the same values; and hostile pickles, which are represented or refused, never executed.
 */
class PickleSafetyTest {
    private static final String TYPES_P0 =
            "KGxwMApjZGF0ZXRpbWUKZGF0ZXRpbWUKcDEKKGNfY29kZWNzCmVuY29kZQpwMgooVgfoAQIDBAVcdTAwMGFb9QpwMwpWbGF0aW4xCnA0CnRwNQpScDYKY2RhdGV0aW1lCnRpbWV6b25lCnA3CihjZGF0ZXRpbWUKdGltZWRlbHRhCnA4CihJMApJMApJMAp0cDkKUnAxMAp0cDExClJwMTIKdHAxMwpScDE0CmFnMQooZzIKKFYH6AECAwQFXHUwMDAwXHUwMDAwXHUwMDAwCnAxNQpnNAp0cDE2ClJwMTcKdHAxOApScDE5CmFjZGF0ZXRpbWUKZGF0ZQpwMjAKKGcyCihWB+gBAgpwMjEKZzQKdHAyMgpScDIzCnRwMjQKUnAyNQphY2RhdGV0aW1lCnRpbWUKcDI2CihnMgooVgECA1x1MDAwMFx1MDAwMAQKcDI3Cmc0CnRwMjgKUnAyOQp0cDMwClJwMzEKYWNkZWNpbWFsCkRlY2ltYWwKcDMyCihWMy4xNDE1OQpwMzMKdHAzNApScDM1CmFjY29weV9yZWcKX3JlY29uc3RydWN0b3IKcDM2CihjdXVpZApVVUlECnAzNwpjX19idWlsdGluX18Kb2JqZWN0CnAzOApOdHAzOQpScDQwCihkcDQxClZpbnQKcDQyCkwyNDE5Nzg1NzE2MTAxMTcxNTE2MjE3MTgzOTYzNjk4ODc3ODEwNEwKc2JhZzEKKGcyCihWB+4BAQxcdTAwMDBcdTAwMDBcdTAwMDBcdTAwMDBcdTAwMDAKcDQzCmc0CnRwNDQKUnA0NQpnNwooZzgKKEkwCkkzNjAwCkkwCnRwNDYKUnA0Nwp0cDQ4ClJwNDkKdHA1MApScDUxCmFnMQooZzIKKFYH6AcBDFx1MDAwMFx1MDAwMFx1MDAwMFx1MDAwMFx1MDAwMApwNTIKZzQKdHA1MwpScDU0CmNfX2J1aWx0aW5fXwpnZXRhdHRyCnA1NQooY3pvbmVpbmZvClpvbmVJbmZvCnA1NgpWX3VucGlja2xlCnA1Nwp0cDU4ClJwNTkKKFZFdXJvcGUvQmVybGluCnA2MApJMQp0cDYxClJwNjIKdHA2MwpScDY0CmFMMTE4MDU5MTYyMDcxNzQxMTMwMzQyNEwKYUwtMTE4MDU5MTYyMDcxNzQxMTMwMzQyNEwKYUZpbmYKYVZo6WxsbyBcVTAwMDFmMzg5CnA2NQphLg==";
    private static final String TYPES_P2 =
            "gAJdcQAoY2RhdGV0aW1lCmRhdGV0aW1lCnEBY19jb2RlY3MKZW5jb2RlCnECWAwAAAAHw6gBAgMEBQpbw7VxA1gGAAAAbGF0aW4xcQSGcQVScQZjZGF0ZXRpbWUKdGltZXpvbmUKcQdjZGF0ZXRpbWUKdGltZWRlbHRhCnEISwBLAEsAh3EJUnEKhXELUnEMhnENUnEOaAFoAlgLAAAAB8OoAQIDBAUAAABxD2gEhnEQUnERhXESUnETY2RhdGV0aW1lCmRhdGUKcRRoAlgFAAAAB8OoAQJxFWgEhnEWUnEXhXEYUnEZY2RhdGV0aW1lCnRpbWUKcRpoAlgGAAAAAQIDAAAEcRtoBIZxHFJxHYVxHlJxH2NkZWNpbWFsCkRlY2ltYWwKcSBYBwAAADMuMTQxNTlxIYVxIlJxI2N1dWlkClVVSUQKcSQpgXElfXEmWAMAAABpbnRxJ4oQeFY0EnhWNBJ4VjQSeFY0EnNiaAFoAlgLAAAAB8OuAQEMAAAAAABxKGgEhnEpUnEqaAdoCEsATRAOSwCHcStScSyFcS1ScS6GcS9ScTBoAWgCWAsAAAAHw6gHAQwAAAAAAHExaASGcTJScTNjX19idWlsdGluX18KZ2V0YXR0cgpxNGN6b25laW5mbwpab25lSW5mbwpxNVgJAAAAX3VucGlja2xlcTaGcTdScThYDQAAAEV1cm9wZS9CZXJsaW5xOUsBhnE6UnE7hnE8UnE9igkAAAAAAAAAAECKCQAAAAAAAAAAwEd/8AAAAAAAAFgLAAAAaMOpbGxvIPCfjolxPmUu";
    private static final String TYPES_P4 =
            "gASVqgEAAAAAAABdlCiMCGRhdGV0aW1llIwIZGF0ZXRpbWWUk5RDCgfoAQIDBAUKW/WUaAGMCHRpbWV6b25llJOUaAGMCXRpbWVkZWx0YZSTlEsASwBLAIeUUpSFlFKUhpRSlGgDQwoH6AECAwQFAAAAlIWUUpRoAYwEZGF0ZZSTlEMEB+gBApSFlFKUaAGMBHRpbWWUk5RDBgECAwAABJSFlFKUjAdkZWNpbWFslIwHRGVjaW1hbJSTlIwHMy4xNDE1OZSFlFKUjAR1dWlklIwEVVVJRJSTlCmBlH2UjANpbnSUihB4VjQSeFY0EnhWNBJ4VjQSc2JoA0MKB+4BAQwAAAAAAJRoBmgISwBNEA5LAIeUUpSFlFKUhpRSlGgDQwoH6AcBDAAAAAAAlIwIYnVpbHRpbnOUjAdnZXRhdHRylJOUjAh6b25laW5mb5SMCFpvbmVJbmZvlJOUjAlfdW5waWNrbGWUhpRSlIwNRXVyb3BlL0JlcmxpbpRLAYaUUpSGlFKUigkAAAAAAAAAAECKCQAAAAAAAAAAwEd/8AAAAAAAAIwLaMOpbGxvIPCfjomUZS4=";
    /** kombu.utils.json.dumps of the same list, computed by kombu 5.2.4. */
    private static final String TYPES_EXPECTED = "[\"2024-01-02T03:04:05.678901Z\", \"2024-01-02T03:04:05\", "
            + "\"2024-01-02T00:00:00\", \"01:02:03.000004\", \"3.14159\", \"12345678-1234-5678-1234-567812345678\", "
            + "\"2030-01-01T12:00:00+01:00\", \"2024-07-01T12:00:00+02:00\", 1180591620717411303424, "
            + "-1180591620717411303424, Infinity, \"h\\u00e9llo \\ud83c\\udf89\"]";

    private static final String CONTAINERS_P0 =
            "KGxwMAooSTEKSTIKdHAxCmFjX19idWlsdGluX18Kc2V0CnAyCigobHAzCkkxCmFJMgphSTMKYXRwNApScDUKYWNfX2J1aWx0aW5fXwpmcm96ZW5zZXQKcDYKKChscDcKSTUKYXRwOApScDkKYWNfX2J1aWx0aW5fXwpieXRlYXJyYXkKcDEwCihjX2NvZGVjcwplbmNvZGUKcDExCihWYWIKcDEyClZsYXRpbjEKcDEzCnRwMTQKUnAxNQp0cDE2ClJwMTcKYWcxMQooVlx1MDAwMP8KcDE4CmcxMwp0cDE5ClJwMjAKYWNjb2xsZWN0aW9ucwpPcmRlcmVkRGljdApwMjEKKHRScDIyClZiCnAyMwpJMQpzVmEKcDI0CkkyCnNhKGRwMjUKVnoKcDI2CkkxCnNnMjQKSTIKc0kxClZ0CnAyNwpzTlZub25lLWtleQpwMjgKc2Eu";
    private static final String CONTAINERS_P2 =
            "gAJdcQAoSwFLAoZxAWNfX2J1aWx0aW5fXwpzZXQKcQJdcQMoSwFLAksDZYVxBFJxBWNfX2J1aWx0aW5fXwpmcm96ZW5zZXQKcQZdcQdLBWGFcQhScQljX19idWlsdGluX18KYnl0ZWFycmF5CnEKY19jb2RlY3MKZW5jb2RlCnELWAIAAABhYnEMWAYAAABsYXRpbjFxDYZxDlJxD4VxEFJxEWgLWAMAAAAAw79xEmgNhnETUnEUY2NvbGxlY3Rpb25zCk9yZGVyZWREaWN0CnEVKVJxFihYAQAAAGJxF0sBWAEAAABhcRhLAnV9cRkoWAEAAAB6cRpLAWgYSwJLAVgBAAAAdHEbTlgIAAAAbm9uZS1rZXlxHHVlLg==";
    private static final String CONTAINERS_P4 =
            "gASVkAAAAAAAAABdlChLAUsChpSPlChLAUsCSwOQKEsFkZSMCGJ1aWx0aW5zlIwJYnl0ZWFycmF5lJOUQwJhYpSFlFKUQwIA/5SMC2NvbGxlY3Rpb25zlIwLT3JkZXJlZERpY3SUk5QpUpQojAFilEsBjAFhlEsCdX2UKIwBepRLAWgQSwJLAYwBdJROjAhub25lLWtleZR1ZS4=";
    /** The same list after bytes → base64 and sets/tuples → lists, through kombu's json.dumps. */
    private static final String CONTAINERS_EXPECTED =
            "[[1, 2], [1, 2, 3], [5], \"YWI=\", \"AP8=\", {\"b\": 1, \"a\": 2}, {\"z\": 1, \"a\": 2, \"1\": \"t\", \"null\": \"none-key\"}]";

    /** {@code [Evil()]} where {@code Evil.__reduce__} returns {@code (os.system, ('echo pwned',))}. */
    private static final String EVIL_P4 = "gASVKAAAAAAAAABdlIwFcG9zaXiUjAZzeXN0ZW2Uk5SMCmVjaG8gcHduZWSUhZRSlGEu";

    private static final String EVIL_P0 = "KGxwMApjcG9zaXgKc3lzdGVtCnAxCihWZWNobyBwd25lZApwMgp0cDMKUnA0CmEu";
    /** A list that contains itself. */
    private static final String RECURSIVE = "gASVBgAAAAAAAABdlGgAYS4=";
    /** 40 levels of {@code [x, x]}: 13 bytes per level, 2^40 leaves when expanded. */
    private static final String LAUGHS =
            "gASV9gAAAAAAAABdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlChdlEsBYWgoZWgnZWgmZWglZWgkZWgjZWgiZWghZWggZWgfZWgeZWgdZWgcZWgbZWgaZWgZZWgYZWgXZWgWZWgVZWgUZWgTZWgSZWgRZWgQZWgPZWgOZWgNZWgMZWgLZWgKZWgJZWgIZWgHZWgGZWgFZWgEZWgDZWgCZWgBZS4=";

    private final CeleryCodec represent = CeleryCodec.withDefaults();
    private final CeleryCodec reject = new CeleryCodec(CodecOptions.defaults().withPicklePolicy(PicklePolicy.REJECT));

    @ParameterizedTest
    @ValueSource(strings = {TYPES_P0, TYPES_P2, TYPES_P4})
    void pythonDataTypesReadAsKombuJsonWritesThem(String pickle) throws Exception {
        assertThat(firstArg(represent, pickle)).isEqualTo(PythonJson.parse(TYPES_EXPECTED));
        assertThat(firstArg(reject, pickle)).isEqualTo(PythonJson.parse(TYPES_EXPECTED));
    }

    @ParameterizedTest
    @ValueSource(strings = {CONTAINERS_P0, CONTAINERS_P2, CONTAINERS_P4})
    void setsTuplesBytesAndOrderedDictsBecomePlainJsonInOrder(String pickle) throws Exception {
        assertThat(firstArg(represent, pickle)).isEqualTo(PythonJson.parse(CONTAINERS_EXPECTED));
    }

    @ParameterizedTest
    @ValueSource(strings = {EVIL_P4, EVIL_P0})
    void aReduceToOsSystemIsRepresentedAndNeverRun(String pickle) throws Exception {
        JsonNode evil = firstArg(represent, pickle).get(0);
        assertThat(evil).isEqualTo(PythonJson.parse("{\"__class__\": \"posix.system\", \"args\": [\"echo pwned\"]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {EVIL_P4, EVIL_P0})
    void theRejectPolicyRefusesUnknownClasses(String pickle) {
        UndecodableMessageException e = catchThrowableOfType(
                UndecodableMessageException.class, () -> reject.decode(envelope(pickle), "celery"));
        assertThat(e.reason()).isEqualTo(Reason.PICKLE_CLASS_REFUSED);
        assertThat(e.detail()).contains("posix.system");
    }

    @Test
    void aRecursiveStructureIsRefused() {
        assertRefused(RECURSIVE, Reason.BAD_BODY);
    }

    @Test
    void aPickleThatExpandsExponentiallyIsRefusedQuickly() {
        assertRefused(LAUGHS, Reason.TOO_LARGE);
    }

    @Test
    void aForgedLengthIsRefusedWithoutAllocatingIt() {
        // PROTO 4, BINUNICODE with length 0x7fffffff, then nothing.
        byte[] forged = {(byte) 0x80, 4, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'a', '.'};
        assertRefused(Base64.getEncoder().encodeToString(forged), Reason.BAD_BODY);
        byte[] forged8 = {(byte) 0x80, 4, (byte) 0x8e, 0, 0, 0, 0, 0, 0, 0, 0x40, 'a', '.'};
        assertRefused(Base64.getEncoder().encodeToString(forged8), Reason.BAD_BODY);
    }

    @Test
    void pyroliteGlobalRegistryIsNotConsulted() {
        // c__builtin__\ncomplex\n(F1.0\nF2.0\ntR. : Pyrolite's registry would build a ComplexNumber by reflection.
        String pickle = Base64.getEncoder()
                .encodeToString("c__builtin__\ncomplex\n(F1.0\nF2.0\ntR.".getBytes(StandardCharsets.US_ASCII));
        byte[] raw = envelope("KGxwMAo=".equals(pickle) ? pickle : wrapInList(pickle));
        JsonNode value = represent.decode(raw, "celery").args().get(0);
        assertThat(value.get("__class__").asText()).isEqualTo("__builtin__.complex");
        assertThat(value.get("args"))
                .isEqualTo(PythonJson.mapper().createArrayNode().add(1.0).add(2.0));
    }

    private void assertRefused(String pickle, Reason reason) {
        long start = System.nanoTime();
        UndecodableMessageException e = catchThrowableOfType(
                UndecodableMessageException.class, () -> represent.decode(envelope(wrapInList(pickle)), "celery"));
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    /** The test values are pickled lists; the body must be {@code [args, kwargs, embed]} with args = that list. */
    private static JsonNode firstArg(CeleryCodec codec, String pickle) {
        ArrayNode args = codec.decode(envelope(wrapInList(pickle)), "celery").args();
        return args.get(0);
    }

    /** Builds a protocol 4 pickle of {@code (value, {}, None)} around an existing pickle of value. */
    private static String wrapInList(String pickle) {
        byte[] inner = Base64.getDecoder().decode(pickle);
        int start = inner[0] == (byte) 0x80 ? 2 : 0;
        if (inner.length > start && inner[start] == (byte) 0x95) {
            start += 9; // skip FRAME
        }
        byte[] body = java.util.Arrays.copyOfRange(inner, start, inner.length - 1); // drop STOP
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x80, 4, ']', '('});
        out.writeBytes(body);
        out.writeBytes(new byte[] {'e', '}', 'N', (byte) 0x87, '.'});
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static byte[] envelope(String picklePayloadB64) {
        String json = "{\"body\": \"" + picklePayloadB64 + "\", \"content-encoding\": \"binary\", \"content-type\": "
                + "\"application/x-python-serialize\", \"headers\": {\"lang\": \"py\", \"task\": \"tasks.echo\", \"id\": "
                + "\"p-1\"}, \"properties\": {\"delivery_info\": {\"exchange\": \"\", \"routing_key\": \"celery\"}, "
                + "\"body_encoding\": \"base64\", \"delivery_tag\": \"t-1\"}}";
        return json.getBytes(StandardCharsets.US_ASCII);
    }
}
