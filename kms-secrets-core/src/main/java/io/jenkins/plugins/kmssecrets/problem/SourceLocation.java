package io.jenkins.plugins.kmssecrets.problem;

/**
 * Where something was found: a file, a 1-based line and column, and a JSON path into the document.
 *
 * @param file   file name as the user gave it, or {@code null}
 * @param line   1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param path   JSON path such as {@code $.secrets[2].ref}, or {@code null}
 * @since 0.1.0
 */
public record SourceLocation(String file, int line, int column, String path) {

    /** {@code file:line:column}, leaving out what is unknown. */
    public String position() {
        StringBuilder sb = new StringBuilder(file == null ? "<input>" : file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.toString();
    }

    /** The same location with {@code childPath} as its JSON path. */
    public SourceLocation withPath(String childPath) {
        return new SourceLocation(file, line, column, childPath);
    }

    @Override
    public String toString() {
        return path == null ? position() : position() + " (" + path + ")";
    }
}
