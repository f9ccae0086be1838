package io.celerypgmq.bridge.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real captured Celery messages in {@code ../shared/celery-corpus} (seen from the repository root). */
final class Corpus {
    static final ObjectMapper JSON = new ObjectMapper();

    private Corpus() {}

    static Path dir() {
        String override = System.getProperty("celery.corpus");
        if (override != null) {
            return requireCorpus(Path.of(override));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("bridge"))) {
                return requireCorpus(dir.resolve("../shared/celery-corpus").normalize());
            }
        }
        throw new IllegalStateException(
                "cannot find the repository root above " + Path.of("").toAbsolutePath());
    }

    private static Path requireCorpus(Path dir) {
        if (!Files.isRegularFile(dir.resolve("INDEX.tsv"))) {
            throw new IllegalStateException("the Celery corpus is missing: expected " + dir
                    + "/INDEX.tsv (shared/celery-corpus beside the repository)");
        }
        return dir;
    }

    /** Every {@code <case>.raw}, sorted by name. */
    static List<Path> rawFiles() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".raw"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String caseName(Path raw) {
        String name = raw.getFileName().toString();
        return name.substring(0, name.length() - ".raw".length());
    }

    static byte[] raw(String caseName) {
        try {
            return Files.readAllBytes(dir().resolve(caseName + ".raw"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode sidecar(String caseName) {
        try {
            return JSON.readTree(dir().resolve(caseName + ".json").toFile());
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
