package io.celerypgmq.bridge.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.pgmq.InvalidQueueNameException;
import io.celerypgmq.bridge.pgmq.QueueName;
import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void aRouteNamesItsQueueAsPgmqNamesIt() {
        Route route = new Route("t", RouteMode.SHADOW, 100, "User_Tasks", PayloadFormat.TASK);

        assertThat(route.pgmqQueue())
                .isEqualTo(QueueName.of("User_Tasks").value())
                .isEqualTo("user_tasks");
        assertThat(route.describeMode()).isEqualTo("shadow → user_tasks");
    }

    @Test
    void aRouteToAQueueNamePgmqCannotUseIsRefusedWhenItIsMade() {
        assertThatThrownBy(() -> new Route("t", RouteMode.PGMQ, 10, "q;x", PayloadFormat.TASK))
                .isInstanceOf(InvalidQueueNameException.class);
        assertThatThrownBy(() -> new Route("t", RouteMode.SHADOW, 100, "user tasks", PayloadFormat.TASK))
                .isInstanceOf(InvalidQueueNameException.class);
    }
}
