package io.jenkins.plugins.kmssecrets.masking;

import java.util.Arrays;
import java.util.Collection;

/**
 * The masker's previous matcher, kept as the oracle of {@code MatcherDifferentialTest}: an Aho–Corasick automaton over
 * bytes. Immutable once built; every array is written only by the constructor, so
 * instances are safely shared between threads through their final fields.
 *
 * <p>States are numbered in breadth-first order, so the children of a state are consecutive and a sparse state needs
 * only its first child and child count. Every state (when they fit in the budget) or else root and the states with
 * several children (the shallow states ordinary text keeps the automaton in) get a dense row of complete transitions
 * over byte classes, so a step from them is one array read; a step from a sparse state scans its few children and
 * otherwise falls back along failure links, which quickly reach a dense state. In the start state a 4-byte prefilter
 * skips positions where no form can start. Time per byte is amortised constant whatever the number of forms; memory
 * is linear in the total length of the forms (about 25 bytes per trie state, dense rows capped at 8 MiB).
 */
final class AhoCorasickOracle {

    private static final int ROOT = 0;
    /** When not every state fits in the budget, a state with this many children gets a dense row. */
    private static final int DENSE_MIN_CHILDREN = 2;
    /** Upper bound on dense row cells (ints): 8 MiB, to keep memory linear in the forms. */
    private static final int DENSE_MAX_CELLS = 1 << 21;

    /** Byte value to byte class; class 0 is every byte that occurs in no form. */
    private final byte[] classOf = new byte[256];
    private final int classCount;
    /** Per state: offset of its dense row in {@link #cells}, or -1. */
    private final int[] denseRow;
    /**
     * Dense rows of complete transitions, holding <em>pointers</em>: the target's row offset when it is dense and
     * ends no form (the hot path stays in this array), otherwise {@code ~state}.
     */
    private final int[] cells;
    /** Per dense row: its state. */
    private final int[] rowState;
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
    /**
     * Prefilter: a bit per hash of 4 bytes, set for the first 4 bytes of every form (and every extension of a 3-byte
     * form). Where the 4 bytes at a position hash to a clear bit, no form starts there. While the automaton is in its
     * start state it skips such positions with independent table reads, instead of a chain of dependent transitions.
     */
    private final long[] startFilter;
    private final int filterShift;
    /**
     * Pointers in {@code [0, shallowLimit)} are dense states of depth at most {@link #RESKIP_DEPTH} (rows are laid
     * out breadth-first). From such a state the automaton can hand back to the prefilter: no match can start earlier
     * than {@code RESKIP_DEPTH} bytes back.
     */
    private final int shallowLimit;
    private static final int RESKIP_DEPTH = 3;

    AhoCorasickOracle(Collection<byte[]> forms) {
        // Sorted forms give the trie breadth-first with no search: at each depth the nodes are the distinct prefixes
        // in sorted order, a form needs a new node exactly where it stops sharing a prefix with the form before it,
        // and the children of a node come out consecutively. Memory is walked sequentially.
        byte[][] sorted = forms.toArray(new byte[0][]);
        Arrays.sort(sorted, Arrays::compareUnsigned);
        int m = sorted.length;
        int[] sharedWithPrevious = new int[m];
        long total = 1;
        int longest = 0;
        boolean[] used = new boolean[256];
        for (int k = 0; k < m; k++) {
            byte[] form = sorted[k];
            if (k > 0) {
                int mismatch = Arrays.mismatch(sorted[k - 1], form);
                sharedWithPrevious[k] = mismatch < 0 ? form.length : mismatch;
            }
            total += form.length - sharedWithPrevious[k];
            longest = Math.max(longest, form.length);
            for (byte b : form) {
                used[b & 0xff] = true;
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many secret forms to compile: " + total + " bytes");
        }
        this.longestForm = longest;
        int filterBits = Integer.highestOneBit(Math.max(1 << 12, Math.min(1 << 23, m * 64)));
        this.startFilter = new long[filterBits >>> 6];
        this.filterShift = 32 - Integer.numberOfTrailingZeros(filterBits);
        for (byte[] form : sorted) {
            if (form.length >= 4) {
                setFilter(word(form, 0));
            } else if (form.length == 3) {
                int prefix = word(form, 0) & 0xffffff00;
                for (int next = 0; next < 256; next++) {
                    setFilter(prefix | next);
                }
            }
        }
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

        int n = (int) total;
        this.stateCount = n;
        firstChild = new int[n];
        childCount = new int[n];
        label = new byte[n];
        fail = new int[n];
        matchLength = new int[n];
        depth = new int[n];
        denseRow = new int[n];
        Arrays.fill(denseRow, -1);

        int[] active = new int[m];
        int[] node = new int[m];
        int activeCount = 0;
        for (int k = 0; k < m; k++) {
            if (sorted[k].length > 0) {
                active[activeCount++] = k;
            }
        }
        int next = 1;
        for (int d = 0; activeCount > 0; d++) {
            int kept = 0;
            int current = -1;
            for (int a = 0; a < activeCount; a++) {
                int k = active[a];
                byte[] form = sorted[k];
                if (sharedWithPrevious[k] <= d) {
                    int parent = node[k];
                    current = next++;
                    if (childCount[parent]++ == 0) {
                        firstChild[parent] = current;
                    }
                    label[current] = form[d];
                    depth[current] = d + 1;
                }
                node[k] = current;
                if (form.length == d + 1) {
                    matchLength[current] = d + 1;
                } else {
                    active[kept++] = k;
                }
            }
            activeCount = kept;
        }
        Arrays.fill(node, 0);

        int denseRows = 0;
        boolean allDense = (long) n * classes <= DENSE_MAX_CELLS;
        for (int state = 0; state < n; state++) {
            if (state == ROOT || allDense
                    || (childCount[state] >= DENSE_MIN_CHILDREN && (long) (denseRows + 1) * classes <= DENSE_MAX_CELLS)) {
                denseRow[state] = denseRows++ * classes;
            }
        }
        cells = new int[denseRows * classes];
        rowState = new int[denseRows];

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
                // The failure state's transitions, overridden by this state's own children.
                if (state != ROOT) {
                    int failRow = denseRow[fail[state]];
                    if (failRow >= 0) {
                        System.arraycopy(cells, failRow, cells, row, classes);
                    } else {
                        for (int k = 1; k < classes; k++) {
                            cells[row + k] = step(fail[state], (byte) representative[k]);
                        }
                    }
                }
                for (int child = first; child < end; child++) {
                    cells[row + (classOf[label[child] & 0xff] & 0xff)] = child;
                }
                // class 0: a byte that is in no form sends every state back to root (the cell stays 0)
            }
        }
        int shallowRows = 0;
        for (int state = 0; state < n && depth[state] <= RESKIP_DEPTH; state++) {
            if (denseRow[state] >= 0) {
                shallowRows++;
            }
        }
        shallowLimit = shallowRows * classes;
        // Until here cells held state numbers (for step); from here on they hold pointers.
        for (int state = 0; state < n; state++) {
            int row = denseRow[state];
            if (row >= 0) {
                rowState[row / classes] = state;
                for (int k = 0; k < classes; k++) {
                    cells[row + k] = pointer(cells[row + k]);
                }
            }
        }
        for (byte[] form : sorted) {
            Arrays.fill(form, (byte) 0);
        }
    }

    private static int word(byte[] b, int at) {
        int w = (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8;
        return at + 3 < b.length ? w | (b[at + 3] & 0xff) : w;
    }

    private void setFilter(int word) {
        int h = (word * 0x9E3779B1) >>> filterShift;
        startFilter[h >>> 6] |= 1L << h;
    }

    /** During construction only (cells hold states): the state after reading {@code b} in {@code state}. */
    private int step(int state, byte b) {
        int s = state;
        while (true) {
            int row = denseRow[s];
            if (row >= 0) {
                return cells[row + (classOf[b & 0xff] & 0xff)];
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

    /** The pointer for a state: its dense row offset when it has one and ends no form, else {@code ~state}. */
    private int pointer(int state) {
        int row = denseRow[state];
        return row >= 0 && matchLength[state] == 0 ? row : ~state;
    }

    /** The pointer of the start state. */
    int start() {
        return pointer(ROOT);
    }

    /** The state a pointer stands for. */
    int state(int pointer) {
        return pointer >= 0 ? rowState[pointer / classCount] : ~pointer;
    }

    /** The slow path: from a sparse or form-ending state, the pointer after reading {@code b}. */
    private int stepPointer(int state, byte b) {
        int s = state;
        while (true) {
            int row = denseRow[s];
            if (row >= 0) {
                return cells[row + (classOf[b & 0xff] & 0xff)];
            }
            int child = firstChild[s];
            int end = child + childCount[s];
            for (; child < end; child++) {
                if (label[child] == b) {
                    return pointer(child);
                }
            }
            s = fail[s];
        }
    }

    /**
     * Runs the automaton over {@code buf[from, to)} from {@code pointer}, reporting each position where a form ends;
     * returns the final pointer. The hot path is one class lookup and one cell read per byte.
     */
    int run(int pointer, byte[] buf, int from, int to, MatchSink sink) {
        int p = pointer;
        final int[] table = cells;
        final byte[] classes = classOf;
        final int[] matches = matchLength;
        final long[] filter = startFilter;
        final int shift = filterShift;
        final int skipEnd = to - 3;
        final int shallow = shallowLimit;
        int i = from;
        int entered = from - 1;
        while (i < to) {
            if (p == 0 && i < skipEnd) {
                // In the start state: skip every position where no form can start. The last 3 bytes of the chunk
                // lack the 4 bytes the filter needs and go through the automaton instead.
                int w = (buf[i] & 0xff) << 16 | (buf[i + 1] & 0xff) << 8 | (buf[i + 2] & 0xff);
                while (i < skipEnd) {
                    w = w << 8 | (buf[i + 3] & 0xff);
                    int h = (w * 0x9E3779B1) >>> shift;
                    if ((filter[h >>> 6] & (1L << h)) != 0) {
                        break;
                    }
                    i++;
                }
                entered = i;
            }
            byte b = buf[i++];
            if (p >= 0) {
                p = table[p + (classes[b & 0xff] & 0xff)];
            } else {
                p = stepPointer(~p, b);
            }
            if (p < 0) {
                int length = matches[~p];
                if (length != 0) {
                    sink.match(i - 1, length);
                }
            } else if (p < shallow && p != 0 && i - RESKIP_DEPTH > entered && i - RESKIP_DEPTH >= from
                    && i < skipEnd) {
                // A shallow state with no match ending here: any form still in progress started at most
                // RESKIP_DEPTH bytes back, so let the prefilter look for it from there. Each hand-back moves the
                // entry point forward, so no byte is scanned more than RESKIP_DEPTH + 1 times, and a match is
                // never reported twice (one of length 3 ending here would make this a match state).
                i -= RESKIP_DEPTH;
                p = 0;
            }
        }
        return p;
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
}
