/** The behaviour every {@link io.relaymesh.domain.topics.TopicLog} adapter must show, run against each. */
package io.relaymesh.domain.topics.contract;
