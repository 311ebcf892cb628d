package io.jenkins.plugins.kmssecrets.doctor;

/**
 * What {@link StoreDoctor} found about one store: its sign-in, whether it answered a value-free call, and the command
 * that fixes what is missing. Holds names, paths and messages only, never a secret value or credential.
 *
 * @param storeId the store id
 * @param type    the store type, or {@code none} for a store the environment sets to {@code none}
 * @param origin  {@code environment <name>}, {@code base} or {@code none in environment <name>}
 * @param signIn  the sign-in finding; {@code null} for a store set to {@code none}
 * @param answer  whether the store answered
 * @param detail  what the answer proved (for example {@code 3 secrets listed}) or why it failed or was not tried
 * @param fix     the command to run, or {@code null} when nothing is missing
 * @since 0.2.0
 */
public record StoreDiagnosis(String storeId, String type, String origin, SignInFinding signIn, Answer answer,
                             String detail, String fix) {

    /** Whether the store answered a value-free call. */
    public enum Answer {
        /** It answered: the address, the credentials and the listing (or data-key) permission work. */
        YES,
        /** It was asked and failed. */
        NO,
        /** It was not asked, because its sign-in is missing. */
        NOT_TRIED,
        /** The environment sets the store to {@code none}: nothing to ask. */
        NONE;

        /** As shown in reports: {@code yes}, {@code no}, {@code not tried}, {@code none}. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** Whether something is missing: no sign-in, or no answer. */
    public boolean problem() {
        return answer == Answer.NO || answer == Answer.NOT_TRIED;
    }
}
