package io.jenkins.plugins.kmssecrets.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The diagnoses of a manifest's stores and their renderings: a table for people and JSON for tools. Both list the
 * stores sorted by id and hold names, paths and messages only.
 *
 * @param environment the selected environment, or {@code null} for the base stores
 * @param stores      one diagnosis per store
 * @since 0.2.0
 */
public record DoctorReport(String environment, List<StoreDiagnosis> stores) {

    public DoctorReport {
        stores = List.copyOf(stores);
    }

    /** Whether any store lacks its sign-in or did not answer. */
    public boolean problems() {
        return stores.stream().anyMatch(StoreDiagnosis::problem);
    }

    /** {@code 2 stores: 1 ready, 1 needs attention}. */
    public String summary() {
        long bad = stores.stream().filter(StoreDiagnosis::problem).count();
        return stores.size() + " store" + (stores.size() == 1 ? "" : "s") + ": " + (stores.size() - bad) + " ready, "
                + bad + " need" + (bad == 1 ? "s" : "") + " attention";
    }

    /**
     * A table with the columns STORE, TYPE, FROM, SIGN-IN, ANSWERS, then one {@code fix:} line per store with a
     * problem, then the summary.
     */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"STORE", "TYPE", "FROM", "SIGN-IN", "ANSWERS"});
        for (StoreDiagnosis store : stores) {
            String signIn = store.signIn() == null ? "-"
                    : (store.signIn().found() ? "" : "MISSING ") + store.signIn().method() + ": "
                    + store.signIn().source();
            rows.add(new String[] {store.storeId(), store.type(), store.origin(), signIn,
                store.answer().text() + (store.detail() == null ? "" : " (" + store.detail() + ")")});
        }
        int[] width = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("environment: ").append(environment == null ? "(base stores)" : environment).append('\n');
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.append(line.append(row[width.length]).toString().stripTrailing()).append('\n');
        }
        List<StoreDiagnosis> fixes = stores.stream().filter(s -> s.fix() != null).toList();
        if (!fixes.isEmpty()) {
            out.append('\n').append("To fix:\n");
            for (StoreDiagnosis store : fixes) {
                out.append("  ").append(store.storeId()).append(": ").append(store.fix()).append('\n');
            }
        }
        out.append('\n').append(summary()).append('\n');
        return out.toString();
    }

    /**
     * {@code {"environment": …, "ok": …, "stores": [{"id", "type", "from", "signIn": {"method", "source", "found"},
     * "answers", "detail", "fix"}]}} with stable key order.
     */
    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", environment);
        root.put("ok", !problems());
        List<Map<String, Object>> list = new ArrayList<>();
        for (StoreDiagnosis store : stores) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", store.storeId());
            entry.put("type", store.type());
            entry.put("from", store.origin());
            if (store.signIn() == null) {
                entry.put("signIn", null);
            } else {
                Map<String, Object> signIn = new LinkedHashMap<>();
                signIn.put("method", store.signIn().method());
                signIn.put("source", store.signIn().source());
                signIn.put("found", store.signIn().found());
                entry.put("signIn", signIn);
            }
            entry.put("answers", store.answer().text());
            entry.put("detail", store.detail());
            entry.put("fix", store.fix());
            list.add(entry);
        }
        root.put("stores", list);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the doctor report", e);
        }
    }
}
