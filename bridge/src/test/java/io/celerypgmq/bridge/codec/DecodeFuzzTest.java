package io.celerypgmq.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of damaged corpus messages (byte flips, truncations, splices, base64 damage inside the body, damage to the
 * decoded body before re-encoding) go through decode: nothing but {@link UndecodableMessageException} may escape, and
 * no single decode may take long. Seeded, so a failure replays.
 */
class DecodeFuzzTest {
    private static final long SEED = 0x5EED_C0DECL;
    private static final int ROUNDS = 12_000;
    private static final long SLOW_NANOS = 2_000_000_000L;

    private final CeleryCodec codec = new CeleryCodec(CodecOptions.defaults().withMaxBodyBytes(8 * 1024 * 1024));
    private final MessageValidator validator = MessageValidator.strict();

    @Test
    void damagedMessagesFailOnlyWithTheTypedException() {
        List<byte[]> seeds = seeds();
        Random random = new Random(SEED);
        int decoded = 0;
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(seeds, random);
            long start = System.nanoTime();
            try {
                codec.decode(input, "celery");
                decoded++;
            } catch (UndecodableMessageException e) {
                assertThat(e.reason()).isNotNull();
                refused++;
            } catch (Throwable t) {
                fail(
                        "round " + round + " escaped with " + t + " for input "
                                + new String(input, StandardCharsets.ISO_8859_1),
                        t);
            }
            try {
                validator.check(input);
            } catch (Throwable t) {
                fail("validator threw on round " + round + ": " + t, t);
            }
            long took = System.nanoTime() - start;
            assertThat(took).as("round %d took %d ms", round, took / 1_000_000).isLessThan(SLOW_NANOS);
        }
        assertThat(decoded).as("some mutations stay decodable").isPositive();
        assertThat(refused).as("most mutations are refused").isPositive();
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : Corpus.cases()) {
            byte[] bytes = Corpus.raw(name);
            if (bytes.length < 20_000) {
                seeds.add(bytes);
            }
        }
        return seeds;
    }

    private static byte[] mutate(List<byte[]> seeds, Random random) {
        byte[] base = seeds.get(random.nextInt(seeds.size())).clone();
        return switch (random.nextInt(7)) {
            case 0 -> flipBytes(base, random);
            case 1 -> java.util.Arrays.copyOf(base, random.nextInt(base.length + 1));
            case 2 -> splice(base, seeds.get(random.nextInt(seeds.size())), random);
            case 3 -> damageBody(base, random, false);
            case 4 -> damageBody(base, random, true);
            case 5 -> insertJunk(base, random);
            default -> flipBytes(flipBytes(base, random), random);
        };
    }

    private static byte[] flipBytes(byte[] bytes, Random random) {
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && bytes.length > 0; i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] splice(byte[] a, byte[] b, Random random) {
        int cutA = random.nextInt(a.length + 1);
        int cutB = random.nextInt(b.length + 1);
        byte[] out = new byte[cutA + b.length - cutB];
        System.arraycopy(a, 0, out, 0, cutA);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }

    private static byte[] insertJunk(byte[] bytes, Random random) {
        String[] junk = {"\"", "{", "]", "\\u", "NaN", "\u0000", "=", "null", "\"body\": 1, ", "\\ud800"};
        int at = random.nextInt(bytes.length + 1);
        byte[] piece = junk[random.nextInt(junk.length)].getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length + piece.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(bytes, at, out, at + piece.length, bytes.length - at);
        return out;
    }

    /** Damages the base64 text, or the decoded body bytes themselves (then re-encodes them validly). */
    private static byte[] damageBody(byte[] envelope, Random random, boolean inside) {
        String text = new String(envelope, StandardCharsets.UTF_8);
        int start = text.indexOf("\"body\": \"");
        if (start < 0) {
            return flipBytes(envelope, random);
        }
        start += "\"body\": \"".length();
        int end = text.indexOf('"', start);
        if (end < 0) {
            return flipBytes(envelope, random);
        }
        String body = text.substring(start, end);
        String damaged;
        if (inside) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                return flipBytes(envelope, random);
            }
            damaged = Base64.getEncoder()
                    .encodeToString(
                            decoded.length == 0
                                    ? decoded
                                    : random.nextBoolean()
                                            ? flipBytes(decoded, random)
                                            : java.util.Arrays.copyOf(decoded, random.nextInt(decoded.length)));
        } else {
            StringBuilder b = new StringBuilder(body);
            if (b.length() > 0) {
                b.setCharAt(random.nextInt(b.length()), "A=!/+ é".charAt(random.nextInt(7)));
            }
            if (random.nextBoolean() && b.length() > 1) {
                b.setLength(b.length() - 1 - random.nextInt(Math.min(3, b.length() - 1)));
            }
            damaged = b.toString();
        }
        return (text.substring(0, start) + damaged + text.substring(end)).getBytes(StandardCharsets.UTF_8);
    }
}
