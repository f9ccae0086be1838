package io.celerypgmq.bridge.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The real captured Celery messages, carried as test resources in {@code celery-corpus/}: each case's {@code .raw}
 * bytes as Celery left them in Redis, its {@code .json} description, and {@code INDEX.tsv} listing every case. Read
 * from the classpath, so a fresh clone has everything the golden tests need.
 */
final class Corpus {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIR = "/celery-corpus/";

    private Corpus() {}

    /** Every case with a captured message ({@code <case>.raw}), sorted by name, as {@code INDEX.tsv} lists them. */
    static List<String> cases() {
        String index = new String(resource("INDEX.tsv"), StandardCharsets.UTF_8);
        return index.lines()
                .skip(1) // the header
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.substring(0, line.indexOf('\t')))
                .sorted()
                .toList();
    }

    static byte[] raw(String caseName) {
        return resource(caseName + ".raw");
    }

    static JsonNode sidecar(String caseName) {
        try {
            return JSON.readTree(resource(caseName + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("the Celery corpus has no " + name + " under test resources" + DIR);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sidecar's {@code found_in_key}, with its {@code \xNN} escapes turned back into characters. */
    static String foundInKey(JsonNode sidecar) {
        String text =
                sidecar.path("found_in_key").asText(sidecar.path("lpushed_to").asText("celery"));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (text.startsWith("\\x", i) && i + 4 <= text.length()) {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.append(text.charAt(i));
            }
        }
        return out.toString();
    }

    static JsonNode expectations() {
        try (InputStream in = Corpus.class.getResourceAsStream("corpus-expectations.json")) {
            if (in == null) {
                throw new IllegalStateException("corpus-expectations.json is missing from test resources");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
