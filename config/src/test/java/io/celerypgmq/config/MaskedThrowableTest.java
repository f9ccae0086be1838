package io.celerypgmq.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class MaskedThrowableTest {

    @Test
    void aLoggedChainKeepsItsClassesAndFramesButNoPassword() {
        SQLException root = new SQLException("cannot reach postgresql://app:Pg/Sec#9z@db:5432/app\nforged line");
        IllegalStateException top = new IllegalStateException("opening redis://:Rd@Sec9z@cache:6379/0", root);

        Throwable masked = MaskedThrowable.of(top);
        StringWriter printed = new StringWriter();
        masked.printStackTrace(new PrintWriter(printed));

        assertThat(printed.toString())
                .contains("java.lang.IllegalStateException: opening redis://****@cache:6379/0")
                .contains("java.sql.SQLException: cannot reach postgresql://****@db:5432/app\\u000aforged line")
                .contains("MaskedThrowableTest.aLoggedChainKeepsItsClassesAndFramesButNoPassword")
                .doesNotContain("Sec", "\nforged");
    }
}
