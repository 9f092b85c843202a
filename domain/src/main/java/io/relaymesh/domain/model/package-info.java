/** Value objects of the gateway: identities, keys, subjects, events and token claims. */
package io.relaymesh.domain.model;
