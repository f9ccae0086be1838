package io.celerypgmq.cli;

import io.celerypgmq.config.DatabaseUrl;
import io.celerypgmq.config.RedisUrl;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A password on the command line is visible to every user of the host in {@code ps} and in shell history. The flags
 * stay (they are handy on a laptop), their help says so, and a command given one logs one warning per flag that names
 * the safer place for the value; the caller checks once per command.
 */
final class FlagPasswords {
    private static final Logger LOG = LoggerFactory.getLogger(FlagPasswords.class);

    static final String HELP = " A password in it is visible to other users in `ps`: prefer ";

    private FlagPasswords() {}

    static void checkRedis(String flag, String value, String envVar) {
        check(flag, value, envVar, text -> RedisUrl.parse(text).password());
    }

    static void checkDatabase(String flag, String value, String envVar) {
        check(flag, value, envVar, text -> DatabaseUrl.parse(text).password());
    }

    private static void check(String flag, String value, String envVar, Function<String, String> password) {
        if (value != null && holdsPassword(value, password)) {
            LOG.warn(
                    "[config] {} holds a password, which other users of this host can read in `ps` and which stays in"
                            + " shell history; set {} or put it in the --config file instead",
                    flag,
                    envVar);
        }
    }

    private static boolean holdsPassword(String value, Function<String, String> password) {
        try {
            return password.apply(value) != null;
        } catch (IllegalArgumentException unparsable) {
            // The configuration error comes next; whether it held a password, judge by its shape.
            int scheme = value.indexOf("://");
            return value.indexOf('@', Math.max(scheme, 0)) >= 0
                    || value.toLowerCase(Locale.ROOT).contains("password=");
        }
    }
}
