/** The mailbox dialect's use case: durable messages with a time to live between wayfarers, pushed when online, pulled and acked. */
package io.relaymesh.application.dialect.mailbox;
