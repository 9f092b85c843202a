/** Event delivery: from a published event to the connections that should receive it. */
package io.relaymesh.application.delivery;
