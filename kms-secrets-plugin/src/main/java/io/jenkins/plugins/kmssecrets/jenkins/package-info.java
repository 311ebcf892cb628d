/**
 * Thin Jenkins glue over the kms-secrets engine: global configuration, the read-only credentials store, the
 * {@code withKmsSecrets}, {@code kmsSmokeTest} and External Secrets steps. Decisions that do not need Jenkins are made
 * (and tested) in {@code kms-secrets-core}.
 */
package io.jenkins.plugins.kmssecrets.jenkins;
