package io.celerypgmq.bridge.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StatusEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void apiStatusServesTheLatestSnapshotAsJsonAndSaysSoBeforeTheFirst() throws Exception {
        AtomicReference<StatusSnapshot> latest = new AtomicReference<>();
        try (BridgeHttpServer server =
                BridgeHttpServer.start("127.0.0.1", 0, () -> "", () -> new BridgeHttpServer.Readiness(true, "ready"))) {
            StatusEndpoint.install(server, latest::get);
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/status");

            HttpResponse<String> early =
                    HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(early.statusCode()).isEqualTo(503);
            assertThat(early.body()).isEqualTo("{\"error\":\"the status was not read yet\"}");

            latest.set(StatusFixture.draining(Instant.parse("2026-11-22T08:07:30Z")));
            HttpResponse<String> r =
                    HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
            JsonNode task = new ObjectMapper().readTree(r.body()).get("tasks").get(0);
            assertThat(task.get("state").asText()).isEqualTo("draining");
            assertThat(task.get("redis_holds").asLong()).isEqualTo(4);
            assertThat(task.get("celery").get("lag_seconds").asDouble()).isEqualTo(12.0);
            assertThat(task.get("rollout").get("next_gate").asText()).isEqualTo("next gate in 30 s");

            HttpResponse<String> post = HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }
}
