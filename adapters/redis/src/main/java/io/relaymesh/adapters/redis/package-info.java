/** Redis (Jedis) implementations of the cluster-state ports: locks, kill switch, routes, pods, token cache. */
package io.relaymesh.adapters.redis;
