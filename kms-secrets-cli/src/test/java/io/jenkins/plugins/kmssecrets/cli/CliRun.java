package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Runs the CLI in-process with captured streams. */
final class CliRun {

    final int exitCode;
    final String out;
    final String err;
    final String stdout;
    final String stderr;

    private CliRun(int exitCode, String out, String err, String stdout, String stderr) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Everything printed, on any stream. */
    String all() {
        return out + err + stdout + stderr;
    }

    static CliRun run(Path workDir, Map<String, String> env, Clock clock, StoreTypes types, String stdin,
                      String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        CliContext context = new CliContext(env, workDir, clock, types,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), stdout, stderr);
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), context);
        return new CliRun(code, out.toString(), err.toString(), stdout.toString(StandardCharsets.UTF_8),
                stderr.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err + "--- stdout\n" + stdout
                + "--- stderr\n" + stderr;
    }
}
