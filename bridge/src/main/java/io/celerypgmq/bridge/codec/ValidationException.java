package io.celerypgmq.bridge.codec;

import java.util.List;
import java.util.stream.Collectors;

/** An outgoing message (or batch) would break a Celery 5.2 worker; every problem found is listed. */
public final class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<ValidationProblem> problems;

    public ValidationException(List<ValidationProblem> problems) {
        super("message would break a Celery 5.2 worker: "
                + problems.stream().map(ValidationProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<ValidationProblem> problems() {
        return problems;
    }

    public boolean has(ValidationProblem.Kind kind) {
        return problems.stream().anyMatch(p -> p.kind() == kind);
    }
}
