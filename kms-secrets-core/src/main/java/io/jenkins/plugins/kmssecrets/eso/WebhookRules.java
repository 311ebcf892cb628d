package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks ESO's admission webhook makes on an ExternalSecret beyond its schema: policy combinations that would
 * delete Secrets ESO does not own, {@code data}/{@code dataFrom} presence, one source per {@code dataFrom} entry, and
 * duplicate secret keys when the Secret is retained.
 *
 * @since 0.1.0
 */
public final class WebhookRules {

    private static final List<String> DATA_FROM_SOURCES = List.of("extract", "find", "sourceRef");

    private WebhookRules() {
    }

    /**
     * The problem with a creation/deletion policy pair, or {@code null}. {@code null} arguments mean ESO's defaults
     * (Owner, Retain).
     */
    public static String policyProblem(String creationPolicy, String deletionPolicy) {
        String creation = creationPolicy == null ? "Owner" : creationPolicy;
        String deletion = deletionPolicy == null ? "Retain" : deletionPolicy;
        if ("Delete".equals(deletion) && ("Merge".equals(creation) || "None".equals(creation))) {
            return "deletionPolicy Delete is not allowed with creationPolicy " + creation
                    + ": ESO would delete a Secret it does not own; use creationPolicy Owner or deletionPolicy Retain";
        }
        if ("Merge".equals(deletion) && "None".equals(creation)) {
            return "deletionPolicy Merge is not allowed with creationPolicy None: there is no Secret to merge into";
        }
        return null;
    }

    /** Adds a problem for every webhook rule {@code spec} breaks. */
    static void check(YamlNode spec, List<Problem> problems) {
        if (spec == null || !spec.isMapping()) {
            return;
        }
        YamlNode data = spec.get("data");
        YamlNode dataFrom = spec.get("dataFrom");
        boolean hasData = data != null && data.isSequence() && !data.items().isEmpty();
        boolean hasDataFrom = dataFrom != null && dataFrom.isSequence() && !dataFrom.items().isEmpty();
        if (!hasData && !hasDataFrom) {
            problems.add(new Problem(spec.location(), "either data or dataFrom must be set (ESO webhook)"));
        }
        YamlNode target = spec.get("target");
        String creation = scalar(target, "creationPolicy");
        String deletion = scalar(target, "deletionPolicy");
        String policy = policyProblem(creation, deletion);
        if (policy != null) {
            YamlNode at = target.get("deletionPolicy");
            problems.add(new Problem((at == null ? target : at).location(), policy + " (ESO webhook)"));
        }
        if (hasDataFrom) {
            for (YamlNode entry : dataFrom.items()) {
                if (!entry.isMapping()) {
                    continue;
                }
                long sources = DATA_FROM_SOURCES.stream().filter(s -> entry.get(s) != null && !entry.get(s).isNull())
                        .count();
                if (sources != 1) {
                    problems.add(new Problem(entry.location(), "each dataFrom entry needs exactly one of extract, "
                            + "find or sourceRef, found " + sources + " (ESO webhook)"));
                }
            }
        }
        if (hasData && (deletion == null || "Retain".equals(deletion))) {
            Map<String, YamlNode> seen = new HashMap<>();
            for (YamlNode entry : data.items()) {
                YamlNode key = entry.isMapping() ? entry.get("secretKey") : null;
                if (key == null || !key.isScalar()) {
                    continue;
                }
                YamlNode previous = seen.putIfAbsent(key.text(), key);
                if (previous != null) {
                    problems.add(new Problem(key.location(), "duplicate secretKey '" + key.text() + "' (first at line "
                            + previous.location().line() + "); not allowed with deletionPolicy Retain (ESO webhook)"));
                }
            }
        }
    }

    private static String scalar(YamlNode mapping, String key) {
        if (mapping == null || !mapping.isMapping()) {
            return null;
        }
        YamlNode value = mapping.get(key);
        return value != null && value.isScalar() && !value.isNull() ? value.text() : null;
    }
}
