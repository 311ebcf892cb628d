package io.jenkins.plugins.kmssecrets.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A deterministic, Maven-style build log: dependency downloads, plugin banners, compiler warnings, test results and
 * the occasional stack trace, as a Jenkins agent would stream it. Same seed and size, same bytes.
 */
final class MavenLog {

    private static final String[] GROUPS = {
        "org/apache/maven/plugins", "org/apache/commons", "com/fasterxml/jackson/core", "io/netty", "org/slf4j",
        "org/junit/jupiter", "com/google/guava", "org/springframework", "io/micrometer", "org/ow2/asm",
    };
    private static final String[] ARTIFACTS = {
        "maven-compiler-plugin", "commons-lang3", "jackson-databind", "netty-handler", "slf4j-api",
        "junit-jupiter-engine", "guava", "spring-core", "micrometer-core", "asm-commons", "maven-surefire-plugin",
    };
    private static final String[] WORDS = {
        "service", "client", "config", "model", "repository", "handler", "parser", "cache", "store", "event",
        "order", "account", "payment", "user", "session", "report", "index", "query", "stream", "worker",
    };
    private static final String[] PLUGINS = {
        "maven-clean-plugin:3.4.0:clean (default-clean)", "maven-resources-plugin:3.3.1:resources (default-resources)",
        "maven-compiler-plugin:3.13.0:compile (default-compile)", "maven-surefire-plugin:3.5.2:test (default-test)",
        "maven-jar-plugin:3.4.2:jar (default-jar)", "maven-install-plugin:3.1.3:install (default-install)",
    };

    private MavenLog() {
    }

    static byte[] generate(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder log = new StringBuilder(size + 512);
        while (log.length() < size) {
            int kind = random.nextInt(100);
            if (kind < 35) {
                String path = path(random);
                log.append("[INFO] Downloading from central: https://repo.maven.apache.org/maven2/").append(path)
                        .append('\n');
                log.append("[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/").append(path)
                        .append(" (").append(1 + random.nextInt(900)).append(" kB at ")
                        .append(100 + random.nextInt(9000)).append(" kB/s)\n");
            } else if (kind < 40) {
                log.append("[INFO] \n[INFO] --- ").append(PLUGINS[random.nextInt(PLUGINS.length)]).append(" @ ")
                        .append(word(random)).append("-").append(word(random)).append(" ---\n");
            } else if (kind < 50) {
                log.append("[WARNING] /home/jenkins/agent/workspace/shop_main/src/main/java/com/example/")
                        .append(word(random)).append('/').append(className(random)).append(".java:[")
                        .append(1 + random.nextInt(400)).append(',').append(1 + random.nextInt(80))
                        .append("] unchecked call to add(E) as a member of the raw type java.util.List\n");
            } else if (kind < 75) {
                String test = "com.example." + word(random) + "." + className(random) + "Test";
                log.append("[INFO] Running ").append(test).append('\n');
                log.append("[INFO] Tests run: ").append(1 + random.nextInt(60)).append(", Failures: 0, Errors: 0, ")
                        .append("Skipped: ").append(random.nextInt(3)).append(", Time elapsed: ")
                        .append(random.nextInt(9)).append('.').append(100 + random.nextInt(900)).append(" s -- in ")
                        .append(test).append('\n');
            } else if (kind < 80) {
                log.append("java.lang.IllegalStateException: ").append(word(random)).append(" not ready\n");
                for (int i = 0; i < 8; i++) {
                    log.append("\tat com.example.").append(word(random)).append('.').append(className(random))
                            .append('.').append(word(random)).append("(").append(className(random))
                            .append(".java:").append(1 + random.nextInt(500)).append(")\n");
                }
            } else if (kind < 90) {
                log.append("[INFO] Compiling ").append(1 + random.nextInt(300))
                        .append(" source files with javac [debug release 17] to target/classes\n");
            } else {
                log.append(String.format("%02d:%02d:%02d.%03d [main] DEBUG o.a.m.p.%s - %s %s took %d ms%n",
                        random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1000),
                        className(random), word(random), word(random), random.nextInt(2000)));
            }
        }
        log.setLength(size);
        return log.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String path(Random random) {
        String artifact = ARTIFACTS[random.nextInt(ARTIFACTS.length)];
        String version = (1 + random.nextInt(5)) + "." + random.nextInt(20) + "." + random.nextInt(10);
        return GROUPS[random.nextInt(GROUPS.length)] + "/" + artifact + "/" + version + "/" + artifact + "-" + version
                + (random.nextBoolean() ? ".pom" : ".jar");
    }

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static String className(Random random) {
        String w = word(random);
        String v = word(random);
        return Character.toUpperCase(w.charAt(0)) + w.substring(1) + Character.toUpperCase(v.charAt(0))
                + v.substring(1);
    }
}
