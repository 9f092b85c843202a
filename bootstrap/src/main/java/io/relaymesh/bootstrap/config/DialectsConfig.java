package io.relaymesh.bootstrap.config;

import java.util.Objects;

/**
 * The settings of the dialects (the other seeds' protocols), {@code dialects.<name>.*}.
 *
 * @param rooms the peer rooms dialect (PluresDB WSS relay)
 */
public record DialectsConfig(RoomsConfig rooms) {
    public static final DialectsConfig DEFAULTS = new DialectsConfig(RoomsConfig.DEFAULTS);

    public DialectsConfig {
        Objects.requireNonNull(rooms, "rooms");
    }

    /** These settings with what a reload may change taken from {@code loaded}. */
    DialectsConfig withLive(DialectsConfig loaded) {
        return new DialectsConfig(rooms.withLive(loaded.rooms()));
    }
}
