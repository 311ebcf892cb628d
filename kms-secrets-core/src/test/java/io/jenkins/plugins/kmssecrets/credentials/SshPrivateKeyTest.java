package io.jenkins.plugins.kmssecrets.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import io.jenkins.plugins.kmssecrets.testing.TestKeys;
import org.junit.jupiter.api.Test;

class SshPrivateKeyTest {

    @Test
    void pemKeysAreRecognisedAndTheirEncryptionHeadersRead() {
        TestKeys.Entry rsa = TestKeys.selfSigned("RSA", "CN=k");
        String plain = TestKeys.pkcs1Pem(rsa.key());
        assertThat(SshPrivateKey.format(plain)).isEqualTo(SshPrivateKey.Format.PEM);
        assertThat(SshPrivateKey.isEncrypted(plain)).isFalse();
        String encrypted = TestKeys.encryptedPkcs1Pem(rsa.key(), "pass phrase");
        assertThat(SshPrivateKey.format(encrypted)).isEqualTo(SshPrivateKey.Format.PEM);
        assertThat(SshPrivateKey.isEncrypted(encrypted)).isTrue();
    }

    @Test
    void openSshKeysTellTheirCipher() {
        assertThat(SshPrivateKey.format(openSsh("none"))).isEqualTo(SshPrivateKey.Format.OPENSSH);
        assertThat(SshPrivateKey.isEncrypted(openSsh("none"))).isFalse();
        assertThat(SshPrivateKey.isEncrypted(openSsh("aes256-ctr"))).isTrue();
    }

    @Test
    void textThatIsNoKeyIsUnknown() {
        assertThat(SshPrivateKey.format("hunter2")).isEqualTo(SshPrivateKey.Format.UNKNOWN);
        assertThat(SshPrivateKey.format("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isEqualTo(SshPrivateKey.Format.UNKNOWN);
    }

    /** The head of an OpenSSH key container (magic, cipher name, then filler), enough to read the cipher. */
    private static String openSsh(String cipher) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
        byte[] name = cipher.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(new byte[] {0, 0, 0, (byte) name.length});
        out.writeBytes(name);
        out.writeBytes(new byte[32]);
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(out.toByteArray())
                + "\n-----END OPENSSH PRIVATE KEY-----\n";
    }
}
