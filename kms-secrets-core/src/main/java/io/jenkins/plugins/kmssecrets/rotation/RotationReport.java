package io.jenkins.plugins.kmssecrets.rotation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenkins.plugins.kmssecrets.report.TextTable;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The outcome of a rotation: the secret with its old and new version, then one step per ExternalSecret and workload
 * in the order they were handled. Renders as a table, JSON or JUnit XML; none of them holds a value.
 *
 * @param secret     {@code store:name[#property]}
 * @param oldVersion the version before, or {@code null}
 * @param newVersion the version written, or {@code null} (dry run, or a backend without versions)
 * @param steps      the steps
 * @param warnings   warnings from planning and pushing
 * @since 0.2.0
 */
public record RotationReport(String secret, String oldVersion, String newVersion, List<RotationStep> steps,
                             List<String> warnings) {

    public RotationReport {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    /** Whether every step succeeded. */
    public boolean isSuccess() {
        return steps.stream().allMatch(s -> s.outcome().isSuccess());
    }

    /** A heading line and a table: kind, namespace, name, result, duration, detail; then warnings. */
    public String toTable() {
        TextTable table = new TextTable("KIND", "NAMESPACE", "NAME", "RESULT", "DURATION", "DETAIL");
        for (RotationStep step : steps) {
            table.row(step.kind(), step.namespace(), step.name(), step.outcome().name(), seconds(step),
                    step.detail() == null ? "" : step.detail());
        }
        StringBuilder text = new StringBuilder("secret ").append(secret).append(": ")
                .append(oldVersion == null ? "-" : oldVersion).append(" -> ")
                .append(newVersion == null ? "-" : newVersion).append('\n').append(table.render());
        warnings.forEach(w -> text.append("warning: ").append(w).append('\n'));
        return text.toString();
    }

    /** JSON: secret, versions, success, steps, warnings. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("secret", secret);
        root.put("oldVersion", oldVersion);
        root.put("newVersion", newVersion);
        root.put("success", isSuccess());
        List<Map<String, Object>> items = new ArrayList<>();
        for (RotationStep step : steps) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", step.kind());
            item.put("namespace", step.namespace());
            item.put("name", step.name());
            item.put("result", step.outcome().name());
            item.put("durationMillis", step.duration().toMillis());
            item.put("detail", step.detail());
            items.add(item);
        }
        root.put("steps", items);
        root.put("warnings", warnings);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the rotation report as JSON", e);
        }
    }

    /** JUnit XML: one test case per step, class name {@code rotate.<kind>.<namespace>}. */
    public String toJunitXml() {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "kms-secrets rotate " + secret);
            xml.writeAttribute("tests", String.valueOf(steps.size()));
            xml.writeAttribute("failures", String.valueOf(steps.stream().filter(s -> !s.outcome().isSuccess())
                    .count()));
            xml.writeAttribute("errors", "0");
            for (RotationStep step : steps) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "rotate." + step.kind() + "." + step.namespace());
                xml.writeAttribute("name", step.name());
                xml.writeAttribute("time", String.format(Locale.ROOT, "%.3f", step.duration().toMillis() / 1000.0));
                if (!step.outcome().isSuccess()) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("type", step.outcome().name());
                    xml.writeAttribute("message", step.detail() == null ? step.outcome().name() : step.detail());
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot render the rotation report as JUnit XML", e);
        }
        return out + "\n";
    }

    private static String seconds(RotationStep step) {
        return String.format(Locale.ROOT, "%.1fs", step.duration().toMillis() / 1000.0);
    }
}
