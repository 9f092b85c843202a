/** Connection lifecycle: exclusive sessions, local route membership, client messages. */
package io.relaymesh.application.connection;
