/**
 * The SOPS store: reads files encrypted by <a href="https://github.com/getsops/sops">sops</a> 3.x whose data key is
 * wrapped for age recipients, offline. Key paths and metadata are plaintext in such files, so listing needs no key;
 * fetching unwraps the data key with an age identity, decrypts every value and verifies the file MAC.
 *
 * @since 0.1.0
 */
package io.jenkins.plugins.kmssecrets.store.sops;
