package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The byte forms sops' Go code hashes, and the YAML scalar resolution of go-yaml v3. */
class ValueTypeTest {

    @ParameterizedTest
    @CsvSource({"float,1.234568e+09,1234568000", "float,25.4,25.4", "float,1e-7,0.0000001", "float,-0,-0",
            "float,inf,+Inf", "int,+42,42", "bool,true,True", "bool,F,False", "str,x y,x y",
            "time,2024-01-02T03:04:05.500Z,2024-01-02T03:04:05.5Z", "time,2024-01-02T03:04:05+02:00,"
            + "2024-01-02T03:04:05+02:00"})
    void macBytesFollowGo(String type, String plain, String expected) {
        assertThat(new String(ValueType.ofTag(type).macBytes(plain.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"bool,True,true", "bool,0,false", "int,007,7", "float,2.50,2.5"})
    void valueBytesAreYamlShaped(String type, String plain, String expected) {
        assertThat(new String(ValueType.ofTag(type).valueBytes(plain.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {"true,bool,true", "TRUE,bool,true", "yes,str,yes", "on,str,on",
            "0x10,int,16", "0o17,int,15", "017,int,15", "1_000,int,1000", "-5,int,-5", "1.50,float,1.5",
            "1e3,float,1000", ".inf,float,+Inf", "2001-12-14,str,2001-12-14", "~,NULL,''", "1.2.3,str,1.2.3",
            "+,str,+"})
    void plainYamlScalarsResolveLikeGoYamlV3(String text, String type, String normalised) {
        SopsTree.Scalar scalar = SopsFile.resolvePlain(text, 1);
        assertThat(scalar.type() == null ? null : scalar.type().tag()).isEqualTo(type);
        assertThat(scalar.text()).isEqualTo(normalised.equals("''") ? "" : normalised);
    }
}
