/** HTTP endpoints: token issuing, publishing, health, readiness and metrics. */
package io.relaymesh.adapters.web.http;
