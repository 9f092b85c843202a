/** Contract tests every adapter of a state port must pass, shared by the in-memory and Redis adapters. */
package io.relaymesh.domain.port.contract;
