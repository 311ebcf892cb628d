package io.jenkins.plugins.kmssecrets.store.sops;

import java.util.List;

/**
 * One value of a SOPS file, in document order.
 *
 * @param address   keys ({@link String}) and list indices ({@link Integer}) from the root
 * @param keys      the mapping keys only: what sops authenticates the value with and applies rules to
 * @param encrypted whether the file's rule says this value is encrypted
 * @param scalar    the value as written (an {@code ENC[...]} string when encrypted)
 */
record SopsLeaf(List<Object> address, List<String> keys, boolean encrypted, SopsTree.Scalar scalar) {

    /** The reference name of this value. */
    String name() {
        return KeyPath.format(address);
    }

    int line() {
        return scalar.line();
    }

    /** {@code name} plus {@code (line N)} when the line is known, for error messages. */
    String where() {
        return "'" + name() + "'" + (line() > 0 ? " (line " + line() + ")" : "");
    }
}
