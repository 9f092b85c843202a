/** Error codes of the wire protocol and the domain's root exception. */
package io.relaymesh.domain.error;
