package io.jenkins.plugins.kmssecrets.check;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kmssecrets.report.TextTable;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * How a {@link CheckReport} is written: a table for people, JSON for scripts, JUnit XML (one test case per secret)
 * for Jenkins' {@code junit} step. Each says which {@link CheckMode} ran and, per secret, whether the read
 * permission was verified. Every format holds names, versions and dates only; a check never has values.
 * Output is deterministic for a given report.
 *
 * @since 0.1.0
 */
public enum CheckReportFormat {

    /** Aligned columns and a summary line. */
    TABLE {
        @Override
        public String render(CheckReport report) {
            TextTable table = new TextTable("SECRET", "STORE", "NAME", "STATUS", "VERSION", "UPDATED", "EXPIRES",
                    "READABLE", "DETAIL");
            for (CheckResult r : report.results()) {
                String expires = r.expiresOn() == null ? null
                        : DAY.format(r.expiresOn()) + " (" + r.daysLeft() + "d)";
                table.row(r.label(), r.storeId(), r.name(), r.status(), shortVersion(r.version()),
                        r.updated() == null ? null : DAY.format(r.updated()), expires, r.readable().label(),
                        r.detail());
            }
            String note = report.readNote();
            return table.render() + "\n" + report.summary() + "\n" + (note == null ? "" : note + "\n");
        }
    },

    /** {@code {"checkedAt":…, "summary":{…}, "results":[…]}}. */
    JSON {
        @Override
        public String render(CheckReport report) {
            ObjectNode root = MAPPER.createObjectNode();
            root.put("checkedAt", report.checkedAt().toString());
            root.put("mode", report.mode().label());
            ObjectNode summary = root.putObject("summary");
            summary.put("total", report.results().size());
            for (CheckStatus status : CheckStatus.values()) {
                summary.put(status.name().toLowerCase(Locale.ROOT), report.count(status));
            }
            summary.put("readNotVerified", report.notVerified());
            ArrayNode results = root.putArray("results");
            for (CheckResult r : report.results()) {
                ObjectNode node = results.addObject();
                node.put("secret", r.label());
                node.put("reference", r.reference());
                node.put("store", r.storeId());
                node.put("name", r.name());
                node.put("status", r.status().name());
                node.put("detail", r.detail());
                node.put("version", r.version());
                node.put("updated", text(r.updated()));
                node.put("expiresOn", text(r.expiresOn()));
                if (r.daysLeft() == null) {
                    node.putNull("daysLeft");
                } else {
                    node.put("daysLeft", r.daysLeft());
                }
                node.put("notBefore", text(r.notBefore()));
                node.put("readable", r.readable().label());
            }
            try {
                return MAPPER.writeValueAsString(root) + "\n";
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot render JSON", e);
            }
        }
    },

    /**
     * A JUnit XML {@code testsuite}; FAIL results are failures, WARN results print their detail to system-out, and
     * so does a read permission that was not verified. The mode shows in the suite name
     * ({@code kms-secrets check --read}) and in a {@code mode} property.
     */
    JUNIT {
        @Override
        public String render(CheckReport report) {
            StringWriter out = new StringWriter();
            try {
                XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
                xml.writeStartDocument("UTF-8", "1.0");
                xml.writeCharacters("\n");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", report.mode() == CheckMode.READ ? "kms-secrets check --read"
                        : "kms-secrets check");
                xml.writeAttribute("tests", Integer.toString(report.results().size()));
                xml.writeAttribute("failures", Long.toString(report.count(CheckStatus.FAIL)));
                xml.writeAttribute("errors", "0");
                xml.writeAttribute("skipped", "0");
                xml.writeAttribute("timestamp", report.checkedAt().toString());
                xml.writeCharacters("\n  ");
                xml.writeStartElement("properties");
                xml.writeCharacters("\n    ");
                xml.writeEmptyElement("property");
                xml.writeAttribute("name", "mode");
                xml.writeAttribute("value", report.mode().label());
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
                xml.writeCharacters("\n");
                for (CheckResult r : report.results()) {
                    xml.writeCharacters("  ");
                    xml.writeStartElement("testcase");
                    xml.writeAttribute("classname", "kms-secrets." + r.storeId());
                    xml.writeAttribute("name", r.label().equals(r.name()) ? r.name() : r.label() + " (" + r.name()
                            + ")");
                    xml.writeAttribute("time", "0");
                    if (r.status() == CheckStatus.FAIL) {
                        xml.writeStartElement("failure");
                        xml.writeAttribute("message", r.detail());
                        xml.writeAttribute("type", "kms-secrets.check");
                        xml.writeCharacters(r.reference() + ": " + r.detail());
                        xml.writeEndElement();
                    } else if (r.status() == CheckStatus.WARN) {
                        xml.writeStartElement("system-out");
                        xml.writeCharacters("WARNING: " + r.detail() + readNote(r));
                        xml.writeEndElement();
                    } else if (r.status() == CheckStatus.OK && r.readable() == ReadAccess.NOT_VERIFIED) {
                        xml.writeStartElement("system-out");
                        xml.writeCharacters(readNote(r).substring(1));
                        xml.writeEndElement();
                    }
                    xml.writeEndElement();
                    xml.writeCharacters("\n");
                }
                xml.writeEndElement();
                xml.writeCharacters("\n");
                xml.writeEndDocument();
                xml.close();
            } catch (XMLStreamException e) {
                throw new IllegalStateException("cannot render JUnit XML", e);
            }
            return out.toString();
        }
    };

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /** The report in this format. */
    public abstract String render(CheckReport report);

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String readNote(CheckResult r) {
        return r.status() != CheckStatus.FAIL && r.readable() == ReadAccess.NOT_VERIFIED ? "\nread permission not verified (the store cannot tell "
                + "without reading the value; run check --read)" : "";
    }

    private static String shortVersion(String version) {
        return version == null || version.length() <= 12 ? version : version.substring(0, 12) + "..";
    }
}
