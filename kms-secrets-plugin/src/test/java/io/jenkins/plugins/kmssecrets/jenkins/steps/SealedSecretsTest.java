package io.jenkins.plugins.kmssecrets.jenkins.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * What the block's step state holds when Pipeline writes it to {@code program.dat}: ciphertext only, readable back
 * on the same controller (a restart), and still masking after the round trip.
 */
@WithJenkins
class SealedSecretsTest {

    private static final String VALUE = "sealed-value-5e21b0";

    @Test
    void diskFormHoldsNoPlaintextAndReadsBack(JenkinsRule r) throws Exception {
        SealedSecrets sealed = SealedSecrets.of(Map.of("TOKEN", SecretValue.ofString(VALUE)));
        byte[] written = serialize(sealed);
        assertFalse(new String(written, StandardCharsets.ISO_8859_1).contains(VALUE), "plaintext in program.dat form");
        SealedSecrets back = (SealedSecrets) deserialize(written);
        Map<String, SecretValue> opened = back.open();
        assertEquals(VALUE, opened.get("TOKEN").asString());
        SealedSecrets.wipe(opened);
    }

    @Test
    void decoratorMasksAfterARestartRoundTrip(JenkinsRule r) throws Exception {
        SealedSecrets sealed = SealedSecrets.of(Map.of("TOKEN", SecretValue.ofString(VALUE)));
        MaskingDecorator back = (MaskingDecorator) deserialize(serialize(new MaskingDecorator(sealed, "UTF-8")));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (OutputStream out = back.decorate(log)) {
            out.write(("token=" + VALUE + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("token=****\n", log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void toStringNamesVariablesOnly(JenkinsRule r) {
        SealedSecrets sealed = SealedSecrets.of(Map.of("TOKEN", SecretValue.ofString(VALUE)));
        assertEquals("SealedSecrets[TOKEN]", sealed.toString());
        assertTrue(new SecretEnvironment(sealed).getSensitiveVariables().contains("TOKEN"));
        assertFalse(new MaskingDecorator(sealed, "UTF-8").toString().contains(VALUE));
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }
}
