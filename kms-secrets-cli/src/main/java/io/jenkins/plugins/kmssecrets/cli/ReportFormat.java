package io.jenkins.plugins.kmssecrets.cli;

/** Output formats of the reporting commands. */
enum ReportFormat {
    table, json, junit
}
