package io.jenkins.plugins.kmssecrets.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import io.jenkins.plugins.kmssecrets.testing.TestKeys;
import org.junit.jupiter.api.Test;

class CertificateKeyStoreTest {

    private static final char[] NONE = new char[0];
    private static TestKeys.Entry rsa;
    private static TestKeys.Entry ec;
    private static TestKeys.Entry other;

    @BeforeAll
    static void keys() {
        rsa = TestKeys.selfSigned("RSA", "CN=rsa");
        ec = TestKeys.selfSigned("EC", "CN=ec");
        other = TestKeys.selfSigned("EC", "CN=other");
    }

    @Test
    void pemKeyAndChainBecomeAKeyStoreWhoseLeafMatchesTheKey() throws Exception {
        // Chain first, key last: the order in the value does not matter.
        String pem = TestKeys.certificatePem(other.certificate()) + TestKeys.certificatePem(rsa.certificate())
                + TestKeys.pkcs8Pem(rsa.key());
        KeyStore store = CertificateKeyStore.load(bytes(pem), NONE, "s", "cert");
        assertThat(store.isKeyEntry(CertificateKeyStore.ALIAS)).isTrue();
        assertThat(((X509Certificate) store.getCertificateChain(CertificateKeyStore.ALIAS)[0])
                .getSubjectX500Principal().getName()).isEqualTo("CN=rsa");
        // The unrelated certificate is not the leaf's issuer, so it stays out of the chain.
        assertThat(store.getCertificateChain(CertificateKeyStore.ALIAS)).hasSize(1);
        assertThat(store.getKey(CertificateKeyStore.ALIAS, NONE).getEncoded()).isEqualTo(rsa.key().getEncoded());
    }

    @Test
    void pkcs1RsaAndSec1EcKeysAreAccepted() throws Exception {
        String rsaPem = TestKeys.pkcs1Pem(rsa.key()) + TestKeys.certificatePem(rsa.certificate());
        assertThat(CertificateKeyStore.load(bytes(rsaPem), NONE, "s", "c").getKey(CertificateKeyStore.ALIAS, NONE)
                .getEncoded()).isEqualTo(rsa.key().getEncoded());
        String ecPem = TestKeys.sec1Pem(ec.key()) + TestKeys.certificatePem(ec.certificate());
        assertThat(CertificateKeyStore.load(bytes(ecPem), NONE, "s", "c").isKeyEntry(CertificateKeyStore.ALIAS))
                .isTrue();
    }

    @Test
    void anAssembledKeyStoreTakesTheGivenPassword() throws Exception {
        char[] password = "store-pw".toCharArray();
        String pem = TestKeys.pkcs8Pem(ec.key()) + TestKeys.certificatePem(ec.certificate());
        KeyStore store = CertificateKeyStore.load(bytes(pem), password, "s", "c");
        assertThat(store.getKey(CertificateKeyStore.ALIAS, password)).isNotNull();
    }

    @Test
    void pkcs12IsKeptAsItIsRawOrBase64AndOpensWithItsPassword() throws Exception {
        char[] password = "p12-pw".toCharArray();
        KeyStore source = KeyStore.getInstance("PKCS12");
        source.load(null, null);
        source.setKeyEntry("e", ec.key(), password, new java.security.cert.Certificate[] {ec.certificate()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.store(out, password);
        byte[] raw = out.toByteArray();
        assertThat(CertificateKeyStore.pkcs12(raw, password, "s", "c")).isEqualTo(raw);
        byte[] base64 = Base64.getMimeEncoder().encode(raw);
        assertThat(CertificateKeyStore.load(base64, password, "s", "c").isKeyEntry("e")).isTrue();
        assertThatThrownBy(() -> CertificateKeyStore.load(raw, NONE, "s", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("an empty password");
    }

    @Test
    void pemWithoutAMatchingCertificateIsRefusedByShapeNeverContent() {
        String pem = TestKeys.pkcs8Pem(rsa.key()) + TestKeys.certificatePem(other.certificate());
        assertThatThrownBy(() -> CertificateKeyStore.pkcs12(bytes(pem), NONE, "store", "cert"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no certificate of the PEM matches its private key")
                .hasMessageContaining("cert")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pem.substring(30, 60)));
        assertThatThrownBy(() -> CertificateKeyStore.pkcs12(bytes(TestKeys.certificatePem(rsa.certificate())),
                NONE, "store", "cert")).hasMessageContaining("no private key");
        assertThatThrownBy(() -> CertificateKeyStore.pkcs12(bytes(TestKeys.pkcs8Pem(rsa.key())), NONE, "store",
                "cert")).hasMessageContaining("no certificate");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
