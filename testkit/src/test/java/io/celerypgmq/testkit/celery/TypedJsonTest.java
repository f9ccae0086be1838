package io.celerypgmq.testkit.celery;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TypedJsonTest {

    @Test
    void valuesPlainJsonCannotCarryRoundTripThroughTheirTags() {
        Map<String, Object> value = Map.of(
                "bytes",
                new byte[] {0, 1, (byte) 0xff},
                "big",
                new BigInteger("1180591620717411303424"),
                "decimal",
                new BigDecimal("3.14159"),
                "aware",
                OffsetDateTime.parse("2030-01-01T12:00:00+01:00"),
                "naive",
                LocalDateTime.parse("2030-01-01T12:00:00"),
                "uuid",
                UUID.fromString("6e3480b5-c73b-4427-97ee-28fc595c2b5f"),
                "infinity",
                Double.NEGATIVE_INFINITY,
                "astral",
                "\uD83C\uDF89 ünï");

        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) TypedJson.decode(TypedJson.encode(value));

        assertThat(back).usingRecursiveComparison().isEqualTo(value);
    }

    @Test
    void notANumberSurvivesAsATag() {
        var node = TypedJson.encode(Double.NaN);

        assertThat(node.toString()).isEqualTo("{\"$float\":\"nan\"}");
        assertThat((Double) TypedJson.decode(node)).isNaN();
    }

    @Test
    void aTupleIsTaggedAndComesBackAsAList() {
        var node = TypedJson.encode(TypedJson.PyTuple.of(1, "a"));

        assertThat(node.toString()).isEqualTo("{\"$tuple\":[1,\"a\"]}");
        assertThat(TypedJson.decode(node)).isEqualTo(List.of(1L, "a"));
    }

    @Test
    void aMapWithNonStringKeysIsSentAsPairs() {
        var node = TypedJson.encode(Map.of(1, "one"));

        assertThat(node.toString()).isEqualTo("{\"$map\":[[1,\"one\"]]}");
        assertThat(TypedJson.decode(node)).isEqualTo(Map.of(1L, "one"));
    }

    @Test
    void anObjectWithSeveralKeysIsNeverMistakenForATag() {
        var node = TypedJson.encode(Map.of("$bytes", "AA==", "other", 1));

        assertThat(TypedJson.decode(node)).isEqualTo(Map.of("$bytes", "AA==", "other", 1L));
    }
}
