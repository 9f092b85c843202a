/** The connection use cases wired to the Redis adapters as a cluster pod wires them, minus the sockets. */
package io.relaymesh.bench.state;
