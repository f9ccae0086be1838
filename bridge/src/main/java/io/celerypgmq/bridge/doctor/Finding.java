package io.celerypgmq.bridge.doctor;

import java.util.Objects;

/**
 * One thing {@code doctor} found.
 *
 * @param check the check's short name ({@code redis}, {@code pgmq}, {@code eta}, ...)
 * @param subject what it is about: a queue, a binding, a store
 * @param problem what is wrong (or, for {@link Severity#INFO}, what is so)
 * @param fix a concrete next step; empty for plain information
 */
public record Finding(Severity severity, String check, String subject, String problem, String fix) {
    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(problem, "problem");
        fix = fix == null ? "" : fix;
        if (severity != Severity.INFO && fix.isBlank()) {
            throw new IllegalArgumentException("a " + severity.label() + " finding needs a fix: " + problem);
        }
    }

    public static Finding error(String check, String subject, String problem, String fix) {
        return new Finding(Severity.ERROR, check, subject, problem, fix);
    }

    public static Finding warning(String check, String subject, String problem, String fix) {
        return new Finding(Severity.WARNING, check, subject, problem, fix);
    }

    public static Finding info(String check, String subject, String fact) {
        return new Finding(Severity.INFO, check, subject, fact, "");
    }
}
