package io.relaymesh.adapters.web.http;

/** One dependency checked by {@code /ready} (Redis, NATS, gRPC server, ...). */
public interface ReadinessCheck {
    String name();

    /** Null when ready, else a short description of the problem. */
    String problem();
}
