package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class KeyVaultCallTest {

    private static HttpHeaders headers(String name, String value) {
        return new HttpHeaders().set(HttpHeaderName.fromString(name), value);
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        assertThat(KeyVaultCall.retryAfter(headers("Retry-After", "12"))).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void retryAfterInMillisecondsWins() {
        HttpHeaders headers = headers("Retry-After", "12").set(HttpHeaderName.fromString("x-ms-retry-after-ms"),
                "250");
        assertThat(KeyVaultCall.retryAfter(headers)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeUntilThen() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
        assertThat(KeyVaultCall.retryAfter(headers("Retry-After", date)))
                .isBetween(Duration.ofMinutes(58), Duration.ofMinutes(61));
    }

    @Test
    void unreadableRetryAfterFallsBackToBackoff() {
        assertThat(KeyVaultCall.retryAfter(headers("Retry-After", "soon"))).isNull();
        assertThat(KeyVaultCall.retryAfter(new HttpHeaders())).isNull();
    }

    @Test
    void backoffDoublesUpToTheCap() {
        assertThat(KeyVaultCall.backoff(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(KeyVaultCall.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(KeyVaultCall.backoff(20)).isEqualTo(KeyVaultCall.MAX_DELAY);
    }
}
