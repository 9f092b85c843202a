/** The primary (Daisi) protocol's wire details: its subjects, frames and close codes. */
package io.relaymesh.adapters.web.dialect.primary;
