package io.relaymesh.domain.error;

/** A port's backing service (Redis, NATS, a peer pod) could not be reached or answered in time. */
public class PortUnavailableException extends RelaymeshException {
    private final String port;

    public PortUnavailableException(String port, String message, Throwable cause) {
        super(port + ": " + message, cause);
        this.port = port;
    }

    public String port() {
        return port;
    }
}
