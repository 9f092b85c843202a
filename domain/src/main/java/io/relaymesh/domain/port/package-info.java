/** Ports: the capabilities the application needs from the outside world, named by capability. */
package io.relaymesh.domain.port;
