/** Dagger wiring: the one component and one module per adapter; the only place that picks adapters. */
package io.relaymesh.bootstrap.wiring;
