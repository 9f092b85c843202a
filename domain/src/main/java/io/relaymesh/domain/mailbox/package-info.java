/** The mailbox dialect's stored messages and the port of the durable store that keeps them until acked or expired. */
package io.relaymesh.domain.mailbox;
