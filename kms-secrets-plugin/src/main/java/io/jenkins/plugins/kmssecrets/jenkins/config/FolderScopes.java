package io.jenkins.plugins.kmssecrets.jenkins.config;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * The folder side of store lookup. Only this class and {@link KmsFolderProperty} refer to cloudbees-folder (an
 * optional dependency), and they are only used after {@link #available()} said it is installed.
 */
final class FolderScopes {

    private FolderScopes() {
    }

    static boolean available() {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        return jenkins != null && jenkins.getPlugin("cloudbees-folder") != null;
    }

    /** The stores of the folders enclosing {@code group} (itself included), nearest first (folders without skipped). */
    static List<ConfiguredStores> enclosing(ItemGroup<?> group) {
        List<ConfiguredStores> layers = new ArrayList<>();
        ItemGroup<?> current = group;
        // Up to Jenkins (not an Item), through folders and other item groups (a matrix project inside a folder).
        while (current instanceof Item item) {
            if (current instanceof AbstractFolder<?> folder) {
                KmsFolderProperty property = folder.getProperties().get(KmsFolderProperty.class);
                if (property != null && !property.getStores().isEmpty()) {
                    layers.add(property.runtime());
                }
            }
            current = item.getParent();
        }
        return layers;
    }

    /** The folder's own stores when {@code object} is a folder with stores, else {@code null}. */
    static ConfiguredStores own(Object object) {
        if (object instanceof AbstractFolder<?> folder) {
            KmsFolderProperty property = folder.getProperties().get(KmsFolderProperty.class);
            return property == null || property.getStores().isEmpty() ? null : property.runtime();
        }
        return null;
    }

    /** The stores of the folder with this full name, or {@code null} when it does not exist or has none. */
    @SuppressWarnings("try") // the ACL context is what the body needs, not a variable
    static ConfiguredStores ofFolder(String fullName) {
        Item item;
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            item = Jenkins.get().getItemByFullName(fullName);
        }
        if (item instanceof AbstractFolder<?> folder) {
            KmsFolderProperty property = folder.getProperties().get(KmsFolderProperty.class);
            return property == null ? null : property.runtime();
        }
        return null;
    }
}
