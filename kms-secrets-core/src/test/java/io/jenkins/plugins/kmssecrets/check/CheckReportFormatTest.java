package io.jenkins.plugins.kmssecrets.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class CheckReportFormatTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final CheckReport report = new CheckReport(NOW, List.of(
            new CheckResult("DB_PASSWORD", "akv:db-password", "akv", "db-password", CheckStatus.OK, null,
                    "a1b2c3d4e5f6a7b8c9", Instant.parse("2026-11-01T00:00:00Z"), null, null, null,
                    ReadAccess.NOT_VERIFIED),
            new CheckResult("TLS_KEY", "akv:tls-key", "akv", "tls-key", CheckStatus.WARN,
                    "expires in 3 days (warning below 30)", "v2", null, Instant.parse("2026-11-26T12:00:00Z"), 3L,
                    null, ReadAccess.READABLE),
            new CheckResult("API <TOKEN>", "akv:api-token", "akv", "api-token", CheckStatus.FAIL, "not found",
                    null, null, null, null, null)));

    @Test
    void tableHasOneRowPerSecretAndASummary() {
        String table = CheckReportFormat.TABLE.render(report);
        assertThat(table.lines()).containsExactly(
                "SECRET       STORE  NAME         STATUS  VERSION         UPDATED     EXPIRES          READABLE      "
                        + "DETAIL",
                "DB_PASSWORD  akv    db-password  OK      a1b2c3d4e5f6..  2026-11-01  -                not verified  -",
                "TLS_KEY      akv    tls-key      WARN    v2              -           2026-11-26 (3d)  yes           "
                        + "expires in 3 days (warning below 30)",
                "API <TOKEN>  akv    api-token    FAIL    -               -           -                not verified  "
                        + "not found",
                "",
                "3 checked: 1 ok, 1 warning, 1 failed",
                "read permission not verified for 1 secret: the store cannot tell without reading the value; run "
                        + "check --read to verify");
    }

    @Test
    void jsonCarriesEveryField() throws Exception {
        JsonNode json = new ObjectMapper().readTree(CheckReportFormat.JSON.render(report));
        assertThat(json.get("mode").asText()).isEqualTo("metadata");
        assertThat(json.get("summary").toString())
                .isEqualTo("{\"total\":3,\"ok\":1,\"warn\":1,\"fail\":1,\"readNotVerified\":1}");
        assertThat(json.get("results").get(0).get("readable").asText()).isEqualTo("not verified");
        assertThat(json.get("results").get(1).get("readable").asText()).isEqualTo("yes");
        assertThat(json.get("results").get(2).get("readable").asText()).isEqualTo("not verified");
        assertThat(json.get("results")).hasSize(3);
        assertThat(json.get("results").get(1).get("daysLeft").asLong()).isEqualTo(3);
        assertThat(json.get("results").get(0).get("version").asText()).isEqualTo("a1b2c3d4e5f6a7b8c9");
        assertThat(json.get("results").get(2).get("status").asText()).isEqualTo("FAIL");
    }

    @Test
    void junitHasOneTestCasePerSecretAndFailuresForFailedOnes() throws Exception {
        String xml = CheckReportFormat.JUNIT.render(report);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element suite = doc.getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(3);
        Element failed = (Element) doc.getElementsByTagName("testcase").item(2);
        assertThat(failed.getAttribute("name")).isEqualTo("API <TOKEN> (api-token)");
        assertThat(((Element) failed.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("not found");
        assertThat(doc.getElementsByTagName("system-out").item(0).getTextContent())
                .isEqualTo("read permission not verified (the store cannot tell without reading the value; run "
                        + "check --read)");
        assertThat(doc.getElementsByTagName("system-out").item(1).getTextContent())
                .isEqualTo("WARNING: expires in 3 days (warning below 30)");
        assertThat(suite.getAttribute("name")).isEqualTo("kms-secrets check");
        Element mode = (Element) doc.getElementsByTagName("property").item(0);
        assertThat(mode.getAttribute("name")).isEqualTo("mode");
        assertThat(mode.getAttribute("value")).isEqualTo("metadata");
    }

    @Test
    void everyFormatMarksAReadCheck() throws Exception {
        CheckReport read = new CheckReport(NOW, report.results(), CheckMode.READ);
        assertThat(CheckReportFormat.TABLE.render(read)).endsWith("\nvalues were read to verify them (--read); "
                + "none is shown\n");
        assertThat(new ObjectMapper().readTree(CheckReportFormat.JSON.render(read)).get("mode").asText())
                .isEqualTo("read");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
                CheckReportFormat.JUNIT.render(read).getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getAttribute("name")).isEqualTo("kms-secrets check --read");
        assertThat(((Element) doc.getElementsByTagName("property").item(0)).getAttribute("value")).isEqualTo("read");
    }

    @Test
    void renderingIsDeterministic() {
        for (CheckReportFormat format : CheckReportFormat.values()) {
            assertThat(format.render(report)).isEqualTo(format.render(report));
        }
    }
}
