package io.jenkins.plugins.kmssecrets.manifest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which environment variable names may carry a secret. A name must be a portable shell name (letters, digits and
 * {@code _}, not starting with a digit), and must not be one the build or the shell depends on: a secret bound to
 * {@code PATH} makes the next {@code sh} step hang or fail, one bound to {@code LD_PRELOAD} changes which code runs.
 * The manifest parser, inline bindings (the plugin's {@code withKmsSecrets}) and the CLI all refuse such names with
 * the same one-line reason.
 *
 * <p>Reserved, compared without regard to case (Windows agents see {@code Path} as {@code PATH}):
 * <ul>
 *   <li>the shell's and the system's: {@code PATH} (and Jenkins' {@code PATH+NAME} prefix form), {@code HOME},
 *       {@code SHELL}, {@code IFS}, {@code PWD}, {@code OLDPWD}, {@code CDPATH}, {@code ENV}, {@code BASH_ENV},
 *       {@code SHELLOPTS}, {@code BASHOPTS}, {@code PS4}, {@code PROMPT_COMMAND}, {@code USER}, {@code LOGNAME},
 *       {@code TMPDIR}, {@code TMP}, {@code TEMP};</li>
 *   <li>the dynamic loader's: every {@code LD_*} and {@code DYLD_*} name;</li>
 *   <li>the ones Jenkins sets for a build: {@code WORKSPACE}, {@code WORKSPACE_TMP}, {@code NODE_NAME},
 *       {@code NODE_LABELS}, {@code EXECUTOR_NUMBER}, {@code STAGE_NAME}, {@code CI}, and every {@code JENKINS_*},
 *       {@code HUDSON_*}, {@code BUILD_*}, {@code JOB_*} and {@code RUN_*} name.</li>
 * </ul>
 *
 * @since 0.2.0
 */
public final class EnvironmentNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final String SHELL = "the shell and the build's commands depend on it";
    private static final String LOADER = "the dynamic loader reads it, so a value there changes which code runs";
    private static final String JENKINS = "Jenkins sets it for every build";

    private static final Map<String, String> EXACT = Map.ofEntries(
            Map.entry("PATH", "the shell finds every command through it"),
            Map.entry("HOME", "tools read their configuration from it"),
            Map.entry("SHELL", SHELL), Map.entry("IFS", "the shell splits words with it"), Map.entry("PWD", SHELL),
            Map.entry("OLDPWD", SHELL), Map.entry("CDPATH", SHELL),
            Map.entry("ENV", "the shell runs the file it names"), Map.entry("BASH_ENV", "bash runs the file it names"),
            Map.entry("SHELLOPTS", SHELL), Map.entry("BASHOPTS", SHELL), Map.entry("PS4", SHELL),
            Map.entry("PROMPT_COMMAND", SHELL), Map.entry("USER", SHELL), Map.entry("LOGNAME", SHELL),
            Map.entry("TMPDIR", "tools create their temporary files in it"),
            Map.entry("TMP", "tools create their temporary files in it"),
            Map.entry("TEMP", "tools create their temporary files in it"),
            Map.entry("WORKSPACE", JENKINS), Map.entry("WORKSPACE_TMP", JENKINS), Map.entry("NODE_NAME", JENKINS),
            Map.entry("NODE_LABELS", JENKINS), Map.entry("EXECUTOR_NUMBER", JENKINS),
            Map.entry("STAGE_NAME", JENKINS), Map.entry("CI", JENKINS));

    private static final List<Map.Entry<String, String>> PREFIXES = List.of(
            Map.entry("PATH+", "Jenkins prepends it to PATH, through which the shell finds every command"),
            Map.entry("LD_", LOADER), Map.entry("DYLD_", LOADER),
            Map.entry("JENKINS_", JENKINS), Map.entry("HUDSON_", JENKINS), Map.entry("BUILD_", JENKINS),
            Map.entry("JOB_", JENKINS), Map.entry("RUN_", JENKINS));

    private EnvironmentNames() {
    }

    /**
     * Why {@code name} cannot carry a secret because the build or the shell depends on it, or {@code null} when it
     * is not reserved.
     */
    public static String reservedReason(String name) {
        if (name == null) {
            return null;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        String exact = EXACT.get(upper);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> prefix : PREFIXES) {
            if (upper.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return null;
    }

    /**
     * What is wrong with {@code name} as the variable of a secret, as one line naming it, or {@code null} when it
     * may be used: {@code 'PATH' is reserved: the shell finds every command through it; choose another name}.
     */
    public static String problem(String name) {
        String reserved = reservedReason(name);
        if (reserved != null) {
            return "'" + name + "' is reserved: " + reserved + "; choose another name for the secret";
        }
        if (name == null || !NAME.matcher(name).matches()) {
            return "'" + name + "' is not a valid environment variable name; use letters, digits and '_', not "
                    + "starting with a digit";
        }
        return null;
    }
}
