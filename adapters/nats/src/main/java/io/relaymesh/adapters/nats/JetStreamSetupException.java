package io.relaymesh.adapters.nats;

import io.relaymesh.domain.error.RelaymeshException;

/**
 * A stream or consumer on the server cannot be made to fit the settings (a push consumer where a
 * pull consumer is needed, another filter subject, overlapping subjects): an operator must act.
 */
public class JetStreamSetupException extends RelaymeshException {
    private final String resource;

    public JetStreamSetupException(String resource, String message, Throwable cause) {
        super(message, cause);
        this.resource = resource;
    }

    public JetStreamSetupException(String resource, String message) {
        super(message);
        this.resource = resource;
    }

    /** The stream or consumer name. */
    public String resource() {
        return resource;
    }
}
