package io.celerypgmq.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What a failed statement's SQLState says: the batch's data, a taken identity, a dropped table, or the store. */
class SqlFailureTest {

    @Test
    void dataSizeAndTimeoutFailuresAreTheBatchsDataNotTheStore() {
        assertThat(SqlFailure.kind(new SQLException("unsupported Unicode escape sequence", "22P05")))
                .isEqualTo(SqlFailure.Kind.DATA);
        assertThat(SqlFailure.kind(new SQLException("total size of jsonb array elements exceeds the maximum", "54000")))
                .isEqualTo(SqlFailure.Kind.DATA);
        assertThat(SqlFailure.kind(new SQLException("canceling statement due to statement timeout", "57014")))
                .isEqualTo(SqlFailure.Kind.DATA);
        assertThat(SqlFailure.kind(new SQLException("new row violates check constraint", "23514")))
                .isEqualTo(SqlFailure.Kind.OTHER);
        assertThat(SqlFailure.kind(new SQLException("duplicate key value", "23505")))
                .isEqualTo(SqlFailure.Kind.DUPLICATE);
        assertThat(SqlFailure.kind(new SQLException("relation \"pgmq.q_x\" does not exist", "42P01")))
                .isEqualTo(SqlFailure.Kind.MISSING_TABLE);
        assertThat(SqlFailure.kind(new SQLException("Connection refused", "08001")))
                .isEqualTo(SqlFailure.Kind.STORE);
        assertThat(SqlFailure.kind(new SQLException("terminating connection due to administrator command", "57P01")))
                .isEqualTo(SqlFailure.Kind.STORE);
        assertThat(SqlFailure.kind(new SQLException("no state"))).isEqualTo(SqlFailure.Kind.STORE);
    }

    @Test
    void aBatchsFailureIsReadFromItsNextException() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 <unknown> was aborted", null, 0, null);
        batch.setNextException(new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
        assertThat(SqlFailure.kind(batch)).isEqualTo(SqlFailure.Kind.DATA);
        assertThat(SqlFailure.quarantineReason(batch)).isEqualTo("NUL_NOT_STORABLE");
    }

    @Test
    void theReasonNamesWhatThePostgresErrorSays() {
        assertThat(SqlFailure.quarantineReason(new SQLException("ERROR: unsupported Unicode escape sequence", "22P05")))
                .isEqualTo("NUL_NOT_STORABLE");
        assertThat(SqlFailure.quarantineReason(
                        new SQLException("canceling statement due to statement timeout", "57014")))
                .isEqualTo("STATEMENT_TIMEOUT");
        assertThat(SqlFailure.quarantineReason(new SQLException("string too long", "54000")))
                .isEqualTo("VALUE_TOO_LARGE");
        assertThat(SqlFailure.quarantineReason(new SQLException("invalid input syntax for type json", "22P02")))
                .isEqualTo("NOT_STORABLE");
    }

    @Test
    void theDescriptionKeepsOnlyTheFirstLineWithoutControlCharacters() {
        SQLException e =
                new SQLException("ERROR: value too long\n  Detail: Failing row contains (secret args \u0000)", "22001");
        assertThat(SqlFailure.describe(e)).isEqualTo("SQLState 22001: value too long");
    }
}
