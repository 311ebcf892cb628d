package io.jenkins.plugins.kmssecrets.store.sops;

/**
 * One {@code sops.age} entry: a recipient's public key and the file's data key encrypted to it as an (armoured) age
 * file. Neither is secret.
 */
record AgeRecipient(String recipient, String enc) {
}
