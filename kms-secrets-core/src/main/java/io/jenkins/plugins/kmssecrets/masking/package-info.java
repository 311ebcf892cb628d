/**
 * Streaming masking of secret values and their encoded forms: {@link io.jenkins.plugins.kmssecrets.masking.SecretMasker}
 * compiles a set of secrets once into an immutable multi-pattern automaton, and wraps any number of output streams with
 * it. See {@code docs/masking.md} for the forms and the streaming guarantees.
 *
 * @since 0.1.0
 */
package io.jenkins.plugins.kmssecrets.masking;
