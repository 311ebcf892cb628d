/**
 * Rotation that reaches the workloads: which ExternalSecrets (declared in Git and live in a cluster) read a secret,
 * which workloads consume the Secrets they generate, and pushing a new version through them (force-sync, a
 * value-free comparison of the generated Secret, and an opt-in rolling restart).
 */
package io.jenkins.plugins.kmssecrets.rotation;
