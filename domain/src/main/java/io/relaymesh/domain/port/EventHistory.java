package io.relaymesh.domain.port;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;

import java.util.List;
import java.util.Objects;

/**
 * What was delivered recently, by route key, so that a client reconnecting with the last position
 * it saw gets what it missed. A position is the {@link Envelope#POSITION} attribute of an
 * envelope: {@code <epoch>:<sequence>}, the sequence growing in publish order within an epoch, the
 * epoch changing when the history starts over (a standalone restart, a new JetStream stream).
 * Implementations are thread-safe.
 */
public interface EventHistory {

    /** The answer to "what came after this position for these keys". */
    sealed interface Replay {
        /** Every envelope after the position for the keys, oldest first (none is fine). */
        record Recovered(List<Envelope> events) implements Replay {
            public Recovered {
                events = List.copyOf(events);
            }
        }

        /** The gap cannot be filled: {@code reason} says why (another epoch, beyond retention, too many). */
        record Gap(String reason) implements Replay {
            public Gap {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /**
     * The envelopes for any of {@code keys} published after {@code position}, oldest first, each
     * once; a {@link Replay.Gap} when some of them may be gone or there are more than {@code max}.
     */
    Replay after(List<RouteKey> keys, String position, int max);

    /** A history that keeps nothing: every resume is a gap. */
    EventHistory NONE = (keys, position, max) -> new Replay.Gap("this gateway keeps no event history");

    /** A parsed position, or null when {@code position} is not one. */
    static Position parse(String position) {
        if (position == null) {
            return null;
        }
        int colon = position.lastIndexOf(':');
        if (colon <= 0 || colon == position.length() - 1 || position.length() > 64) {
            return null;
        }
        String epoch = position.substring(0, colon);
        if (epoch.indexOf(':') >= 0) {
            return null;
        }
        try {
            long sequence = Long.parseLong(position.substring(colon + 1));
            return sequence < 0 ? null : new Position(epoch, sequence);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A position: an epoch (no colon) and a sequence within it. */
    record Position(String epoch, long sequence) {
        @Override
        public String toString() {
            return epoch + ":" + sequence;
        }
    }
}
