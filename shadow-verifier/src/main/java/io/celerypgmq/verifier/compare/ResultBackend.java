package io.celerypgmq.verifier.compare;

import java.util.List;
import java.util.Map;

/** Where Celery's task results are read from; {@link CeleryResults} reads the Redis result backend. */
public interface ResultBackend {
    /** States of the task ids that have a result; ids without one are absent. May throw when unreachable. */
    Map<String, CeleryState> states(List<String> taskIds);

    /** Where it reads from, passwords masked, for the report. */
    String describe();
}
