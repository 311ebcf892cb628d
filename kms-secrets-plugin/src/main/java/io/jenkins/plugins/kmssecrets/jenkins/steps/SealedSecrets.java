package io.jenkins.plugins.kmssecrets.jenkins.steps;

import hudson.remoting.Channel;
import hudson.util.Secret;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The values one {@code withKmsSecrets} block injects, by variable name, in a form that can live in step state.
 *
 * <p>Serialization depends on where the object goes:
 * <ul>
 *   <li><b>to disk</b> ({@code program.dat}, so the block survives a controller restart): each value is written only
 *       as a Jenkins ciphertext ({@link Secret#getEncryptedValue()}, the controller's own key under
 *       {@code JENKINS_HOME/secrets}); no plaintext is written, and reading it back needs that controller;</li>
 *   <li><b>over Remoting</b> (the console masker travelling to an agent, detected by {@link Channel#current()} being
 *       set while serializing): the values travel as bytes inside the encrypted agent channel, because the agent must
 *       know them to mask them and has no access to the controller's key. An agent receives only the values of the
 *       block it runs, which it also receives as environment variables.</li>
 * </ul>
 * In memory the values are plain bytes; {@link #toString()} prints names only.
 */
final class SealedSecrets implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "kms:";

    private transient Map<String, byte[]> values;

    private SealedSecrets(Map<String, byte[]> values) {
        this.values = values;
    }

    /** Copies the values (the caller keeps, and should wipe, its own). */
    static SealedSecrets of(Map<String, SecretValue> secrets) {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        secrets.forEach((name, value) -> copy.put(name, value.bytes()));
        return new SealedSecrets(copy);
    }

    /** Variable names, in binding order. */
    Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(values.keySet()));
    }

    /** Fresh values by name; the caller owns them and should wipe them. */
    Map<String, SecretValue> open() {
        Map<String, SecretValue> opened = new LinkedHashMap<>();
        values.forEach((name, bytes) -> opened.put(name, SecretValue.ofBytes(bytes)));
        return opened;
    }

    /** Wipes every value of {@code opened}. */
    static void wipe(Map<String, SecretValue> opened) {
        opened.values().forEach(SecretValue::wipe);
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        boolean overChannel = Channel.current() != null;
        out.writeBoolean(overChannel);
        out.writeInt(values.size());
        for (Map.Entry<String, byte[]> entry : values.entrySet()) {
            out.writeObject(entry.getKey());
            if (overChannel) {
                out.writeObject(entry.getValue().clone());
            } else {
                String sealed = PREFIX + Base64.getEncoder().encodeToString(entry.getValue());
                out.writeObject(Secret.fromString(sealed).getEncryptedValue());
            }
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        boolean overChannel = in.readBoolean();
        int size = in.readInt();
        Map<String, byte[]> read = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String name = (String) in.readObject();
            if (overChannel) {
                read.put(name, (byte[]) in.readObject());
            } else {
                Secret secret = Secret.decrypt((String) in.readObject());
                if (secret == null || !secret.getPlainText().startsWith(PREFIX)) {
                    throw new IOException("the value of " + name + " cannot be decrypted with this controller's key; "
                            + "was JENKINS_HOME/secrets replaced?");
                }
                read.put(name, Base64.getDecoder().decode(secret.getPlainText().substring(PREFIX.length())));
            }
        }
        this.values = read;
    }

    /** Wipes the in-memory copies. */
    void wipe() {
        values.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
    }

    /** Names only. */
    @Override
    public String toString() {
        return "SealedSecrets" + values.keySet();
    }
}
