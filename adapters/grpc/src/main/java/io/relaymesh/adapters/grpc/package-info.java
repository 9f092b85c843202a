/** Pod-to-pod delivery over gRPC: the Deliver server and the circuit-broken, batching forwarder. */
package io.relaymesh.adapters.grpc;
