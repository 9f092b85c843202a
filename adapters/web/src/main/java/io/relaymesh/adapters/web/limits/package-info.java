/** Per-client bounds at the edge: header deadlines, per-IP caps and rates, the client IP behind proxies. */
package io.relaymesh.adapters.web.limits;
