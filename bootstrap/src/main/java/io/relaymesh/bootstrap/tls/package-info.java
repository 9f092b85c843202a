/** TLS contexts of the pod's outgoing connections (Redis, NATS), built from the PEM files the configuration names. */
package io.relaymesh.bootstrap.tls;
