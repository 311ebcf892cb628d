package io.jenkins.plugins.kmssecrets.rotation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenkins.plugins.kmssecrets.report.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a rotation touches, found before anything is written: the ExternalSecrets declared in Git and live in
 * the cluster that read the secret, and the workloads that consume the Secrets those generate.
 *
 * @param secret    the secret rotated
 * @param declared  consumers declared under {@code deploy/<app>/secrets/}, sorted by file
 * @param live      consumers in the cluster (every namespace the context can list), sorted by namespace and name;
 *                  empty without a cluster
 * @param workloads workloads consuming the affected live consumers' Secrets, sorted by namespace, kind and name
 * @param warnings  parts that could not be evaluated, one line each
 * @param cluster   whether a cluster was asked
 * @since 0.2.0
 */
public record RotationPlan(RotatedSecret secret, List<ExternalSecretConsumer> declared,
                           List<ExternalSecretConsumer> live, List<WorkloadConsumer> workloads,
                           List<String> warnings, boolean cluster) {

    public RotationPlan {
        Objects.requireNonNull(secret, "secret");
        declared = List.copyOf(declared);
        live = List.copyOf(live);
        workloads = List.copyOf(workloads);
        warnings = List.copyOf(warnings);
    }

    /** The live consumers whose Secret changes with this rotation. */
    public List<ExternalSecretConsumer> affectedLive() {
        return live.stream().filter(ExternalSecretConsumer::affected).toList();
    }

    /** The plan for people: the declared and live ExternalSecrets, then the workloads, then warnings. */
    public String toTable() {
        StringBuilder text = new StringBuilder("rotation plan for ").append(secret.describe()).append('\n');
        text.append("\nExternalSecrets declared in Git (").append(declared.size()).append("):\n");
        text.append(declared.isEmpty() ? "  (none)\n" : consumers(declared, true));
        text.append("\nExternalSecrets in the cluster (").append(cluster ? String.valueOf(live.size())
                : "not asked: no cluster given").append("):\n");
        if (cluster) {
            text.append(live.isEmpty() ? "  (none)\n" : consumers(live, false));
        }
        text.append("\nWorkloads consuming their Secrets (").append(workloads.size()).append("):\n");
        if (workloads.isEmpty()) {
            text.append("  (none)\n");
        } else {
            TextTable table = new TextTable("KIND", "NAMESPACE", "NAME", "SECRET", "ON ROTATION", "USES");
            for (WorkloadConsumer w : workloads) {
                table.row(w.kind(), w.namespace(), w.name(), w.secret(), onRotation(w), String.join("; ", w.usages()));
            }
            text.append(table.render());
        }
        warnings.forEach(w -> text.append("warning: ").append(w).append('\n'));
        return text.toString();
    }

    /** What happens to a workload: restart needed, or the value arrives by itself. */
    static String onRotation(WorkloadConsumer workload) {
        if (!workload.restartable()) {
            return "next run";
        }
        return workload.needsRestart() ? "restart" : "in place";
    }

    private static String consumers(List<ExternalSecretConsumer> consumers, boolean withFile) {
        TextTable table = withFile ? new TextTable("FILE", "NAMESPACE", "NAME", "SECRET", "USES")
                : new TextTable("NAMESPACE", "NAME", "SECRET", "USES");
        for (ExternalSecretConsumer c : consumers) {
            String uses = String.join("; ", c.uses().stream().map(ExternalSecretUse::describe).toList())
                    + (c.createdOnce() ? " [refreshPolicy CreatedOnce: force-sync ignored]" : "");
            if (withFile) {
                table.row(c.file(), c.namespace(), c.name(), c.targetSecret(), uses);
            } else {
                table.row(c.namespace(), c.name(), c.targetSecret(), uses);
            }
        }
        return table.render();
    }

    /** The plan for machines. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("secret", secret.describe());
        root.put("declared", consumersJson(declared));
        root.put("cluster", cluster);
        root.put("live", consumersJson(live));
        List<Map<String, Object>> items = new ArrayList<>();
        for (WorkloadConsumer w : workloads) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", w.kind());
            item.put("namespace", w.namespace());
            item.put("name", w.name());
            item.put("secret", w.secret());
            item.put("onRotation", onRotation(w));
            item.put("usages", w.usages());
            items.add(item);
        }
        root.put("workloads", items);
        root.put("warnings", warnings);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the rotation plan as JSON", e);
        }
    }

    private static List<Map<String, Object>> consumersJson(List<ExternalSecretConsumer> consumers) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (ExternalSecretConsumer c : consumers) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("file", c.file());
            item.put("namespace", c.namespace());
            item.put("name", c.name());
            item.put("secret", c.targetSecret());
            item.put("affected", c.affected());
            item.put("refreshPolicy", c.refreshPolicy());
            item.put("uses", c.uses().stream().map(ExternalSecretUse::describe).toList());
            items.add(item);
        }
        return items;
    }
}
