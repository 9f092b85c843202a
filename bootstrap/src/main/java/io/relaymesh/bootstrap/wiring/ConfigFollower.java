package io.relaymesh.bootstrap.wiring;

import io.relaymesh.bootstrap.config.RelaymeshConfig;

/**
 * Settings a module derives from the configuration and a reload replaces (a dialect's limits, say):
 * registered into a set; a reload that changed something calls each with the configuration now in
 * force. Must not block.
 */
@FunctionalInterface
public interface ConfigFollower {
    void follow(RelaymeshConfig config);
}
