package io.relaymesh.adapters.web.dialect.rooms;

import io.relaymesh.application.dialect.Admission;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSession;
import io.relaymesh.application.dialect.Handshake;
import io.relaymesh.application.rooms.RoomPrincipal;
import io.relaymesh.application.rooms.Rooms;
import io.relaymesh.application.rooms.RoomsSettings;
import io.relaymesh.application.rooms.RoomsUpkeep;
import io.relaymesh.domain.model.Envelope;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The peer rooms dialect (the PluresDB WSS relay, seed 004): on its own path ({@code /rooms/ws} by
 * default), on the shared {@code /ws} when the first frame is a {@code join}, and on every path of
 * its dedicated listener. A connection is let in at once (at the upgrade, or with its first
 * frame, which is then handled as a join once it is open); what it may do is decided per request
 * by {@link Rooms}. A token given at the upgrade ({@code ?token=} or {@code Authorization: Bearer})
 * is kept for a join that brings none. The dialect keeps its own frame rates and frame size (a
 * data frame over {@code max_data_bytes} gets an error frame, not a close). While the server runs,
 * its {@link RoomsUpkeep} ticks every second; when it stops, the departures of the peers whose
 * sockets were just closed are relayed before the pod leaves the cluster. Thread-safe.
 */
public final class RoomsDialect implements Dialect {
    public static final String NAME = "rooms";
    public static final String FIRST_FRAME = "join";

    private final String path;
    private final Rooms rooms;
    private final RoomFrames frames;
    private final Supplier<RoomsSettings> settings;
    private final int maxFrameBytes;
    private final RoomsUpkeep upkeep;
    private final Duration upkeepInterval;
    private final Duration departuresWait;
    private volatile Thread ticker;
    private volatile boolean running;

    /**
     * @param maxFrameBytes the largest client frame read (fixed at start: the WebSocket protocol's
     *                      own cap is set from it); see {@link RoomsSettings#maxFrameBytes()}
     */
    public RoomsDialect(String path, Rooms rooms, RoomFrames frames, Supplier<RoomsSettings> settings,
                        int maxFrameBytes, RoomsUpkeep upkeep, Duration upkeepInterval, Duration departuresWait) {
        this.path = Objects.requireNonNull(path, "path");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.frames = Objects.requireNonNull(frames, "frames");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maxFrameBytes = maxFrameBytes;
        this.upkeep = Objects.requireNonNull(upkeep, "upkeep");
        this.upkeepInterval = Objects.requireNonNull(upkeepInterval, "upkeepInterval");
        this.departuresWait = Objects.requireNonNull(departuresWait, "departuresWait");
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
                token == null || token.isEmpty() ? null : token, firstFrame);
        return new Admission.Admitted(principal, List.of(), null);
    }

    /** A connection admitted by its first frame on {@code /ws} (a join) has it handled now. */
    @Override
    public void opened(DialectSession session) {
        if (session.session().principal() instanceof RoomPrincipal principal && principal.firstFrame() != null) {
            onFrame(session, principal.firstFrame());
        }
    }

    /** Starts the upkeep: a virtual thread ticking every {@code upkeepInterval}. */
    @Override
    public void start() {
        running = true;
        ticker = Thread.ofVirtual().name("relaymesh-rooms-upkeep").start(() -> {
            while (running) {
                upkeep.tick();
                try {
                    Thread.sleep(upkeepInterval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** The sockets are closed: relays their peers' departures (bounded), then stops the upkeep. */
    @Override
    public void stop() {
        rooms.awaitRelayed(departuresWait);
        running = false;
        Thread t = ticker;
        if (t != null) {
            t.interrupt();
        }
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
    public boolean ratesItsOwnFrames() {
        return true;
    }

    @Override
    public String toString() {
        return "RoomsDialect[" + path.toLowerCase(Locale.ROOT) + "]";
    }
}
