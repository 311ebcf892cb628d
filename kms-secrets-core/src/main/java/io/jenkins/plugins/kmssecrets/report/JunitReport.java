package io.jenkins.plugins.kmssecrets.report;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A JUnit XML test suite as the junit step and CI servers read it: one {@code testcase} per result, a
 * {@code failure} element (type and one-line message) for each that failed. Text is escaped by the XML writer.
 *
 * @since 0.2.0
 */
public final class JunitReport {

    private record Case(String className, String name, long millis, String failureType, String failureMessage) {
    }

    private final String suite;
    private final List<Case> cases = new ArrayList<>();

    public JunitReport(String suite) {
        this.suite = suite;
    }

    /** Adds a passed test case. */
    public JunitReport passed(String className, String name, long millis) {
        cases.add(new Case(className, name, millis, null, null));
        return this;
    }

    /** Adds a failed test case. */
    public JunitReport failed(String className, String name, long millis, String type, String message) {
        cases.add(new Case(className, name, millis, type, message == null ? type : message));
        return this;
    }

    /** The XML document, ending with a newline. */
    public String render() {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", suite);
            xml.writeAttribute("tests", String.valueOf(cases.size()));
            xml.writeAttribute("failures", String.valueOf(cases.stream().filter(c -> c.failureType != null).count()));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("time", seconds(cases.stream().mapToLong(Case::millis).sum()));
            for (Case c : cases) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", c.className);
                xml.writeAttribute("name", c.name);
                xml.writeAttribute("time", seconds(c.millis));
                if (c.failureType != null) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("type", c.failureType);
                    xml.writeAttribute("message", c.failureMessage);
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot render " + suite + " as JUnit XML", e);
        }
        return out + "\n";
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
