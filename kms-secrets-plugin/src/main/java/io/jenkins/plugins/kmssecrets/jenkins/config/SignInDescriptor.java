package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * What the descriptors of every sign-in mode share: the credential list of their {@code credentialsId} field and
 * the "Test connection" button of their form, which tests the store being edited with this mode.
 *
 * @param <T> the store type's sign-in base class
 */
public abstract class SignInDescriptor<T extends Describable<T>> extends Descriptor<T> {

    protected SignInDescriptor() {
    }

    /** The same list as the store's own credential field, in the form's context (global page or folder). */
    public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
        return StoreCredentialChoices.of(item, credentialsId);
    }

    /**
     * Tests the store with this mode. The button sends the store's fields and this mode's fields as form parameters
     * (only the ones the form names, so a mode the user switched away from never contributes); both are bound with
     * Stapler's data binding like a form save, the secret still resolved only through the Jenkins credential id.
     */
    @POST
    public FormValidation doTestConnection(@AncestorInPath Item item, StaplerRequest2 req) {
        ItemGroup<?> context = KmsStoreConfig.KmsStoreDescriptor.checkConfigure(item);
        JSONObject form = KmsStoreConfig.KmsStoreDescriptor.submittedFields(req);
        return KmsStoreConfig.KmsStoreDescriptor.testConnection(candidate(req, form, req.bindJSON(clazz, form)),
                context);
    }

    /** The descriptors of {@code type}'s modes, those named in {@code order} first in that order. */
    static <T extends Describable<T>> List<Descriptor<T>> ordered(Class<T> type, List<?> order) {
        List<Descriptor<T>> all = new ArrayList<>(Jenkins.get().getDescriptorList(type));
        all.sort(Comparator.comparingInt(d -> order.contains(d.clazz) ? order.indexOf(d.clazz) : order.size()));
        return all;
    }

    /** The store being edited (its own fields from {@code form}) signing in with {@code signIn}. */
    protected abstract KmsStoreConfig candidate(StaplerRequest2 req, JSONObject form, T signIn);
}
