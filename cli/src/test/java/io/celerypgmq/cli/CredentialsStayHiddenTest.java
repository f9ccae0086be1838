package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A password with URL-reserved characters, given the ways an operator gives it, through every command that connects
 * and every way it fails: it reaches the host it names and never shows in output, errors or logs.
 */
@RealBackends
class CredentialsStayHiddenTest {
    /** Every fragment between the reserved characters is distinctive, so any leak of any part is found. */
    private static final String PASSWORD = "Qx7/Kp2#Zm9?Wt4@Vb6:Nc3&Hj5=Lm8+Rf1%25Ty2";

    private static final List<String> FRAGMENTS =
            List.of("Qx7", "Kp2", "Zm9", "Wt4", "Vb6", "Nc3", "Hj5", "Lm8", "Rf1", "Ty2");

    private static int redisPort;
    private static int postgresPort;
    private static String redis;
    private static String postgres;

    @TempDir
    static Path dir;

    @BeforeAll
    static void closedPorts() throws IOException {
        redisPort = closedPort();
        postgresPort = closedPort();
        redis = "redis://u:" + PASSWORD + "@127.0.0.1:" + redisPort + "/2";
        postgres = "postgresql://app:" + PASSWORD + "@127.0.0.1:" + postgresPort + "/app";
    }

    /** What a run showed anywhere: stdout, stderr and the log lines (which go to stderr). */
    private record Shown(int exitCode, String out, String err, String logs) {
        String all() {
            return out + err + logs;
        }

        void hidesThePassword() {
            for (String fragment : FRAGMENTS) {
                assertThat(all())
                        .as("a fragment of the password in:%n%s", all())
                        .doesNotContain(fragment);
            }
        }
    }

    private static Shown run(String... args) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            Cli cli = Cli.run(args);
            return new Shown(cli.exitCode(), cli.out(), cli.err(), logs.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void configShowParsesTheWholePasswordAndShowsItMasked() {
        Shown shown = run("config", "show", "--redis-url", redis, "--database-url", postgres);

        assertThat(shown.exitCode()).as(shown.all()).isZero();
        assertThat(shown.out())
                .contains("redis.url          redis://u:****@127.0.0.1:" + redisPort + "/2")
                .contains("database.url       jdbc:postgresql://127.0.0.1:" + postgresPort
                        + "/app as app (password ****)");
        shown.hidesThePassword();
    }

    @Test
    void theIssuesExamplesAreParsedToTheHostsTheyName() {
        Shown shown = run(
                "config",
                "show",
                "--redis-url",
                "redis://u:RdSec/ret9z@127.0.0.1:6393/2",
                "--database-url",
                "postgresql://u:Pg@Sec/ret#9z@h/db");

        assertThat(shown.exitCode()).as(shown.all()).isZero();
        assertThat(shown.out())
                .contains("redis://u:****@127.0.0.1:6393/2")
                .contains("jdbc:postgresql://h:5432/db as u (password ****)");
        assertThat(shown.all()).doesNotContain("RdSec", "ret9z", "Sec/", "ret#");
    }

    @Test
    void aPasswordGivenByFlagIsWarnedAboutOncePerFlagAndTheHelpSaysWhy() {
        Shown shown = run("config", "show", "--redis-url", redis, "--database-url", postgres);

        assertThat(Pattern.compile("WARN .*--redis-url holds a password")
                        .matcher(shown.logs())
                        .results()
                        .count())
                .isEqualTo(1);
        assertThat(shown.logs())
                .contains("--database-url holds a password")
                .contains("`ps`")
                .contains("CELERY_PGMQ_DATABASE_URL");
        assertThat(run("config", "show", "--redis-url", "redis://127.0.0.1:6379/0")
                        .logs())
                .doesNotContain("holds a password");
        assertThat(run("config", "show", "--help").out().replaceAll("\\s+", " "))
                .contains("A password in it is visible to other users in `ps`: prefer CELERY_PGMQ_REDIS_URL");
        assertThat(run("verify", "--help").out().replaceAll("\\s+", " ")).contains("prefer CELERY_PGMQ_RESULT_BACKEND");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "redis://u:%s@127.0.0.1:63x3/2",
                "redis://u:%s@127.0.0.1:6393/two",
                "rediss//u:%s@127.0.0.1:6393/2",
                "redis://u:%s@127.0.0.1:6393/2 extra",
                "http://u:%s@127.0.0.1:6393/2"
            })
    void aMalformedRedisUrlIsAConfigErrorByKeyWithTheCredentialsMasked(String template) throws IOException {
        String url = String.format(template, PASSWORD);
        Path config = Files.writeString(dir.resolve("bad-redis.yml"), "redis:\n  url: '" + url + "'\n");

        for (String[] command : List.of(
                new String[] {"config", "show", "--redis-url", url},
                new String[] {"config", "show", "--config", config.toString()},
                new String[] {"doctor", "--config", config.toString()},
                new String[] {"inspect", "--config", config.toString()},
                new String[] {"bridge", "--config", config.toString()},
                new String[] {"verify", "--result-backend", url, "--database-url", postgres})) {
            Shown shown = run(command);
            assertThat(shown.exitCode())
                    .as("%s%n%s", List.of(command), shown.all())
                    .isEqualTo(ExitCode.USAGE);
            assertThat(shown.err()).containsPattern("(redis\\.url|verify\\.result-backend): bad value '");
            shown.hidesThePassword();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "postgresql://app:%s@127.0.0.1:54x2/app",
                "postgres//app:%s@127.0.0.1/app",
                "jdbc:postgresql://app:%s@127.0.0.1/app",
                "jdbc:postgresql://127.0.0.1/app?user=app&password=%s&ssl=x%%zz"
            })
    void aMalformedDatabaseUrlIsAConfigErrorByKeyWithTheCredentialsMasked(String template) {
        String url = String.format(template, PASSWORD);
        for (String[] command : List.of(
                new String[] {"config", "show", "--database-url", url},
                new String[] {"pgmq", "status", "--database-url", url},
                new String[] {"route", "list", "--database-url", url},
                new String[] {"verify", "--database-url", url},
                new String[] {"replay", "redis-to-pgmq", "--queue", "q", "--database-url", url})) {
            Shown shown = run(command);
            assertThat(shown.exitCode())
                    .as("%s%n%s", List.of(command), shown.all())
                    .isEqualTo(ExitCode.USAGE);
            assertThat(shown.err()).contains("database.url: bad value '");
            shown.hidesThePassword();
        }
    }

    @Test
    void everyCommandThatCannotReachItsStoreNamesTheRightHostAndHidesThePassword() throws IOException {
        Path config = Files.writeString(
                dir.resolve("unreachable.yml"),
                "redis:\n  url: '" + redis + "'\ndatabase:\n  url: '" + postgres + "'\nbridge:\n  http-port: 0\n");
        String pgAddress = "jdbc:postgresql://127.0.0.1:" + postgresPort + "/app as app (password ****)";
        String redisAddress = "redis://u:****@127.0.0.1:" + redisPort + "/2";

        // The bridge retries its stores for half a minute before exit 3 with the same message; its start-up is
        // checked against reachable stores in theBridgeStartsWithAReservedCharacterPasswordAndNeverLogsIt.
        for (String[] command : List.of(
                new String[] {"pgmq", "status", "--database-url", postgres},
                new String[] {"route", "set", "t", "shadow", "--queue", "q", "--config", config.toString()},
                new String[] {"verify", "--config", config.toString()},
                new String[] {"replay", "redis-to-pgmq", "--queue", "q", "--config", config.toString()},
                new String[] {"inspect", "--redis-url", redis})) {
            Shown shown = run(command);
            assertThat(shown.exitCode())
                    .as("%s%n%s", List.of(command), shown.all())
                    .isEqualTo(ExitCode.CANNOT_START);
            assertThat(shown.err()).containsAnyOf(pgAddress, redisAddress);
            shown.hidesThePassword();
        }

        Shown doctor = run("doctor", "--config", config.toString());
        assertThat(doctor.all()).contains(redisAddress).contains(pgAddress);
        doctor.hidesThePassword();
    }

    @Test
    void theBridgeStartsWithAReservedCharacterPasswordAndNeverLogsIt(TestPostgres pg, TestRedis celery)
            throws Exception {
        String role = "cpgmq_pw_" + ProcessHandle.current().pid();
        try (Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
        }
        String jdbc = pg.url().jdbcUrl();
        String database = "postgresql://" + role + ":" + PASSWORD + "@" + jdbc.substring("jdbc:postgresql://".length());
        Path config = Files.writeString(
                dir.resolve("bridge.yml"),
                "redis:\n  url: '" + celery.url() + "'\ndatabase:\n  url: '" + database
                        + "'\nbridge:\n  http-port: 0\n");
        Path log = dir.resolve("bridge.log");
        Process bridge = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CeleryPgmq.class.getName(),
                        "bridge",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(log).contains("started"));
        } finally {
            bridge.destroy();
            bridge.waitFor(30, TimeUnit.SECONDS);
            try (Connection c = pg.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
                s.execute("REASSIGN OWNED BY " + role + " TO CURRENT_USER");
                s.execute("DROP OWNED BY " + role);
                s.execute("DROP ROLE " + role);
            }
        }
        String logged = Files.readString(log);
        assertThat(logged)
                .contains("effective settings")
                .contains("as " + role + " (password ****)")
                .contains("stopped");
        for (String fragment : FRAGMENTS) {
            assertThat(logged).as(logged).doesNotContain(fragment);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
