/** Micrometer (Prometheus) implementation of the application's metrics. */
package io.relaymesh.adapters.web.metrics;
