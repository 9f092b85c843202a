/** Micrometer (Prometheus) implementation of the application's metrics, and the dependency checks they export. */
package io.relaymesh.adapters.web.metrics;
