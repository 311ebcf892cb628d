/**
 * {@code kms-secrets doctor}: per store, how it would sign in and where that credential comes from (found without
 * reading it), whether the store answers a value-free call, and the command that fixes what is missing.
 */
package io.jenkins.plugins.kmssecrets.doctor;
