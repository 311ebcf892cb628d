package io.jenkins.plugins.kmssecrets.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/** Writes the suite's results as one JUnit XML test suite (atomically). */
public final class JUnitXml {

    private JUnitXml() {
    }

    public static String render(String suite, List<CaseResult> results) {
        long failures = results.stream().filter(r -> r.status() == CaseResult.Status.FAIL).count();
        long skipped = results.stream().filter(r -> r.status() == CaseResult.Status.SKIP).count();
        double seconds = results.stream().mapToLong(CaseResult::millis).sum() / 1000.0;
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuite name=\"").append(escape(suite)).append("\" tests=\"").append(results.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"").append(skipped)
                .append("\" time=\"").append(String.format(Locale.ROOT, "%.3f", seconds)).append("\">\n");
        for (CaseResult r : results) {
            xml.append("  <testcase classname=\"kms-e2e.").append(escape(r.storeType() == null ? "config" : r.storeType()))
                    .append("\" name=\"").append(escape(r.name())).append("\" time=\"")
                    .append(String.format(Locale.ROOT, "%.3f", r.millis() / 1000.0)).append("\">\n");
            if (r.status() == CaseResult.Status.SKIP) {
                xml.append("    <skipped message=\"").append(escape(r.skipReason())).append("\"/>\n");
            } else if (r.status() == CaseResult.Status.FAIL) {
                String first = !r.problems().isEmpty() ? r.problems().get(0) : "leak: " + r.leaks().get(0);
                xml.append("    <failure message=\"").append(escape(first)).append("\">");
                r.problems().forEach(p -> xml.append(escape(p)).append('\n'));
                r.leaks().forEach(l -> xml.append("leak: ").append(escape(l.toString())).append('\n'));
                xml.append("</failure>\n");
            }
            xml.append("    <system-out>").append(escape(r.build() + "; leak check: " + r.files() + " files, "
                    + r.bytes() + " bytes")).append("</system-out>\n");
            xml.append("  </testcase>\n");
        }
        xml.append("</testsuite>\n");
        return xml.toString();
    }

    public static void write(Path file, String suite, List<CaseResult> results) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, render(suite, results), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
