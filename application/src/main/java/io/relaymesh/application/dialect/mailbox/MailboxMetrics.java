package io.relaymesh.application.dialect.mailbox;

/** What the mailbox counts (the seed's metric names, implemented at the edge). Thread-safe. */
public interface MailboxMetrics {
    /** A send (from a client or a backend) arrived. */
    void received();

    /** A message was stored durably. */
    void persisted();

    /** {@code count} messages went to a recipient's socket (pushed, replayed or pulled). */
    void delivered(int count);

    /** The sweeper removed {@code count} expired messages. */
    void expired(int count);

    /** The store failed an operation. */
    void storeError();

    MailboxMetrics NONE = new MailboxMetrics() {
        public void received() {
        }

        public void persisted() {
        }

        public void delivered(int count) {
        }

        public void expired(int count) {
        }

        public void storeError() {
        }
    };
}
