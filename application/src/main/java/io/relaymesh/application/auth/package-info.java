/** Authentication of connections (API key + token) and issuing of tokens. */
package io.relaymesh.application.auth;
