/** Pod-to-pod delivery over gRPC: one warm, flow-controlled stream per peer, its server, and the legacy unary Deliver. */
package io.relaymesh.adapters.grpc;
