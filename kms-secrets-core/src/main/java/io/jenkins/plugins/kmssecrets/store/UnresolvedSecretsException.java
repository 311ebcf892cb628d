package io.jenkins.plugins.kmssecrets.store;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * References of one run that could not be fetched, each with its reason. Every failing reference is named, with its
 * version and property: references that failed for one reason in one store (an outage, a rejected sign-in, an
 * untrusted certificate) are grouped under that reason, never dropped.
 *
 * <p>{@link #getMessage()} is one line holding every group; {@link #lines()} has one line per group for printing.
 *
 * @since 0.2.0
 */
public final class UnresolvedSecretsException extends SecretStoreException {

    private static final long serialVersionUID = 1L;

    private final transient List<Failure> failures;
    private final int requested;

    /**
     * @param failures  one per failing label, in request order
     * @param requested how many labels the run asked for
     */
    public UnresolvedSecretsException(List<Failure> failures, int requested) {
        super(commonStore(failures), null, message(failures, requested), null);
        this.failures = List.copyOf(failures);
        this.requested = requested;
    }

    /** One per failing label, in request order. */
    public List<Failure> failures() {
        return failures;
    }

    /** How many labels the run asked for. */
    public int requested() {
        return requested;
    }

    /**
     * One line per distinct reason: {@code store 's', secrets 'a' (A), 'b#user' (B_USER): reason}. The reason is the
     * store's message without its subject; it names no value.
     */
    public List<String> lines() {
        return lines(failures);
    }

    /** Retryable only when every failure is. */
    @Override
    public boolean isRetryable() {
        return failures.stream().allMatch(f -> f.error().isRetryable());
    }

    private static List<String> lines(List<Failure> failures) {
        Map<List<Object>, List<Failure>> groups = new LinkedHashMap<>();
        for (Failure failure : failures) {
            SecretStoreException error = failure.error();
            groups.computeIfAbsent(Arrays.asList(error.getClass(), failure.reference().storeId(), reason(failure)),
                    key -> new ArrayList<>()).add(failure);
        }
        List<String> lines = new ArrayList<>();
        for (List<Failure> group : groups.values()) {
            // Labels by reference text, so that one reference used by two labels is named once.
            Map<String, List<String>> labels = new LinkedHashMap<>();
            for (Failure failure : group) {
                List<String> forReference = labels.computeIfAbsent(failure.secretText(), k -> new ArrayList<>());
                if (failure.label() != null && !failure.label().equals(failure.reference().name())) {
                    forReference.add(failure.label());
                }
            }
            StringBuilder line = new StringBuilder("store '").append(group.get(0).reference().storeId())
                    .append("', secret").append(labels.size() == 1 ? " " : "s ");
            String separator = "";
            for (Map.Entry<String, List<String>> entry : labels.entrySet()) {
                line.append(separator).append('\'').append(entry.getKey()).append('\'');
                if (!entry.getValue().isEmpty()) {
                    line.append(" (").append(String.join(", ", entry.getValue())).append(')');
                }
                separator = ", ";
            }
            lines.add(line.append(": ").append(reason(group.get(0))).toString());
        }
        return lines;
    }

    /** The store's message without its {@code store …, secret …:} subject. */
    private static String reason(Failure failure) {
        SecretStoreException error = failure.error();
        String detail = error.detail();
        String storePrefix = "store '" + failure.reference().storeId() + "': ";
        return detail != null && detail.startsWith(storePrefix) ? detail.substring(storePrefix.length()) : detail;
    }

    private static String message(List<Failure> failures, int requested) {
        return "could not fetch " + failures.size() + " of " + requested + " secret" + (requested == 1 ? "" : "s")
                + ": " + String.join("; ", lines(failures));
    }

    private static String commonStore(List<Failure> failures) {
        return failures.stream().map(f -> f.reference().storeId()).distinct().count() == 1
                ? failures.get(0).reference().storeId() : null;
    }

    /**
     * One label that could not be fetched.
     *
     * @param label     the label (environment variable) the run asked for
     * @param reference its reference, with version and property
     * @param error     why; the same instance for every label whose value one failed fetch was to provide
     */
    public record Failure(String label, SecretReference reference, SecretStoreException error) {

        public Failure {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(error, "error");
        }

        /** {@code name[@version][#property]}: the reference without its store. */
        public String secretText() {
            String text = reference.toString();
            return text.substring(reference.storeId().length() + 1);
        }
    }
}
