package io.jenkins.plugins.kmssecrets.eso;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The structural-schema keywords beyond those the ExternalSecret CRD happens to use. */
class CrdSchemaTest {

    private static final CrdSchema SCHEMA = new CrdSchema(Map.of("type", "object", "properties", Map.of(
            "port", Map.of("x-kubernetes-int-or-string", true),
            "ratio", Map.of("type", "number"),
            "free", Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true),
            "labels", Map.of("type", "object", "additionalProperties", Map.of("type", "string", "maxLength", 5)),
            "tags", Map.of("type", "array", "minItems", 1, "maxItems", 2, "items", Map.of("type", "string",
                    "minLength", 2)),
            "note", Map.of("type", "string", "nullable", true))), "test");

    private static List<Problem> problems(String yaml) {
        List<Problem> problems = new ArrayList<>();
        SCHEMA.validate(YamlInput.parseOne(yaml, "t.yaml"), problems);
        return problems;
    }

    @Test
    void acceptsWhatTheKeywordsAllow() {
        assertThat(problems("""
                port: 8080
                ratio: 2
                free: {anything: [1, 2], goes: true}
                labels: {a: abc}
                tags: [ab]
                note: null
                """)).isEmpty();
        assertThat(problems("port: http\n")).isEmpty();
    }

    @Test
    void reportsEachViolationWithItsPath() {
        List<Problem> problems = problems("""
                port: [1]
                ratio: high
                labels: {a: toolong}
                tags: [a, bb, cc]
                """);

        assertThat(problems).extracting(p -> p.location().path() + ": " + p.message()).containsExactly(
                "$.port: must be an integer or a string, found array",
                "$.ratio: must be a number, found string",
                "$.labels.a: must be at most 5 characters long, found 7",
                "$.tags: must have at most 2 item(s), found 3",
                "$.tags[0]: must be at least 2 character(s) long, found 1");
    }

    @Test
    void emptyListBreaksMinItems() {
        assertThat(problems("tags: []\n")).singleElement().asString().contains("must have at least 1 item(s)");
    }
}
