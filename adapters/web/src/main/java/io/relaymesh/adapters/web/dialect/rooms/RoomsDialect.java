package io.relaymesh.adapters.web.dialect.rooms;

import io.relaymesh.application.dialect.Admission;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSession;
import io.relaymesh.application.dialect.Handshake;
import io.relaymesh.application.rooms.RoomPrincipal;
import io.relaymesh.application.rooms.Rooms;
import io.relaymesh.application.rooms.RoomsSettings;
import io.relaymesh.domain.model.Envelope;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The peer rooms dialect (the PluresDB WSS relay, seed 004): on its own path ({@code /rooms/ws} by
 * default), on the shared {@code /ws} when the first frame is a {@code join}, and on every path of
 * its dedicated listener. A connection is let in at once (at the upgrade, or with its first
 * frame, which is then handled as a join); what it may do is decided per request by {@link Rooms}.
 * A token given at the upgrade ({@code ?token=} or {@code Authorization: Bearer}) is kept for a
 * join that brings none. The dialect keeps its own frame rates and frame size (a data frame over
 * {@code max_data_bytes} gets an error frame, not a close). Thread-safe.
 */
public final class RoomsDialect implements Dialect {
    public static final String NAME = "rooms";
    public static final String FIRST_FRAME = "join";

    private final String path;
    private final Rooms rooms;
    private final RoomFrames frames;
    private final Supplier<RoomsSettings> settings;
    private final int maxFrameBytes;

    /**
     * @param maxFrameBytes the largest client frame read (fixed at start: the WebSocket protocol's
     *                      own cap is set from it); see {@link RoomsSettings#maxFrameBytes()}
     */
    public RoomsDialect(String path, Rooms rooms, RoomFrames frames, Supplier<RoomsSettings> settings,
                        int maxFrameBytes) {
        this.path = Objects.requireNonNull(path, "path");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.frames = Objects.requireNonNull(frames, "frames");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String firstFrameType() {
        return FIRST_FRAME;
    }

    @Override
    public Admission admit(Handshake handshake, String firstFrame) {
        String token = handshake.queryParam("token").orElseGet(() -> handshake.header("authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).strip()).orElse(null));
        RoomPrincipal principal = new RoomPrincipal(UUID.randomUUID().toString(),
                token == null || token.isEmpty() ? null : token);
        return new Admission.Admitted(principal, List.of(), null, true);
    }

    @Override
    public void onFrame(DialectSession session, String frame) {
        rooms.handle(session.session(), frames.read(frame));
    }

    @Override
    public byte[] render(Envelope envelope) {
        return frames.render(envelope);
    }

    @Override
    public void closed(DialectSession session) {
        rooms.closed(session.session());
    }

    @Override
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    public boolean limitsFrameRate() {
        return true;
    }

    @Override
    public String toString() {
        return "RoomsDialect[" + path.toLowerCase(Locale.ROOT) + "]";
    }
}
