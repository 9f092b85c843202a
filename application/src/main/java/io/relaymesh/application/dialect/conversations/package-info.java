/** The conversations dialect's use cases: who may join which conversation, typing, presence across pods, idle sockets and Pub/Sub ingestion. */
package io.relaymesh.application.dialect.conversations;
