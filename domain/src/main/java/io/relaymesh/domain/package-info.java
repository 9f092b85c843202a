/** The Relaymesh domain: value objects, expected outcomes and ports; imports java.* only. */
package io.relaymesh.domain;
