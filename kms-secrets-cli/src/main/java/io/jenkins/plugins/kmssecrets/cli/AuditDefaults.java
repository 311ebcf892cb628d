package io.jenkins.plugins.kmssecrets.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The default audit context of the command line: {@code user@host}. */
final class AuditDefaults {

    private AuditDefaults() {
    }

    /**
     * {@code USER} (or {@code USERNAME}, else the JVM's user name) {@code @} the host name ({@code HOSTNAME},
     * {@code COMPUTERNAME}, the kernel's host name, else the local address's name).
     */
    static String userAtHost(Map<String, String> environment) {
        String user = first(environment.get("USER"), environment.get("USERNAME"), System.getProperty("user.name"));
        String host = first(environment.get("HOSTNAME"), environment.get("COMPUTERNAME"), kernelHostName());
        if (host == null) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown-host";
            }
        }
        return (user == null ? "unknown-user" : user) + "@" + host;
    }

    /** The Linux host name without a name lookup, or {@code null}. */
    private static String kernelHostName() {
        try {
            Path file = Path.of("/proc/sys/kernel/hostname");
            return Files.isReadable(file) ? Files.readString(file, StandardCharsets.US_ASCII).strip() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String first(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.strip();
            }
        }
        return null;
    }
}
