package io.jenkins.plugins.kmssecrets.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One build of a job started through the script console (for jobs the runner's own cases create inside folders),
 * waited for, with its console read back and leak-checked.
 *
 * @param number  the build number
 * @param result  the build's result ({@code SUCCESS}, {@code FAILURE} ...)
 * @param console the console log, UTF-8
 */
record ScriptBuild(int number, String result, String console) {

    private static final Pattern BUILT = Pattern.compile("BUILT\\t(\\d+)\\t(\\w+)");
    private static final Pattern LOG = Pattern.compile("LOG\\t(\\S*)");

    /**
     * Builds {@code job} (full name) and leak-checks its console for {@code r}; {@code null}, with a problem in
     * {@code r} that starts with {@code label}, when the build did not run.
     */
    static ScriptBuild run(JenkinsClient jenkins, LeakChecker leaks, CaseResult r, String job, String label)
            throws IOException {
        String out = jenkins.script("""
                def job = jenkins.model.Jenkins.get().getItemByFullName('%s')
                def b = job.scheduleBuild2(0).get(5, java.util.concurrent.TimeUnit.MINUTES)
                println('BUILT\\t' + b.number + '\\t' + b.result)
                println('LOG\\t' + b.logFile.bytes.encodeBase64().toString())
                """.formatted(job));
        Matcher built = BUILT.matcher(out);
        if (!built.find()) {
            r.problem(label + ": the build did not run: " + JenkinsClient.abbreviate(out));
            return null;
        }
        Matcher log = LOG.matcher(out);
        String console = log.find() ? new String(Base64.getDecoder().decode(log.group(1)), StandardCharsets.UTF_8)
                : "";
        ScriptBuild build = new ScriptBuild(Integer.parseInt(built.group(1)), built.group(2), console);
        leaks.scan(r, job + " #" + build.number() + " console" + (label.equals(job) ? "" : " (" + label + ")"),
                console);
        return build;
    }
}
