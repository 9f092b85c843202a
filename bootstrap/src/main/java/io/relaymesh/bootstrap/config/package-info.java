/**
 * Typed start-up configuration: built-in defaults, overlaid by the YAML file, overlaid by
 * {@code RELAYMESH_*} environment variables, validated in one pass into {@link
 * io.relaymesh.bootstrap.config.RelaymeshConfig} or a list of every problem found.
 */
package io.relaymesh.bootstrap.config;
