package io.jenkins.plugins.kmssecrets.k8s;

import io.jenkins.plugins.kmssecrets.report.JsonReport;
import io.jenkins.plugins.kmssecrets.report.JunitReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a sync: one result per ExternalSecret (sorted by namespace and name), warnings, and how many
 * namespaces were worked on at once. Renders as a table, JSON or JUnit XML; none of them holds a value.
 *
 * @since 0.1.0
 */
public final class SyncReport {

    private final List<SyncResult> results;
    private final List<String> warnings;
    private final int maxConcurrentNamespaces;

    public SyncReport(List<SyncResult> results, List<String> warnings, int maxConcurrentNamespaces) {
        this.results = results.stream().sorted(Comparator.comparing(SyncResult::namespace)
                .thenComparing(SyncResult::name).thenComparing(r -> r.outcome().name())).toList();
        this.warnings = List.copyOf(warnings);
        this.maxConcurrentNamespaces = maxConcurrentNamespaces;
    }

    public List<SyncResult> results() {
        return results;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** The most namespaces that were being synced at the same time. */
    public int maxConcurrentNamespaces() {
        return maxConcurrentNamespaces;
    }

    /** Whether every resource succeeded. */
    public boolean isSuccess() {
        return results.stream().allMatch(r -> r.outcome().isSuccess());
    }

    /** A fixed-width table: namespace, name, store, result, duration, detail. */
    public String toTable() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAMESPACE", "NAME", "STORE", "RESULT", "DURATION", "DETAIL"});
        for (SyncResult r : results) {
            rows.add(new String[] {r.namespace(), r.name(), r.store(), r.outcome().name(), seconds(r),
                r.detail() == null ? "" : r.detail()});
        }
        int[] widths = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** JSON: {@code {"success":..., "results":[...], "warnings":[...]}}. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("success", isSuccess());
        List<Map<String, Object>> items = new ArrayList<>();
        for (SyncResult r : results) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("namespace", r.namespace());
            item.put("name", r.name());
            item.put("store", r.store());
            item.put("result", r.outcome().name());
            item.put("durationMillis", r.duration().toMillis());
            item.put("detail", r.detail());
            items.add(item);
        }
        root.put("results", items);
        root.put("warnings", warnings);
        return JsonReport.render(root, "the sync report");
    }

    /** JUnit XML: one test case per ExternalSecret, class name {@code eso.<namespace>}. */
    public String toJunitXml() {
        JunitReport junit = new JunitReport("kms-secrets eso sync");
        for (SyncResult r : results) {
            if (r.outcome().isSuccess()) {
                junit.passed("eso." + r.namespace(), r.name(), r.duration().toMillis());
            } else {
                junit.failed("eso." + r.namespace(), r.name(), r.duration().toMillis(), r.outcome().name(),
                        r.detail());
            }
        }
        return junit.render();
    }

    private static String seconds(SyncResult r) {
        return String.format(java.util.Locale.ROOT, "%.1fs", r.duration().toMillis() / 1000.0);
    }
}
