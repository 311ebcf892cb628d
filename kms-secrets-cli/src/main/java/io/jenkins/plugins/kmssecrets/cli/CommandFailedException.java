package io.jenkins.plugins.kmssecrets.cli;

/** A command-level failure with its own exit code and a one-line message that holds no value. */
final class CommandFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CommandFailedException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
