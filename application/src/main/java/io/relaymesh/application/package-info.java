/** Relaymesh use cases and policies; imports the domain only. */
package io.relaymesh.application;
