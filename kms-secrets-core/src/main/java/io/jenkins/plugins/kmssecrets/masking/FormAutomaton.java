package io.jenkins.plugins.kmssecrets.masking;

import java.util.Arrays;
import java.util.Collection;

/**
 * An Aho–Corasick automaton over bytes. Immutable once built; every array is written only by the constructor, so
 * instances are safely shared between threads through their final fields.
 *
 * <p>States are numbered in breadth-first order, so the children of a state are consecutive and a sparse state needs
 * only its first child and child count. Root and states with many children (the shallow states that ordinary text
 * keeps the automaton in) get a dense row of complete transitions over byte classes, so a step from them is one
 * array read; a step from a sparse state scans its few children and otherwise falls back along failure links, which
 * quickly reach a dense state. Time per byte is amortised constant whatever the number of forms; memory is linear in
 * the total length of the forms (dense rows are capped).
 */
final class FormAutomaton {

    private static final int ROOT = 0;
    /** A state with this many children gets a dense row. */
    private static final int DENSE_MIN_CHILDREN = 4;
    /** Upper bound on dense row cells (ints), to keep memory linear in the forms. */
    private static final int DENSE_MAX_CELLS = 1 << 22;

    /** Byte value to byte class; class 0 is every byte that occurs in no form. */
    private final byte[] classOf = new byte[256];
    private final int classCount;
    /** Per state: offset of its dense row in {@link #dense}, or -1. */
    private final int[] denseRow;
    private final int[] dense;
    private final int[] firstChild;
    private final int[] childCount;
    /** Per state: the byte on the edge into it. */
    private final byte[] label;
    private final int[] fail;
    /** Per state: length of the longest form that ends here (itself or along its failure chain), or 0. */
    private final int[] matchLength;
    private final int[] depth;
    private final int stateCount;
    private final int longestForm;

    FormAutomaton(Collection<byte[]> forms) {
        TrieBuilder trie = new TrieBuilder();
        int longest = 0;
        boolean[] used = new boolean[256];
        for (byte[] form : forms) {
            trie.insert(form);
            longest = Math.max(longest, form.length);
            for (byte b : form) {
                used[b & 0xff] = true;
            }
        }
        this.longestForm = longest;
        int classes = 1;
        for (int b = 0; b < 256; b++) {
            if (used[b]) {
                classOf[b] = (byte) classes++;
            }
        }
        this.classCount = classes;
        int[] representative = new int[classes];
        for (int b = 255; b >= 0; b--) {
            representative[classOf[b] & 0xff] = b;
        }
        representative[0] = -1;

        int n = trie.size;
        this.stateCount = n;
        firstChild = new int[n];
        childCount = new int[n];
        label = new byte[n];
        fail = new int[n];
        matchLength = new int[n];
        depth = new int[n];
        denseRow = new int[n];
        Arrays.fill(denseRow, -1);

        // Breadth-first renumbering: queue position is the new state number.
        int[] queue = new int[n];
        int head = 0;
        int tail = 1;
        queue[0] = ROOT;
        int denseRows = 0;
        while (head < tail) {
            int state = head;
            int old = queue[head++];
            firstChild[state] = tail;
            int count = 0;
            for (int c = trie.firstChild[old]; c >= 0; c = trie.nextSibling[c]) {
                label[tail] = trie.label[c];
                matchLength[tail] = trie.formLength[c];
                depth[tail] = depth[state] + 1;
                queue[tail++] = c;
                count++;
            }
            childCount[state] = count;
            if (state == ROOT || (count >= DENSE_MIN_CHILDREN && (long) (denseRows + 1) * classes <= DENSE_MAX_CELLS)) {
                denseRow[state] = denseRows++ * classes;
            }
        }
        dense = new int[denseRows * classes];

        // Failure links, longest matches and dense rows, in breadth-first order so every state a state refers to
        // (its failure target, which is shallower) is complete before it.
        for (int state = 0; state < n; state++) {
            int first = firstChild[state];
            int end = first + childCount[state];
            for (int child = first; child < end; child++) {
                int f = state == ROOT ? ROOT : step(fail[state], label[child]);
                fail[child] = f;
                matchLength[child] = Math.max(matchLength[child], matchLength[f]);
            }
            int row = denseRow[state];
            if (row >= 0) {
                for (int k = 1; k < classes; k++) {
                    byte b = (byte) representative[k];
                    int target = -1;
                    for (int child = first; child < end; child++) {
                        if (label[child] == b) {
                            target = child;
                            break;
                        }
                    }
                    if (target < 0) {
                        target = state == ROOT ? ROOT : step(fail[state], b);
                    }
                    dense[row + k] = target;
                }
                // class 0: a byte that is in no form sends every state back to root (dense[row] stays 0)
            }
        }
        trie.wipe();
        Arrays.fill(queue, 0);
    }

    /** The state after reading {@code b} in {@code state}. */
    int step(int state, byte b) {
        int s = state;
        while (true) {
            int row = denseRow[s];
            if (row >= 0) {
                return dense[row + (classOf[b & 0xff] & 0xff)];
            }
            int child = firstChild[s];
            int end = child + childCount[s];
            for (; child < end; child++) {
                if (label[child] == b) {
                    return child;
                }
            }
            s = fail[s];
        }
    }

    /**
     * Runs the automaton over {@code buf[from, to)} starting in {@code state}, reporting each position where a form
     * ends; returns the final state.
     */
    int run(int state, byte[] buf, int from, int to, MatchSink sink) {
        int s = state;
        final int[] rows = denseRow;
        final int[] cells = dense;
        final byte[] classes = classOf;
        final int[] matches = matchLength;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            int row = rows[s];
            if (row >= 0) {
                s = cells[row + (classes[b & 0xff] & 0xff)];
            } else {
                s = step(s, b);
            }
            int length = matches[s];
            if (length != 0) {
                sink.match(i, length);
            }
        }
        return s;
    }

    int depth(int state) {
        return depth[state];
    }

    int longestForm() {
        return longestForm;
    }

    int stateCount() {
        return stateCount;
    }

    /** Receives the end index (in the buffer passed to {@link #run}) and length of the longest form ending there. */
    interface MatchSink {
        void match(int endIndex, int length);
    }

    /** A first-child/next-sibling trie, discarded once the automaton is built. */
    private static final class TrieBuilder {
        int[] firstChild = new int[1024];
        int[] nextSibling = new int[1024];
        byte[] label = new byte[1024];
        int[] formLength = new int[1024];
        final int[] rootChild = new int[256];
        int size = 1;

        TrieBuilder() {
            firstChild[ROOT] = -1;
            nextSibling[ROOT] = -1;
            Arrays.fill(rootChild, -1);
        }

        void insert(byte[] form) {
            int node = ROOT;
            for (byte b : form) {
                int child;
                if (node == ROOT) {
                    child = rootChild[b & 0xff];
                    if (child < 0) {
                        child = add(node, b);
                        rootChild[b & 0xff] = child;
                    }
                } else {
                    child = firstChild[node];
                    while (child >= 0 && label[child] != b) {
                        child = nextSibling[child];
                    }
                    if (child < 0) {
                        child = add(node, b);
                    }
                }
                node = child;
            }
            formLength[node] = form.length;
        }

        private int add(int parent, byte b) {
            if (size == firstChild.length) {
                int capacity = size * 2;
                firstChild = Arrays.copyOf(firstChild, capacity);
                nextSibling = Arrays.copyOf(nextSibling, capacity);
                label = Arrays.copyOf(label, capacity);
                formLength = Arrays.copyOf(formLength, capacity);
            }
            int node = size++;
            label[node] = b;
            firstChild[node] = -1;
            formLength[node] = 0;
            nextSibling[node] = firstChild[parent];
            firstChild[parent] = node;
            return node;
        }

        void wipe() {
            Arrays.fill(label, (byte) 0);
        }
    }
}
