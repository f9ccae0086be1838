package io.celerypgmq.bridge.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.config.DatabaseUrl;
import io.celerypgmq.config.RedisUrl;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class StoreUnavailableTest {

    /** A port nothing listens on: bind one, note it, close it. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anUnreachablePostgresNamesTheMaskedUrlAndTheCauseButNotThePassword() throws IOException {
        int port = closedPort();
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:Sup3rSecret@127.0.0.1:" + port + "/prod");
        assertThatThrownBy(() -> PostgresPool.open(url, 1, "test"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("Postgres at jdbc:postgresql://127.0.0.1:" + port + "/prod as app")
                .hasMessageContaining("refused")
                .hasMessageNotContaining("Sup3rSecret");
    }

    @Test
    void anUnreachableRedisNamesTheMaskedUrlButNotThePassword() throws IOException {
        int port = closedPort();
        RedisUrl url = RedisUrl.parse("redis://:Sup3rSecret@127.0.0.1:" + port + "/0");
        assertThatThrownBy(() -> RedisConnections.open(url))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("Redis at redis://:****@127.0.0.1:" + port + "/0")
                .hasMessageNotContaining("Sup3rSecret");
    }
}
