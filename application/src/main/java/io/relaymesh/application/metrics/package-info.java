/** What the application reports about itself; implemented by a metrics adapter. */
package io.relaymesh.application.metrics;
