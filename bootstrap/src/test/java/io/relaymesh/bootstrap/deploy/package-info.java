/**
 * Checks of the deployment files in {@code deploy/} (Dockerfile, Docker Compose, load balancer,
 * Kubernetes) against the configuration they feed, by reading them, since no container engine runs
 * the tests; and of the links between the README and the pages it leads to ({@code DocsLinksTest}),
 * which deploy/README.md is one of.
 */
package io.relaymesh.bootstrap.deploy;
