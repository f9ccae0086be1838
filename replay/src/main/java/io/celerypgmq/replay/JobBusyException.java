package io.celerypgmq.replay;

/** Another live process runs the same replay job; two runners would only fight over its in-flight list. */
public final class JobBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String jobId;

    public JobBusyException(String jobId, String owner) {
        super("replay job " + jobId + " is already running (" + owner + "); wait for it, or stop it with Ctrl-C");
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
