/** Start-up: configuration, wiring of adapters to ports, lifecycle and logging. */
package io.relaymesh.bootstrap;
