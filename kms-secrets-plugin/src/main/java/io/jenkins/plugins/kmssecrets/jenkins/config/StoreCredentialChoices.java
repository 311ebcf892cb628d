package io.jenkins.plugins.kmssecrets.jenkins.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.util.Collections;
import jenkins.model.Jenkins;

/**
 * The credentials a store's sign-in may pick on a configuration form: exactly those the store will find when it is
 * built ({@link StoreAuthentication}), that is the credentials of the form's context. On the global configuration
 * (no item in the request path) that is Jenkins' own credentials and needs {@link Jenkins#ADMINISTER}; on a folder's
 * configuration it is what the folder's items may use (its own, its parents' and the root's global-scope
 * credentials, never the root's SYSTEM-scope ones) and needs {@link Item#CONFIGURE} on the folder. Without the
 * permission only the current value is offered, as credentials-plugin's {@code StandardListBoxModel} conventions
 * ask. The kms-secrets provider is silenced: a store cannot sign in with its own secrets.
 */
public final class StoreCredentialChoices {

    private StoreCredentialChoices() {
    }

    /**
     * @param context        the item of the form ({@code @AncestorInPath Item}): a folder, or {@code null} for the
     *                       global configuration
     * @param currentValue   the id currently selected, kept in the list
     */
    public static ListBoxModel of(Item context, String currentValue) {
        String current = currentValue == null ? "" : currentValue;
        ItemGroup<?> group;
        if (context == null) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return new StandardListBoxModel().includeCurrentValue(current);
            }
            group = Jenkins.get();
        } else {
            if (!context.hasPermission(Item.CONFIGURE)) {
                return new StandardListBoxModel().includeCurrentValue(current);
            }
            group = context instanceof ItemGroup<?> itself ? itself : context.getParent();
        }
        return StoreAuthentication.resolving(() -> new StandardListBoxModel()
                .includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, group, StandardCredentials.class, Collections.emptyList(),
                        CredentialsMatchers.always())
                .includeCurrentValue(current));
    }
}
