/** Runtime settings of the use cases, replaceable at run time (hot reload). */
package io.relaymesh.application.settings;
