package io.relaymesh.application.dialect.conversations;

/** What the conversations dialect counts beside the core's dialect metrics. Thread-safe. */
public interface ConversationsMetrics {
    void typing(String state);

    void presenceChanged(String status);

    void pubSub(String outcome);

    void idleClosed();

    ConversationsMetrics NONE = new ConversationsMetrics() {
        public void typing(String state) {
        }

        public void presenceChanged(String status) {
        }

        public void pubSub(String outcome) {
        }

        public void idleClosed() {
        }
    };
}
