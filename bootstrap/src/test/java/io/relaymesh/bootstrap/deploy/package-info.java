/**
 * Checks of the deployment files in {@code deploy/} (Dockerfile, Docker Compose, load balancer,
 * Kubernetes) against the configuration they feed, by reading them, since no container engine runs
 * the tests.
 */
package io.relaymesh.bootstrap.deploy;
