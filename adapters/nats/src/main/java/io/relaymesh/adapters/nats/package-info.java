/** NATS JetStream: stream and consumer provisioning, the inbound event source and the publisher. */
package io.relaymesh.adapters.nats;
