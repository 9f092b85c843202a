/** Retained topic messages and per-consumer acks (the topics dialect's store port), whatever holds them. */
package io.relaymesh.domain.topics;
