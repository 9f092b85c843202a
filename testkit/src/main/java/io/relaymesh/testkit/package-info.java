/** Test support: real Redis and NATS JetStream processes (or given addresses) for integration tests. */
package io.relaymesh.testkit;
