package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDeclaration;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretFiles;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretRenderer;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretsSection;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.ManifestParser;
import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kmsExternalSecretsDeclare(manifest: 'kms-secrets.yaml')}: renders the manifest's {@code externalSecrets}
 * section into {@code deploy/<app>/secrets/externalsecret-<name>.yaml} in the workspace, deterministically (an
 * unchanged file is not rewritten). Names and references only; no store is contacted. Returns the number of files
 * that changed.
 */
public final class EsoDeclareStep extends OperationStep<Integer> {

    static final String FUNCTION = "kmsExternalSecretsDeclare";

    private String manifest = ManifestParser.DEFAULT_FILE;

    @DataBoundConstructor
    public EsoDeclareStep() {
    }

    public String getManifest() {
        return manifest;
    }

    @DataBoundSetter
    public void setManifest(String manifest) {
        this.manifest = StepParameters.trimmedOr(manifest, ManifestParser.DEFAULT_FILE);
    }

    @Override
    protected Outcome<Integer> call(Call call) throws Exception {
        FilePath workspace = call.workspace();
        FilePath file = workspace.child(manifest);
        if (!file.exists() || file.length() > YamlInput.DEFAULT_MAX_BYTES) {
            throw call.abort("manifest " + manifest + " is missing or larger than " + YamlInput.DEFAULT_MAX_BYTES
                    + " bytes");
        }
        List<ExternalSecretDeclaration> declarations;
        try {
            Manifest parsed = new ManifestParser(StoreTypes.installed()).parse(Path.of(manifest),
                    file.readToString(), manifest);
            Set<String> storeIds = new TreeSet<>();
            parsed.stores().stream().map(StoreDefinition::id).forEach(storeIds::add);
            declarations = ExternalSecretsSection.parse(parsed.externalSecrets(), storeIds);
        } catch (ProblemsException e) {
            for (Problem problem : e.problems()) {
                call.listener().error(problem.toString());
            }
            throw call.abort(e.getMessage());
        }
        int changed = 0;
        for (ExternalSecretDeclaration declaration : declarations) {
            String relative = ExternalSecretFiles.relativePath(declaration).toString().replace('\\', '/');
            if (relative.contains("..")) {
                throw call.abort("refusing to write outside the workspace: " + relative);
            }
            FilePath target = workspace.child(relative);
            String content = ExternalSecretRenderer.toYaml(declaration);
            if (target.readLink() == null && target.exists() && content.equals(target.readToString())) {
                call.log().println("unchanged " + relative);
                continue;
            }
            call.write(relative, content);
            call.log().println("wrote " + relative);
            changed++;
        }
        return Outcome.of(changed).note(FUNCTION + ": " + declarations.size() + " ExternalSecret(s), " + changed
                + " file(s) changed");
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends OperationDescriptor {

        public DescriptorImpl() {
            super(FUNCTION, true, "manifest");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EsoDeclareStep_displayName();
        }
    }
}
