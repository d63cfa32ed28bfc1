package io.fraudcep.jobs.options;

/** A command line that cannot be run; the message names the option at fault. */
public class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
