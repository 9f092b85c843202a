/** The browser dashboards: the user and admin pages served by the gateway itself. */
package io.relaymesh.adapters.web.dashboard;
