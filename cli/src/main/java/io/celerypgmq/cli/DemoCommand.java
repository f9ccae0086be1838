package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.PgmqStatus;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.embedded.EmbeddedPostgres;
import io.celerypgmq.testkit.embedded.EmbeddedRedis;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import redis.clients.jedis.JedisPooled;

/**
 * The guided demo on embedded Redis and Postgres: nothing to install or configure. It starts both stores, installs
 * pgmq (the compatible schema, since the embedded server has no extension), and walks a message through pgmq.
 */
@Command(
        name = "demo",
        description = "Run the guided demo on embedded Redis and Postgres (no services or setup needed).",
        footer = {"%nExample:%n  ./celery-pgmq demo", ExitCode.FOOTER})
final class DemoCommand implements Callable<Integer> {
    static final QueueName QUEUE = QueueName.of("user_tasks");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Narrator say = new Narrator(out);
        say.step("Starting embedded Redis and Postgres (your own services are not touched)");
        try (EmbeddedRedis redisServer = EmbeddedRedis.start();
                EmbeddedPostgres pgServer = EmbeddedPostgres.start();
                JedisPooled redis = RedisConnections.open(redisServer.url());
                HikariDataSource db = PostgresPool.open(pgServer.url(), 2, "demo")) {
            say.detail("Redis " + redisServer.version() + " at "
                    + redisServer.url().masked());
            say.detail(
                    "Postgres " + pgServer.version() + " at " + pgServer.url().masked());

            say.step("Installing pgmq");
            PgmqStatus status = PgmqInstaller.ensure(db);
            say.detail(status.describe());
            say.command("celery-pgmq pgmq status");

            say.step("Creating the pgmq queue " + QUEUE
                    + " and sending a task the way the seeds' new workers expect it");
            PgmqClient pgmq = new PgmqClient(db);
            pgmq.create(QUEUE);
            String task = "{\"task\": \"send_welcome_email\", \"email\": \"ada@example.com\", \"username\": \"Ada\"}";
            long id = pgmq.send(QUEUE, task, "{\"x-celery-task\": \"send_welcome_email\"}", Delay.none());
            say.detail("sent msg_id " + id + ": " + task);

            say.step("A pgmq worker reads it (visibility timeout 30 s) and archives it");
            List<PgmqMessage> read = pgmq.read(QUEUE, 30, 10, null);
            for (PgmqMessage m : read) {
                say.detail("read msg_id " + m.msgId() + " (read_ct " + m.readCt() + "): " + m.message());
                pgmq.archive(QUEUE, m.msgId());
            }
            var metrics = pgmq.metrics(QUEUE);
            say.detail("queue length now " + metrics.queueLength() + ", total sent " + metrics.totalMessages());
            say.detail("Redis answered PING: " + redis.ping());
            say.step("Done. Stopping the embedded stores.");
            return read.size() == 1 && metrics.queueLength() == 0 ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
        }
    }

    /** Prints the demo's narration: numbered steps, indented details, and the commands a user would type. */
    static final class Narrator {
        private final PrintWriter out;
        private int step;

        Narrator(PrintWriter out) {
            this.out = out;
        }

        void step(String text) {
            out.println();
            out.println("[" + (++step) + "] " + text);
            out.flush();
        }

        void detail(String text) {
            out.println("    " + text);
            out.flush();
        }

        void command(String text) {
            out.println("    $ " + text);
            out.flush();
        }
    }
}
