/** Topics (Pulsar Relay): publishing to retained topics, per-client acks, replay on reconnect and long-poll waiters, independent of any wire format. */
package io.relaymesh.application.dialect.topics;
