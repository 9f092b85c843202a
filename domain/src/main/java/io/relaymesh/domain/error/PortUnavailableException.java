package io.relaymesh.domain.error;

/**
 * A port's backing service (Redis, NATS, a peer pod) could not be reached or answered in time. The
 * message names the service by its URL with any credentials stripped ({@link UrlCredentials}): it
 * ends up in log lines and in {@code /ready}.
 */
public class PortUnavailableException extends RelaymeshException {
    private final String port;

    public PortUnavailableException(String port, String message, Throwable cause) {
        super(port + ": " + UrlCredentials.strip(message), cause);
        this.port = port;
    }

    public String port() {
        return port;
    }
}
