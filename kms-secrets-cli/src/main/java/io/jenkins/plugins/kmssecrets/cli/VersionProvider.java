package io.jenkins.plugins.kmssecrets.cli;

import picocli.CommandLine;

/** Prints the version from the jar manifest (the build's version), or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"kms-secrets " + (version == null ? "development" : version)};
    }
}
