package io.celerypgmq.testkit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a test backend comes from, in the order they are tried. */
public enum BackendKind {
    /** URLs given in {@code CELERY_PGMQ_TEST_PG_URL} / {@code CELERY_PGMQ_TEST_REDIS_URL}. */
    ENV,
    /** Containers, where a Docker engine answers. */
    TESTCONTAINERS,
    /** Services already listening on 127.0.0.1 (5432 with trust auth, 6379). */
    LOCAL,
    /** Servers this JVM starts from bundled binaries. */
    EMBEDDED;

    /** The name used in {@code CELERY_PGMQ_TEST_BACKEND}. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static BackendKind fromSetting(String key, String value) {
        for (BackendKind kind : values()) {
            if (kind.settingValue().equalsIgnoreCase(value.trim())) {
                return kind;
            }
        }
        throw new NoTestBackendException(key + "='" + value + "' is not one of "
                + Arrays.stream(values()).map(BackendKind::settingValue).collect(Collectors.joining("|")));
    }
}
