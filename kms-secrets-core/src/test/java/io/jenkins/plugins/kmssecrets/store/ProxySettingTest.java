package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxySettingTest {

    private static final String PASSWORD = "proxy-Pa55-never-printed";

    @TempDir
    Path dir;

    private ProxySetting parse(Map<String, Object> settings, Map<String, String> env) {
        Map<String, Object> all = new HashMap<>(settings);
        return ProxySetting.from(new StoreDefinition("s", "vault", all, null),
                new StoreContext(env, dir, Clock.systemUTC()));
    }

    @Test
    void noProxyHostIsNoProxy() {
        assertThat(parse(Map.of(), Map.of())).isNull();
    }

    @Test
    void noProxyHostsFollowJenkinsSemantics() {
        ProxySetting proxy = parse(Map.of("proxyHost", "proxy.corp", "noProxyHosts",
                "vault.corp.example, *.internal.example\n10.0.*|Localhost"), Map.of());
        assertThat(proxy.noProxy()).containsExactly("vault.corp.example", "*.internal.example", "10.0.*", "Localhost");
        assertThat(proxy.bypasses("vault.corp.example")).isTrue();
        assertThat(proxy.bypasses("VAULT.corp.example")).isTrue();
        assertThat(proxy.bypasses("a.b.internal.example")).isTrue();
        assertThat(proxy.bypasses("internal.example")).isFalse();
        assertThat(proxy.bypasses("other.corp.example")).isFalse();
        assertThat(proxy.bypasses("10.0.3.4")).isTrue();
        assertThat(proxy.bypasses("localhost")).isTrue();
        assertThat(proxy.proxyFor("login.microsoftonline.com").type()).isEqualTo(Proxy.Type.HTTP);
        assertThat(proxy.proxyFor("vault.corp.example")).isEqualTo(Proxy.NO_PROXY);
        assertThat(proxy.port()).isEqualTo(3128);
    }

    @Test
    void theInstanceMetadataServicesAreAlwaysReachedDirectly() {
        ProxySetting proxy = parse(Map.of("proxyHost", "p"), Map.of());
        assertThat(proxy.bypasses("169.254.169.254")).isTrue();
        assertThat(proxy.bypasses("metadata.google.internal")).isTrue();
        assertThat(proxy.bypasses("oauth2.googleapis.com")).isFalse();
        assertThat(proxy.nonProxyHosts()).isEqualTo("169.254.169.254|metadata.google.internal");
    }

    @Test
    void patternCharactersOtherThanStarAreLiteral() {
        ProxySetting proxy = parse(Map.of("proxyHost", "p", "noProxyHosts", "a.b"), Map.of());
        assertThat(proxy.bypasses("a.b")).isTrue();
        assertThat(proxy.bypasses("axb")).isFalse();
    }

    @Test
    void passwordComesFromTheNamedVariableOrFileAndIsNeverPrinted() throws Exception {
        ProxySetting fromEnv = parse(Map.of("proxyHost", "p", "proxyPort", "8080", "proxyUser", "ci",
                "proxyPasswordEnv", "PROXY_PASSWORD"), Map.of("PROXY_PASSWORD", PASSWORD));
        assertThat(fromEnv.passwordText()).isEqualTo(PASSWORD);
        assertThat(fromEnv.toString()).contains("p:8080", "ci").doesNotContain(PASSWORD);
        Files.writeString(dir.resolve("proxy-password"), PASSWORD + "\n");
        ProxySetting fromFile = parse(Map.of("proxyHost", "p", "proxyUser", "ci", "proxyPasswordFile",
                "proxy-password"), Map.of());
        assertThat(fromFile.passwordText()).isEqualTo(PASSWORD);
        assertThat(fromFile.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void badSettingsAreOneLineErrorsNamingTheSettingAndNeverTheValue() {
        assertThatThrownBy(() -> parse(Map.of("proxyUser", "ci"), Map.of()))
                .isInstanceOf(MisconfiguredException.class).hasMessage("store 's': setting 'proxyUser' needs "
                        + "'proxyHost'");
        assertThatThrownBy(() -> parse(Map.of("proxyHost", "http://p:3128"), Map.of()))
                .isInstanceOf(MisconfiguredException.class).hasMessageContaining("'proxyHost' must be a host name");
        assertThatThrownBy(() -> parse(Map.of("proxyHost", "p", "proxyPort", "0"), Map.of()))
                .hasMessageContaining("'proxyPort' must be between 1 and 65535");
        assertThatThrownBy(() -> parse(Map.of("proxyHost", "p", "proxyUser", "ci", "proxyPasswordEnv", PASSWORD),
                Map.of())).hasMessageContaining("must be the NAME of an environment variable")
                .hasMessageNotContaining(PASSWORD);
        assertThatThrownBy(() -> parse(Map.of("proxyHost", "p", "proxyUser", "ci", "proxyPasswordEnv", "UNSET"),
                Map.of())).hasMessageContaining("environment variable UNSET (setting 'proxyPasswordEnv') is not set");
        assertThatThrownBy(() -> parse(Map.of("proxyHost", "p", "proxyPasswordEnv", "X"), Map.of("X", PASSWORD)))
                .hasMessageContaining("needs 'proxyUser'");
    }
}
