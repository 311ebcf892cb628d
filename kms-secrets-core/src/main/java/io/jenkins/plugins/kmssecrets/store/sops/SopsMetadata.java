package io.jenkins.plugins.kmssecrets.store.sops;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The plaintext {@code sops} section of a file.
 *
 * @param recipients       age recipients (from {@code age} or a single {@code key_groups} entry)
 * @param otherKeyTypes    non-age key types the file is also encrypted for ({@code kms}, {@code pgp}, ...)
 * @param lastModified     {@code lastmodified}, parsed
 * @param mac              the encrypted MAC ({@code ENC[...]})
 * @param rule             which values are encrypted
 * @param macOnlyEncrypted {@code mac_only_encrypted}
 * @param version          the sops version that wrote the file, or {@code null}
 */
record SopsMetadata(List<AgeRecipient> recipients, List<String> otherKeyTypes, OffsetDateTime lastModified,
                    String mac, EncryptionRule rule, boolean macOnlyEncrypted, String version) {

    /** The additional data the MAC is encrypted with: {@code lastmodified} as Go's RFC 3339 prints it. */
    String macAdditionalData() {
        return ValueType.rfc3339(lastModified);
    }
}
