package io.jenkins.plugins.kmssecrets.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagFilterTest {

    @Test
    void blankFilterAdmitsEverything() {
        assertThat(TagFilter.parse("  ").matches(Map.of())).isTrue();
        assertThat(TagFilter.parse(null).isEmpty()).isTrue();
    }

    @Test
    void keyValueTermRequiresThatExactValue() {
        TagFilter filter = TagFilter.parse("jenkins=true");
        assertThat(filter.matches(Map.of("jenkins", "true"))).isTrue();
        assertThat(filter.matches(Map.of("jenkins", "false"))).isFalse();
        assertThat(filter.matches(Map.of())).isFalse();
    }

    @Test
    void bareKeyRequiresPresenceAndBangKeyRequiresAbsence() {
        TagFilter filter = TagFilter.parse("team, !deprecated");
        assertThat(filter.matches(Map.of("team", "x"))).isTrue();
        assertThat(filter.matches(Map.of("team", "x", "deprecated", "1"))).isFalse();
        assertThat(filter.matches(null)).isFalse();
    }

    @Test
    void termsSeparatedByNewLinesAreAllRequired() {
        TagFilter filter = TagFilter.parse("a=1\nb=2\r\n");
        assertThat(filter.matches(Map.of("a", "1", "b", "2"))).isTrue();
        assertThat(filter.matches(Map.of("a", "1"))).isFalse();
        assertThat(filter).hasToString("a=1\nb=2");
    }

    @Test
    void malformedTermIsNamedWithItsPosition() {
        assertThatThrownBy(() -> TagFilter.parse("a=1, =2"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("tag filter term 2 '=2' is malformed; missing key before '=' (terms are key=value, key or "
                        + "!key, separated by commas)");
        assertThatThrownBy(() -> TagFilter.parse("!a=1")).hasMessageContaining("expected !key");
    }
}
