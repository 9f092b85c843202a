/** HTTP endpoints: token issuing, publishing, health, readiness, metrics, the admin API and the dashboards' defaults. */
package io.relaymesh.adapters.web.http;
