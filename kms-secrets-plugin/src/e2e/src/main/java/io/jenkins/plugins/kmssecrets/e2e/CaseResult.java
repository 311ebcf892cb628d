package io.jenkins.plugins.kmssecrets.e2e;

import java.util.ArrayList;
import java.util.List;

/** The outcome of one case (a pipeline for one store type, or a configuration check). */
public final class CaseResult {

    /** How a case ended. */
    public enum Status { PASS, FAIL, SKIP }

    private final String name;
    private final String storeType;
    private final List<String> problems = new ArrayList<>();
    private final List<LeakChecker.Leak> leaks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String skipReason;
    private String build = "";
    private long millis;
    private long buildMillis;
    private long files;
    private long bytes;

    public CaseResult(String name, String storeType) {
        this.name = name;
        this.storeType = storeType;
    }

    public String name() {
        return name;
    }

    public String storeType() {
        return storeType;
    }

    /** {@code name [store]}, or the name alone for a store-independent case. */
    public String label() {
        return storeType == null ? name : name + " [" + storeType + "]";
    }

    public Status status() {
        if (skipReason != null) {
            return Status.SKIP;
        }
        return problems.isEmpty() && leaks.isEmpty() ? Status.PASS : Status.FAIL;
    }

    public void problem(String problem) {
        problems.add(problem);
    }

    public List<String> problems() {
        return problems;
    }

    /** Something worth knowing that is not a failure (printed in parentheses). */
    public void note(String note) {
        notes.add(note);
    }

    public List<String> notes() {
        return notes;
    }

    public void leaks(List<LeakChecker.Leak> found) {
        leaks.addAll(found);
    }

    public List<LeakChecker.Leak> leaks() {
        return leaks;
    }

    public void skip(String reason) {
        this.skipReason = reason;
    }

    public String skipReason() {
        return skipReason;
    }

    public void build(String job, int number) {
        this.build = job + " #" + number;
    }

    public String build() {
        return build;
    }

    public void millis(long value) {
        millis = value;
    }

    public long millis() {
        return millis;
    }

    public void buildMillis(long value) {
        buildMillis = value;
    }

    public long buildMillis() {
        return buildMillis;
    }

    public void scanned(long fileCount, long byteCount) {
        files += fileCount;
        bytes += byteCount;
    }

    public long files() {
        return files;
    }

    public long bytes() {
        return bytes;
    }
}
