package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run builds only the subcommand it names; whatever needs the others still gets them all. */
class MainTest {

    @TempDir
    Path dir;

    CliRun run(String... args) {
        return CliRun.run(dir, Map.of(), Clock.systemUTC(), StoreTypes.of(), "", args);
    }

    @Test
    void theNamedSubcommandIsFoundAfterEnvOnly() {
        assertThat(Main.subcommandNamed(new String[] {"exec", "--", "true"})).isEqualTo("exec");
        assertThat(Main.subcommandNamed(new String[] {"--env", "dev", "check"})).isEqualTo("check");
        assertThat(Main.subcommandNamed(new String[] {"--env=dev", "eso", "sync"})).isEqualTo("eso");
        assertThat(Main.subcommandNamed(new String[] {"help", "exec"})).isNull();
        assertThat(Main.subcommandNamed(new String[] {"--help"})).isNull();
        assertThat(Main.subcommandNamed(new String[] {"exce"})).isNull();
        assertThat(Main.subcommandNamed(new String[] {})).isNull();
    }

    @Test
    void aRunBuildsOnlyItsSubcommand() {
        assertThat(Main.commandLine(CliContext.system(), "mask").getSubcommands()).containsOnlyKeys("mask");
        assertThat(Main.commandLine(CliContext.system()).getSubcommands()).containsOnlyKeys("exec", "mask", "check",
                "list", "init", "doctor", "eso", "rotate", "help");
    }

    @Test
    void usageHelpAndSuggestionsStillKnowEverySubcommand() {
        assertThat(run("--help").out).contains("exec").contains("rotate").contains("eso");
        assertThat(run("help", "exec").out).contains("Usage: kms-secrets exec");
        CliRun typo = run("exce");
        assertThat(typo.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(typo.err).contains("'exce'");
        assertThat(run("--env", "dev", "exec", "--help").out).contains("Usage: kms-secrets exec");
    }
}
