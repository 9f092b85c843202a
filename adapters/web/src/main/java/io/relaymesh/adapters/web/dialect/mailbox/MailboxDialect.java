package io.relaymesh.adapters.web.dialect.mailbox;

import io.relaymesh.application.dialect.Admission;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSession;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.application.dialect.Handshake;
import io.relaymesh.application.dialect.mailbox.Mailbox;
import io.relaymesh.application.dialect.mailbox.MailboxPrincipal;
import io.relaymesh.application.dialect.mailbox.MailboxSettings;
import io.relaymesh.domain.mailbox.MailboxMessage;
import io.relaymesh.domain.model.Envelope;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The aethos-relay protocol (seed 000) on the shared core: {@code hello} → {@code hello_ok} (then
 * what waited is pushed), {@code send} → {@code send_ok} once stored, pushes as {@code message},
 * {@code ack}, {@code pull} → {@code messages}. Every bad frame gets an {@code error} frame naming
 * the problem and the socket stays open, as in the seed. Thread-safe.
 */
public final class MailboxDialect implements Dialect {
    private final Mailbox mailbox;
    private final Supplier<DialectSessions> sessions;
    private final String path;
    private final AutoCloseable background;

    /**
     * @param sessions   the shared sessions (a supplier: they are built after the dialects)
     * @param background what runs beside the sockets (the sweeper), closed with the dialect
     */
    public MailboxDialect(Mailbox mailbox, Supplier<DialectSessions> sessions, String path, AutoCloseable background) {
        this.mailbox = mailbox;
        this.sessions = sessions;
        this.path = path;
        this.background = background;
    }

    @Override
    public String name() {
        return "mailbox";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String firstFrameType() {
        return "hello";
    }

    @Override
    public Admission admit(Handshake handshake, String firstFrame) {
        if (firstFrame == null) {
            return new Admission.AwaitFirstFrame();
        }
        return switch (MailboxFrames.parse(firstFrame, mailbox.settings())) {
            case MailboxFrames.Client.Bad bad -> new Admission.Retry(MailboxFrames.error(bad.problem()));
            case MailboxFrames.Client.Hello hello -> switch (mailbox.hello(hello.wayfarerId(), hello.token())) {
                case Mailbox.Hello.Refused refused -> new Admission.Retry(MailboxFrames.error(refused.reason()));
                case Mailbox.Hello.Welcome welcome -> new Admission.Admitted(welcome.principal(),
                        List.of(welcome.principal().baseRoute()), MailboxFrames.HELLO_OK);
            };
            case MailboxFrames.Client other -> new Admission.Retry(MailboxFrames.error(
                    "not hello'd yet: send {\"type\":\"hello\",\"wayfarer_id\":\"...\"} first"));
        };
    }

    /** After {@code hello_ok}: what waits in the mailbox is pushed, oldest first, up to the pull limit. */
    @Override
    public void opened(DialectSession session) {
        mailbox.opened();
        String wayfarer = wayfarer(session);
        if (mailbox.pending(wayfarer, mailbox.settings().maxPullLimit()) instanceof Mailbox.Listed.Messages waiting) {
            for (MailboxMessage m : waiting.messages()) {
                reply(session, MailboxFrames.message(m.id(), m.from(), m.payloadB64(), m.atSeconds()));
            }
        }
    }

    @Override
    public void closed(DialectSession session) {
        mailbox.closed();
    }

    @Override
    public void onFrame(DialectSession session, String frame) {
        MailboxSettings settings = mailbox.settings();
        String wayfarer = wayfarer(session);
        switch (MailboxFrames.parse(frame, settings)) {
            case MailboxFrames.Client.Bad bad -> reply(session, MailboxFrames.error(bad.problem()));
            case MailboxFrames.Client.Hello hello -> reply(session, MailboxFrames.error(
                    "already hello'd as " + wayfarer + "; open another connection for another wayfarer_id"));
            case MailboxFrames.Client.Send send -> {
                switch (mailbox.send(wayfarer, send.to(), send.ttlSeconds(), send.payloadB64())) {
                    case Mailbox.Sent.Stored stored -> reply(session, MailboxFrames.sendOk(stored.message()));
                    case Mailbox.Sent.Unavailable unavailable -> reply(session, MailboxFrames.error(unavailable.reason()));
                }
            }
            case MailboxFrames.Client.Ack ack -> {
                switch (mailbox.ack(wayfarer, ack.msgId())) {
                    case Mailbox.Acked.Removed removed -> {
                        // The seed answers nothing to an ack.
                    }
                    case Mailbox.Acked.NotFound notFound -> reply(session, MailboxFrames.error("msg_id " + ack.msgId()
                            + " is not in your mailbox (unknown, already acked, expired, or sent to someone else)"));
                    case Mailbox.Acked.Unavailable unavailable -> reply(session, MailboxFrames.error(unavailable.reason()));
                }
            }
            case MailboxFrames.Client.Pull pull -> {
                int limit = pull.limit() == 0 ? settings.defaultPullLimit() : pull.limit();
                switch (mailbox.pending(wayfarer, limit)) {
                    case Mailbox.Listed.Messages listed -> reply(session, MailboxFrames.messages(listed.messages()));
                    case Mailbox.Listed.Unavailable unavailable -> reply(session, MailboxFrames.error(unavailable.reason()));
                }
            }
        }
    }

    /** A push: the same bytes for every connection of the recipient on this pod, counted once. */
    @Override
    public byte[] render(Envelope envelope) {
        mailbox.delivered(1);
        String at = envelope.attribute(Mailbox.AT);
        return MailboxFrames.message(envelope.id(), envelope.attribute(Mailbox.FROM), envelope.payloadText(),
                at == null ? envelope.publishedAtMillis() / 1000 : Long.parseLong(at)).getBytes(StandardCharsets.UTF_8);
    }

    /** Stops the sweeper and closes the store, once the sockets are closed. */
    @Override
    public void stop() {
        try {
            background.close();
        } catch (Exception e) {
            throw new IllegalStateException("the mailbox sweeper did not stop", e);
        } finally {
            mailbox.close();
        }
    }

    private void reply(DialectSession session, String frame) {
        sessions.get().send(session.session(), frame);
    }

    private static String wayfarer(DialectSession session) {
        return ((MailboxPrincipal) session.session().principal()).wayfarerId();
    }
}
