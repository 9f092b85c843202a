package io.relaymesh.domain.mailbox;

import java.util.List;

/**
 * Where mailbox messages wait: durably, per recipient, oldest first, each until its recipient acks
 * it or it expires. Implementations are thread-safe; a fault of the storage is an unchecked
 * exception ({@code PortUnavailableException}), never a silent loss.
 */
public interface MailboxStore extends AutoCloseable {

    /** What an ack did. */
    enum Ack {
        /** The message was in the recipient's mailbox and is gone now. */
        REMOVED,
        /** No such message in this recipient's mailbox: unknown, acked already, expired, or someone else's. */
        NOT_FOUND
    }

    /**
     * Stores {@code message} durably (when this returns, it survives a crash of the process).
     * Idempotent: a message whose id is already stored is left as it is.
     *
     * @return true when it was stored now, false when it was already there
     */
    boolean store(MailboxMessage message);

    /** Up to {@code limit} unexpired messages waiting for {@code recipient}, oldest first. */
    List<MailboxMessage> pending(String recipient, int limit, long nowMillis);

    /** Removes message {@code id} from {@code recipient}'s mailbox, only if it is there. */
    Ack ack(String recipient, String id);

    /**
     * Removes up to {@code max} messages that expired at or before {@code nowMillis}, whoever they
     * were for.
     *
     * @return how many were removed (by this call: concurrent sweepers never count one twice)
     */
    int sweep(long nowMillis, int max);

    /** Why the store cannot serve right now, or null when it can. Cheap; never throws. */
    String problem();

    @Override
    void close();
}
