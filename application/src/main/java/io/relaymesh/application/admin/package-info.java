/** What operators ask of the whole cluster: its pods and their stats, the sessions and routes, and kicking a session. */
package io.relaymesh.application.admin;
