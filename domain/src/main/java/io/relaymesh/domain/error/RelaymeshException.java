package io.relaymesh.domain.error;

/** Root of the faults raised by Relaymesh code (expected outcomes are return values instead). */
public class RelaymeshException extends RuntimeException {
    public RelaymeshException(String message) {
        super(message);
    }

    public RelaymeshException(String message, Throwable cause) {
        super(message, cause);
    }
}
