package io.jenkins.plugins.kmssecrets.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

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
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the sync report as JSON", e);
        }
    }

    /** JUnit XML: one test case per ExternalSecret, class name {@code eso.<namespace>}. */
    public String toJunitXml() {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "kms-secrets eso sync");
            xml.writeAttribute("tests", String.valueOf(results.size()));
            xml.writeAttribute("failures", String.valueOf(results.stream().filter(r -> !r.outcome().isSuccess())
                    .count()));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("time", String.format(java.util.Locale.ROOT, "%.3f",
                    results.stream().mapToLong(r -> r.duration().toMillis()).sum() / 1000.0));
            for (SyncResult r : results) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "eso." + r.namespace());
                xml.writeAttribute("name", r.name());
                xml.writeAttribute("time", String.format(java.util.Locale.ROOT, "%.3f",
                        r.duration().toMillis() / 1000.0));
                if (!r.outcome().isSuccess()) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("type", r.outcome().name());
                    xml.writeAttribute("message", r.detail() == null ? r.outcome().name() : r.detail());
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot render the sync report as JUnit XML", e);
        }
        return out + "\n";
    }

    private static String seconds(SyncResult r) {
        return String.format(java.util.Locale.ROOT, "%.1fs", r.duration().toMillis() / 1000.0);
    }
}
