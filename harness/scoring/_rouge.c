/* The native core of the harness's ROUGE engine (see engine.py for what each
 * statistic counts, and native.py for how Python uses this module).
 *
 * Texts arrive as token ids: int32 arrays where equal ids mean equal tokens
 * (ids are assigned per process by native.py, after rouge-score's
 * tokenization and stemming). Everything ROUGE counts is a function of token
 * equality only, so scoring ids gives rouge-score's numbers exactly.
 *
 *   Vocab(stem).encode(text) -> (ids, line lengths)    tokenize an ASCII text
 *   porter_stem(word) -> stem                          NLTK's Porter stemmer
 *   stats(ref_ids, ref_lens, pred_ids, pred_lens, plan) -> ((hits, n_pred, n_ref), ...)
 *
 * plan: one int8 per ROUGE type: n >= 1 for rougeN, -1 for rougeL, 0 for
 * rougeLsum. rougeLsum replays rouge-score's `_summary_level_lcs` step for
 * step (the LCS table, its backtracking tie-breaks, the union and the
 * clipping), so its hits are rouge-score's by construction.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- scratch */

/* Growable scratch buffers, reused across calls (the GIL is held throughout). */
typedef struct {
    void *p;
    size_t cap; /* bytes */
} Buf;

static void *buf_get(Buf *b, size_t bytes) {
    if (bytes > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < bytes) cap *= 2;
        void *p = realloc(b->p, cap);
        if (!p) { PyErr_NoMemory(); return NULL; }
        b->p = p;
        b->cap = cap;
    }
    return b->p;
}

/* slot[id]: the id's index in the pair's local vocabulary, -1 when unused.
 * Always all -1 between calls: every call resets the ids it touched. */
static int32_t *g_slot = NULL;
static int64_t g_slot_cap = 0;

static int slots_cover(int32_t max_id) {
    if ((int64_t)max_id < g_slot_cap) return 0;
    int64_t cap = g_slot_cap ? g_slot_cap : 4096;
    while (cap <= (int64_t)max_id) cap *= 2;
    int32_t *p = realloc(g_slot, (size_t)cap * sizeof(int32_t));
    if (!p) { PyErr_NoMemory(); return -1; }
    for (int64_t i = g_slot_cap; i < cap; i++) p[i] = -1;
    g_slot = p;
    g_slot_cap = cap;
    return 0;
}

static Buf b_masks, b_v, b_table, b_cnt, b_union, b_vocab;

/* ------------------------------------------------------------------ encode */

static unsigned char FOLD[256];

static void init_fold(void) {
    for (int c = 0; c < 256; c++) FOLD[c] = ' ';
    for (int c = 'a'; c <= 'z'; c++) FOLD[c] = (unsigned char)c;
    for (int c = '0'; c <= '9'; c++) FOLD[c] = (unsigned char)c;
    for (int c = 'A'; c <= 'Z'; c++) FOLD[c] = (unsigned char)(c + 32);
    FOLD['\n'] = '\n';
}

static Buf b_ids, b_lens, b_low;

/* A hash table from byte strings to int32 ids, its keys kept in an arena. */
typedef struct {
    uint64_t hash;
    int64_t off; /* of the key's bytes in the arena; -1: empty */
    int32_t len;
    int32_t id;
} Entry;

typedef struct {
    Entry *slots;
    size_t mask, used;
    char *arena;
    size_t arena_len, arena_cap;
} Table;

static uint64_t hash_bytes(const unsigned char *p, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (Py_ssize_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h ^ (h >> 32);
}

static int table_init(Table *t) {
    free(t->slots);
    t->slots = malloc(1024 * sizeof(Entry));
    if (!t->slots) { PyErr_NoMemory(); return -1; }
    for (size_t i = 0; i < 1024; i++) t->slots[i].off = -1;
    t->mask = 1023;
    t->used = 0;
    t->arena_len = 0;
    return 0;
}

static void table_free(Table *t) {
    free(t->slots);
    free(t->arena);
    t->slots = NULL;
    t->arena = NULL;
}

static const Entry *table_find(const Table *t, const unsigned char *p, Py_ssize_t n, uint64_t h) {
    for (size_t j = h & t->mask; t->slots[j].off >= 0; j = (j + 1) & t->mask) {
        const Entry *e = t->slots + j;
        if (e->hash == h && e->len == n && memcmp(t->arena + e->off, p, (size_t)n) == 0) return e;
    }
    return NULL;
}

/* Add a key known to be absent. */
static int table_add(Table *t, const unsigned char *p, Py_ssize_t n, uint64_t h, int32_t id) {
    if (t->arena_len + (size_t)n > t->arena_cap) {
        size_t cap = t->arena_cap ? t->arena_cap : 1 << 16;
        while (cap < t->arena_len + (size_t)n) cap *= 2;
        char *a = realloc(t->arena, cap);
        if (!a) { PyErr_NoMemory(); return -1; }
        t->arena = a;
        t->arena_cap = cap;
    }
    memcpy(t->arena + t->arena_len, p, (size_t)n);
    size_t j = h & t->mask;
    while (t->slots[j].off >= 0) j = (j + 1) & t->mask;
    t->slots[j] = (Entry){h, (int64_t)t->arena_len, (int32_t)n, id};
    t->arena_len += (size_t)n;
    if (++t->used * 2 > t->mask + 1) { /* grow: keep the load under one half */
        size_t cap = (t->mask + 1) * 2;
        Entry *slots = malloc(cap * sizeof(Entry));
        if (!slots) { PyErr_NoMemory(); return -1; }
        for (size_t i = 0; i < cap; i++) slots[i].off = -1;
        for (size_t i = 0; i <= t->mask; i++) {
            if (t->slots[i].off < 0) continue;
            size_t k = t->slots[i].hash & (cap - 1);
            while (slots[k].off >= 0) k = (k + 1) & (cap - 1);
            slots[k] = t->slots[i];
        }
        free(t->slots);
        t->slots = slots;
        t->mask = cap - 1;
    }
    return 0;
}

/* Vocab: token -> id of the term it counts as, all in C.
 *
 * Vocab(stem): a token's term is its Porter stem when `stem` and the token
 * is longer than 3 characters (rouge-score's rule), else the token; equal
 * terms get equal ids. Each answer is kept in a table, so a token seen
 * before costs a hash and a compare, and no Python object is made. */
typedef struct {
    PyObject_HEAD
    int stem, ready;
    Table tokens, terms;
} Vocab;

static int porter(char *b, int n);
static Buf b_word;

/* The id of token p[0..n) (ASCII), -2 on error. */
static int64_t vocab_id(Vocab *v, const unsigned char *p, Py_ssize_t n) {
    uint64_t h = hash_bytes(p, n);
    const Entry *e = table_find(&v->tokens, p, n, h);
    if (e) return e->id;
    long id;
    const unsigned char *term = p;
    Py_ssize_t m = n;
    if (v->stem && n > 3) {
        if (n > INT32_MAX - 8) { PyErr_NoMemory(); return -2; }
        char *w = buf_get(&b_word, (size_t)n + 8);
        if (!w) return -2;
        memcpy(w, p, (size_t)n);
        m = porter(w, (int)n);
        term = (const unsigned char *)w;
    }
    if (m == 0) {
        id = -1; /* an empty stem fails rouge-score's validity check (never seen) */
    } else {
        uint64_t ht = hash_bytes(term, m);
        const Entry *te = table_find(&v->terms, term, m, ht);
        if (te) {
            id = te->id;
        } else {
            if (v->terms.used >= INT32_MAX) {
                PyErr_SetString(PyExc_OverflowError, "too many distinct terms");
                return -2;
            }
            id = (long)v->terms.used;
            if (table_add(&v->terms, term, m, ht, (int32_t)id)) return -2;
        }
    }
    if (table_add(&v->tokens, p, n, h, (int32_t)id)) return -2;
    return id;
}

static int Vocab_init(Vocab *v, PyObject *args, PyObject *kw) {
    int stem = 0;
    if (!PyArg_ParseTuple(args, "|p:Vocab", &stem)) return -1;
    v->stem = stem;
    if (table_init(&v->tokens) || table_init(&v->terms)) return -1;
    v->ready = 1;
    return 0;
}

static void Vocab_dealloc(Vocab *v) {
    table_free(&v->tokens);
    table_free(&v->terms);
    Py_TYPE(v)->tp_free((PyObject *)v);
}

/* Vocab.encode(text: str) -> (ids: bytes, lens: bytes)
 *
 * `text` must be ASCII (native.py folds other text first). Lowercase it,
 * cut it into runs of [a-z0-9] (every other character separates tokens),
 * and give each token its id. Returns the int32 ids and, per line
 * ("\n"-separated, rougeLsum's sentences), its number of tokens. */
static PyObject *Vocab_encode(Vocab *v, PyObject *text) {
    if (!PyUnicode_Check(text) || !PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_TypeError, "encode() takes an ASCII str");
        return NULL;
    }
    if (!v->ready) {
        PyErr_SetString(PyExc_RuntimeError, "Vocab not initialised");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const unsigned char *s = (const unsigned char *)PyUnicode_DATA(text);
    unsigned char *low = buf_get(&b_low, (size_t)n + 1);
    if (!low) return NULL;
    Py_ssize_t n_lines = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        low[i] = FOLD[s[i]];
        n_lines += low[i] == '\n';
    }
    low[n] = '\n'; /* a sentinel: closes the last token and the last line */
    int32_t *ids = buf_get(&b_ids, sizeof(int32_t) * (size_t)(n / 2 + 1)); /* tokens are separated */
    if (!ids) return NULL;
    int32_t *lens = buf_get(&b_lens, sizeof(int32_t) * (size_t)n_lines);
    if (!lens) return NULL;
    Py_ssize_t k = 0, line = 0, line_start = 0, i = 0;
    while (i <= n) {
        unsigned char c = low[i];
        if (c == ' ') { i++; continue; }
        if (c == '\n') {
            lens[line++] = (int32_t)(k - line_start);
            line_start = k;
            i++;
            continue;
        }
        Py_ssize_t j = i;
        while (low[j] != ' ' && low[j] != '\n') j++;
        int64_t id = vocab_id(v, low + i, j - i);
        if (id == -2) return NULL;
        if (id >= 0) ids[k++] = (int32_t)id;
        i = j;
    }
    PyObject *a = PyBytes_FromStringAndSize((const char *)ids, (Py_ssize_t)(k * sizeof(int32_t)));
    PyObject *b = PyBytes_FromStringAndSize((const char *)lens, (Py_ssize_t)(line * sizeof(int32_t)));
    if (!a || !b) { Py_XDECREF(a); Py_XDECREF(b); return NULL; }
    return Py_BuildValue("(NN)", a, b);
}

static PyObject *Vocab_len(Vocab *v, PyObject *unused) { return PyLong_FromSize_t(v->tokens.used); }

static PyMethodDef Vocab_methods[] = {
    {"encode", (PyCFunction)Vocab_encode, METH_O, "encode(text) -> (ids, line lengths): tokenize an ASCII text."},
    {"size", (PyCFunction)Vocab_len, METH_NOARGS, "size() -> number of distinct tokens held in the table."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject VocabType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "harness.scoring._rouge.Vocab",
    .tp_basicsize = sizeof(Vocab),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Vocab(stem=False): token -> id of its term (its Porter stem when `stem`), in C.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Vocab_init,
    .tp_dealloc = (destructor)Vocab_dealloc,
    .tp_methods = Vocab_methods,
};

/* ------------------------------------------------------------------- rougeN */

typedef struct {
    uint64_t hash;
    int32_t pos; /* start of the n-gram in the reference; -1: empty */
    int32_t count;
} Gram;

static Buf b_grams;

static uint64_t gram_hash(const int32_t *x, int n) {
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (int k = 0; k < n; k++) h = (h ^ (uint32_t)x[k]) * 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

/* rougeN hits: the size of the multiset intersection of the two texts'
 * n-grams (sum over common n-grams of the smaller count), as rouge-score's
 * `_score_ngrams`. A hash table of the reference's n-grams, compared id by
 * id on equal hashes, so the counts are exact. */
static int ngram_hits(const int32_t *r, Py_ssize_t nr, const int32_t *p, Py_ssize_t np_, int n, int64_t *out) {
    Py_ssize_t kr = nr - n + 1, kp = np_ - n + 1;
    *out = 0;
    if (kr <= 0 || kp <= 0) return 0;
    size_t size = 16;
    while (size < 2 * (size_t)kr) size *= 2;
    Gram *tab = buf_get(&b_grams, size * sizeof(Gram));
    if (!tab) return -1;
    size_t mask = size - 1;
    for (size_t j = 0; j < size; j++) tab[j].pos = -1;
    size_t bytes = sizeof(int32_t) * (size_t)n;
    for (Py_ssize_t i = 0; i < kr; i++) {
        uint64_t h = gram_hash(r + i, n);
        size_t j = h & mask;
        for (;; j = (j + 1) & mask) {
            if (tab[j].pos < 0) {
                tab[j].hash = h;
                tab[j].pos = (int32_t)i;
                tab[j].count = 1;
                break;
            }
            if (tab[j].hash == h && memcmp(r + tab[j].pos, r + i, bytes) == 0) {
                tab[j].count++;
                break;
            }
        }
    }
    int64_t hits = 0;
    for (Py_ssize_t i = 0; i < kp; i++) {
        uint64_t h = gram_hash(p + i, n);
        for (size_t j = h & mask; tab[j].pos >= 0; j = (j + 1) & mask) {
            if (tab[j].hash == h && memcmp(r + tab[j].pos, p + i, bytes) == 0) {
                if (tab[j].count > 0) {
                    tab[j].count--;
                    hits++;
                }
                break;
            }
        }
    }
    *out = hits;
    return 0;
}

/* ------------------------------------------------------------------- rougeL */

/* Give every distinct id of `ids` a slot (the pair's local vocabulary);
 * `vocab` collects the ids given one, so they can be reset afterwards. */
static int32_t assign_slots(const int32_t *ids, Py_ssize_t n, int32_t *vocab, int32_t n_vocab) {
    for (Py_ssize_t i = 0; i < n; i++) {
        if (g_slot[ids[i]] < 0) {
            g_slot[ids[i]] = n_vocab;
            vocab[n_vocab++] = ids[i];
        }
    }
    return n_vocab;
}

static void reset_slots(const int32_t *vocab, int32_t n_vocab) {
    for (int32_t i = 0; i < n_vocab; i++) g_slot[vocab[i]] = -1;
}

/* One summary token of the bit-parallel LCS (Hyyro 2004) over w words:
 * out = (V + (V & M)) | (V & ~M), the addition carrying across words. out may be V. */
static inline void lcs_step(const uint64_t *V, uint64_t *out, const uint64_t *M, Py_ssize_t w) {
    uint64_t carry = 0;
    for (Py_ssize_t k = 0; k < w; k++) {
        uint64_t vk = V[k], u = vk & M[k];
        uint64_t sum = vk + u;
        uint64_t c1 = sum < vk;
        uint64_t sum2 = sum + carry;
        carry = c1 | (sum2 < sum);
        out[k] = sum2 | (vk & ~M[k]);
    }
}

/* Length of the longest common subsequence, bit-parallel (Hyyro 2004): one
 * bit per reference token, V's zero bits count the LCS. Slots of the
 * reference's ids must be assigned (slots < n_ref_vocab). */
static int lcs_length(const int32_t *r, Py_ssize_t nr, const int32_t *p, Py_ssize_t np_, int32_t n_ref_vocab,
                      int64_t *out) {
    if (!nr || !np_) { *out = 0; return 0; }
    Py_ssize_t w = (nr + 63) / 64;
    uint64_t *masks = buf_get(&b_masks, sizeof(uint64_t) * (size_t)(w * n_ref_vocab));
    uint64_t *v = buf_get(&b_v, sizeof(uint64_t) * (size_t)w);
    if (!masks || !v) return -1;
    memset(masks, 0, sizeof(uint64_t) * (size_t)(w * n_ref_vocab));
    for (Py_ssize_t i = 0; i < nr; i++) masks[(Py_ssize_t)g_slot[r[i]] * w + i / 64] |= (uint64_t)1 << (i % 64);
    for (Py_ssize_t k = 0; k < w; k++) v[k] = ~(uint64_t)0;
    for (Py_ssize_t j = 0; j < np_; j++) {
        int32_t s = g_slot[p[j]];
        if (s < 0 || s >= n_ref_vocab) continue;
        lcs_step(v, v, masks + (Py_ssize_t)s * w, w);
    }
    int64_t zeros = 0;
    for (Py_ssize_t k = 0; k < w; k++) {
        uint64_t vk = v[k];
        if (k == w - 1 && nr % 64) vk |= ~(uint64_t)0 << (nr % 64);
        zeros += 64 - __builtin_popcountll(vk);
    }
    *out = zeros;
    return 0;
}

/* ---------------------------------------------------------------- rougeLsum */

/* Zero bits of the multiword V among positions [0, i): the LCS of the first
 * i reference tokens with the summary prefix V was computed for. */
static inline int zeros_below(const uint64_t *V, Py_ssize_t i) {
    int z = 0;
    Py_ssize_t k = 0;
    for (; (k + 1) * 64 <= i; k++) z += 64 - __builtin_popcountll(V[k]);
    Py_ssize_t rem = i - k * 64;
    if (rem) z += (int)rem - __builtin_popcountll(V[k] & (((uint64_t)1 << rem) - 1));
    return z;
}

/* rouge-score's `_summary_level_lcs`: for each reference sentence, the union
 * of its positions in one LCS with every summary sentence (`_lcs_table` and
 * `_backtrack_norec`), then each union token counts as a hit while it is
 * still unused in both texts. Slots of both texts' ids must be assigned.
 *
 * The LCS table is not filled cell by cell: its column j (the summary
 * sentence's first j tokens against the reference sentence) is the
 * bit-parallel LCS vector V_j (Hyyro 2004), and the cell t[i][j] is the
 * number of zero bits of V_j below bit i. The backtracking then reads the
 * same cells rouge-score's does, with the same tie-breaks. */
static int lsum_hits(const int32_t *r, const int32_t *rl, Py_ssize_t n_rl, const int32_t *p, const int32_t *pl,
                     Py_ssize_t n_pl, Py_ssize_t nr, Py_ssize_t np_, int32_t n_vocab, int64_t *out) {
    *out = 0;
    if (!nr || !np_) return 0;
    int32_t *cnt = buf_get(&b_cnt, sizeof(int32_t) * 2 * (size_t)n_vocab);
    if (!cnt) return -1;
    int32_t *cnt_r = cnt, *cnt_c = cnt + n_vocab;
    memset(cnt, 0, sizeof(int32_t) * 2 * (size_t)n_vocab);
    for (Py_ssize_t i = 0; i < nr; i++) cnt_r[g_slot[r[i]]]++;
    for (Py_ssize_t i = 0; i < np_; i++) cnt_c[g_slot[p[i]]]++;
    Py_ssize_t longest = 0, longest_p = 0;
    for (Py_ssize_t s = 0; s < n_rl; s++) if (rl[s] > longest) longest = rl[s];
    for (Py_ssize_t s = 0; s < n_pl; s++) if (pl[s] > longest_p) longest_p = pl[s];
    Py_ssize_t wmax = (longest + 63) / 64;
    unsigned char *in_union = buf_get(&b_union, (size_t)longest + 1);
    uint64_t *masks = buf_get(&b_masks, sizeof(uint64_t) * (size_t)(n_vocab * wmax));
    uint64_t *cols_v = buf_get(&b_table, sizeof(uint64_t) * (size_t)((longest_p + 1) * wmax));
    if (!in_union || !masks || !cols_v) return -1;
    memset(masks, 0, sizeof(uint64_t) * (size_t)(n_vocab * wmax));
    int64_t hits = 0;
    const int32_t *ref = r;
    for (Py_ssize_t s = 0; s < n_rl; ref += rl[s], s++) {
        Py_ssize_t rows = rl[s];
        if (!rows) continue;
        Py_ssize_t w = (rows + 63) / 64;
        memset(in_union, 0, (size_t)rows);
        for (Py_ssize_t i = 0; i < rows; i++)
            masks[(Py_ssize_t)g_slot[ref[i]] * wmax + i / 64] |= (uint64_t)1 << (i % 64);
        const int32_t *can = p;
        for (Py_ssize_t c = 0; c < n_pl; can += pl[c], c++) {
            Py_ssize_t cols = pl[c];
            if (!cols) continue;
            /* forward: V_0 = all ones, V_j from V_{j-1} and the mask of token j */
            uint64_t *V = cols_v;
            for (Py_ssize_t k = 0; k < w; k++) V[k] = ~(uint64_t)0;
            for (Py_ssize_t j = 1; j <= cols; j++, V += w)
                lcs_step(V, V + w, masks + (Py_ssize_t)g_slot[can[j - 1]] * wmax, w);
            if (!zeros_below(V, rows)) continue; /* no common subsequence: nothing to mark */
            /* _backtrack_norec, reading t[i][j] = zeros_below(V_j, i) */
            Py_ssize_t i = rows, j = cols;
            while (i > 0 && j > 0) {
                if (ref[i - 1] == can[j - 1]) {
                    in_union[i - 1] = 1;
                    i--;
                    j--;
                } else if (zeros_below(cols_v + (j - 1) * w, i) > zeros_below(cols_v + j * w, i - 1)) {
                    j--;
                } else {
                    i--;
                }
            }
        }
        for (Py_ssize_t i = 0; i < rows; i++) masks[(Py_ssize_t)g_slot[ref[i]] * wmax + i / 64] = 0;
        /* the union, in position order, clipped by what is left in both texts */
        for (Py_ssize_t i2 = 0; i2 < rows; i2++) {
            if (!in_union[i2]) continue;
            int32_t sl = g_slot[ref[i2]];
            if (cnt_c[sl] > 0 && cnt_r[sl] > 0) {
                hits++;
                cnt_c[sl]--;
                cnt_r[sl]--;
            }
        }
    }
    *out = hits;
    return 0;
}

/* ------------------------------------------------------------------- porter */

/* NLTK's PorterStemmer (its default NLTK_EXTENSIONS mode, as rouge-score
 * builds it), step for step: nltk/stem/porter.py. Words are [a-z0-9]+ (what
 * rouge-score's tokenizer emits). tests/test_scoring_native.py checks it
 * against NLTK on every distinct token of the evaluation sets and on
 * generated words built to hit each rule. */

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* `_is_consonant`: "y" is a consonant at the start and after a vowel. */
static int cons(const char *b, int i) {
    if (is_vowel(b[i])) return 0;
    if (b[i] != 'y') return 1;
    int negate = 0;
    while (i > 0 && b[i] == 'y') { negate = !negate; i--; }
    return (!is_vowel(b[i])) != negate;
}

/* `_measure`: the number of vowel-consonant sequences, m in [C](VC)^m[V]. */
static int measure(const char *b, int n) {
    int m = 0, prev = 1;
    for (int i = 0; i < n; i++) {
        int c = cons(b, i);
        if (c && !prev) m++;
        prev = c;
    }
    return m;
}

static int contains_vowel(const char *b, int n) {
    for (int i = 0; i < n; i++) if (!cons(b, i)) return 1;
    return 0;
}

static int ends_double_consonant(const char *b, int n) { return n >= 2 && b[n - 1] == b[n - 2] && cons(b, n - 1); }

static int ends_cvc(const char *b, int n) {
    return (n >= 3 && cons(b, n - 3) && !cons(b, n - 2) && cons(b, n - 1) && b[n - 1] != 'w' && b[n - 1] != 'x' &&
            b[n - 1] != 'y') ||
           (n == 2 && !cons(b, 0) && cons(b, 1));
}

static int ends(const char *b, int n, const char *suffix) {
    int k = (int)strlen(suffix);
    return n >= k && memcmp(b + n - k, suffix, (size_t)k) == 0;
}

enum { C_NONE, C_M0, C_M1, C_ION, C_LOGI };

typedef struct {
    const char *suffix, *repl;
    int cond;
} Rule;

/* `_apply_rule_list`: the first rule whose suffix the word ends with decides;
 * the word changes only if that rule's condition holds on the stem. */
static int apply_rules(char *b, int n, const Rule *rules, int n_rules) {
    for (int k = 0; k < n_rules; k++) {
        const Rule *r = rules + k;
        if (!ends(b, n, r->suffix)) continue;
        int stem = n - (int)strlen(r->suffix), ok;
        switch (r->cond) {
        case C_M0: ok = measure(b, stem) > 0; break;
        case C_M1: ok = measure(b, stem) > 1; break;
        case C_ION: ok = measure(b, stem) > 1 && (b[stem - 1] == 's' || b[stem - 1] == 't'); break;
        case C_LOGI: ok = measure(b, n - 3) > 0; break;
        default: ok = 1;
        }
        if (!ok) return n;
        int k2 = (int)strlen(r->repl);
        memcpy(b + stem, r->repl, (size_t)k2);
        return stem + k2;
    }
    return n;
}

static int put(char *b, int n, const char *suffix, const char *repl) {
    int stem = n - (int)strlen(suffix), k = (int)strlen(repl);
    memcpy(b + stem, repl, (size_t)k);
    return stem + k;
}

static const Rule STEP1A[] = {{"sses", "ss", C_NONE}, {"ies", "i", C_NONE}, {"ss", "ss", C_NONE}, {"s", "", C_NONE}};

static int step1b(char *b, int n) {
    if (ends(b, n, "ied")) return put(b, n, "ied", n == 4 ? "ie" : "i");
    if (ends(b, n, "eed")) return measure(b, n - 3) > 0 ? put(b, n, "eed", "ee") : n;
    int stem;
    if (ends(b, n, "ed") && contains_vowel(b, n - 2)) stem = n - 2;
    else if (ends(b, n, "ing") && contains_vowel(b, n - 3)) stem = n - 3;
    else return n;
    n = stem;
    if (ends(b, n, "at")) return put(b, n, "at", "ate");
    if (ends(b, n, "bl")) return put(b, n, "bl", "ble");
    if (ends(b, n, "iz")) return put(b, n, "iz", "ize");
    if (ends_double_consonant(b, n)) {
        char last = b[n - 1];
        return last != 'l' && last != 's' && last != 'z' ? n - 1 : n;
    }
    if (measure(b, n) == 1 && ends_cvc(b, n)) b[n++] = 'e';
    return n;
}

static const Rule STEP2[] = {
    {"ational", "ate", C_M0}, {"tional", "tion", C_M0}, {"enci", "ence", C_M0},   {"anci", "ance", C_M0},
    {"izer", "ize", C_M0},    {"bli", "ble", C_M0},     {"alli", "al", C_M0},     {"entli", "ent", C_M0},
    {"eli", "e", C_M0},       {"ousli", "ous", C_M0},   {"ization", "ize", C_M0}, {"ation", "ate", C_M0},
    {"ator", "ate", C_M0},    {"alism", "al", C_M0},    {"iveness", "ive", C_M0}, {"fulness", "ful", C_M0},
    {"ousness", "ous", C_M0}, {"aliti", "al", C_M0},    {"iviti", "ive", C_M0},   {"biliti", "ble", C_M0},
    {"fulli", "ful", C_M0},   {"logi", "log", C_LOGI},
};

static int step2(char *b, int n) {
    if (ends(b, n, "alli") && measure(b, n - 4) > 0) return step2(b, put(b, n, "alli", "al"));
    return apply_rules(b, n, STEP2, (int)(sizeof STEP2 / sizeof *STEP2));
}

static const Rule STEP3[] = {{"icate", "ic", C_M0}, {"ative", "", C_M0}, {"alize", "al", C_M0}, {"iciti", "ic", C_M0},
                             {"ical", "ic", C_M0},  {"ful", "", C_M0},   {"ness", "", C_M0}};

static const Rule STEP4[] = {
    {"al", "", C_M1},   {"ance", "", C_M1}, {"ence", "", C_M1}, {"er", "", C_M1},    {"ic", "", C_M1},
    {"able", "", C_M1}, {"ible", "", C_M1}, {"ant", "", C_M1},  {"ement", "", C_M1}, {"ment", "", C_M1},
    {"ent", "", C_M1},  {"ion", "", C_ION}, {"ou", "", C_M1},   {"ism", "", C_M1},   {"ate", "", C_M1},
    {"iti", "", C_M1},  {"ous", "", C_M1},  {"ive", "", C_M1},  {"ize", "", C_M1},
};

static const char *POOL[][2] = {
    {"sky", "sky"},         {"skies", "sky"},       {"dying", "die"},       {"lying", "lie"},
    {"tying", "tie"},       {"news", "news"},       {"innings", "inning"},  {"inning", "inning"},
    {"outings", "outing"},  {"outing", "outing"},   {"cannings", "canning"}, {"canning", "canning"},
    {"howe", "howe"},       {"proceed", "proceed"}, {"exceed", "exceed"},   {"succeed", "succeed"},
};

/* Stem b[0..n) in place (b has room for n + 1 chars); returns the new length. */
static int porter(char *b, int n) {
    for (size_t k = 0; k < sizeof POOL / sizeof *POOL; k++) {
        if ((int)strlen(POOL[k][0]) == n && memcmp(b, POOL[k][0], (size_t)n) == 0) {
            int m = (int)strlen(POOL[k][1]);
            memcpy(b, POOL[k][1], (size_t)m);
            return m;
        }
    }
    if (n <= 2) return n;
    /* step 1a */
    if (ends(b, n, "ies") && n == 4) n = put(b, n, "ies", "ie");
    else n = apply_rules(b, n, STEP1A, 4);
    n = step1b(b, n);
    /* step 1c */
    if (ends(b, n, "y") && n - 1 > 1 && cons(b, n - 2)) b[n - 1] = 'i';
    n = step2(b, n);
    n = apply_rules(b, n, STEP3, (int)(sizeof STEP3 / sizeof *STEP3));
    n = apply_rules(b, n, STEP4, (int)(sizeof STEP4 / sizeof *STEP4));
    /* step 5a */
    if (ends(b, n, "e")) {
        int m = measure(b, n - 1);
        if (m > 1 || (m == 1 && !ends_cvc(b, n - 1))) n--;
    }
    /* step 5b */
    if (ends(b, n, "ll") && measure(b, n - 1) > 1) n--;
    return n;
}

/* porter_stem(word: str) -> str: NLTK's PorterStemmer().stem(word) for [a-z0-9]+ words. */
static PyObject *py_porter_stem(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg) || !PyUnicode_IS_ASCII(arg)) {
        PyErr_SetString(PyExc_TypeError, "porter_stem() takes an ASCII str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    const char *s = (const char *)PyUnicode_DATA(arg);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) {
            PyErr_SetString(PyExc_ValueError, "porter_stem() takes [a-z0-9]+ words");
            return NULL;
        }
    }
    if (n > INT32_MAX - 8) return PyErr_NoMemory();
    char *b = buf_get(&b_word, (size_t)n + 8);
    if (!b) return NULL;
    memcpy(b, s, (size_t)n);
    int m = porter(b, (int)n);
    return PyUnicode_FromStringAndSize(b, m);
}

/* -------------------------------------------------------------------- stats */

static int32_t max_id(const int32_t *a, Py_ssize_t n) {
    int32_t m = 0;
    for (Py_ssize_t i = 0; i < n; i++) if (a[i] > m) m = a[i];
    return m;
}

static int check_ids(const int32_t *a, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++)
        if (a[i] < 0) { PyErr_SetString(PyExc_ValueError, "negative token id"); return -1; }
    return 0;
}

static int check_lens(const int32_t *l, Py_ssize_t n_l, Py_ssize_t total, const char *what) {
    int64_t sum = 0;
    for (Py_ssize_t i = 0; i < n_l; i++) {
        if (l[i] < 0) { PyErr_Format(PyExc_ValueError, "negative %s line length", what); return -1; }
        sum += l[i];
    }
    if (sum != total) {
        PyErr_Format(PyExc_ValueError, "%s line lengths add up to %lld, not %zd tokens", what, (long long)sum, total);
        return -1;
    }
    return 0;
}

/* stats(ref_ids, ref_lens, pred_ids, pred_lens, plan) -> tuple of (hits, n_pred, n_ref) per plan entry */
/* The (hits, summary count, reference count) of each plan entry, into out[3 * k ..]. */
static int pair_stats(Py_buffer *rb, Py_buffer *rlb, Py_buffer *pb, Py_buffer *plb, Py_buffer *planb, int64_t *out) {
    int32_t *vocab = NULL;
    int32_t n_vocab = 0, n_ref_vocab = 0;
    int err = -1;
    const int32_t *r = rb->buf, *rl = rlb->buf, *p = pb->buf, *pl = plb->buf;
    const int8_t *plan = planb->buf;
    Py_ssize_t nr = rb->len / 4, n_rl = rlb->len / 4, np_ = pb->len / 4, n_pl = plb->len / 4, n_plan = planb->len;
    int need_slots = 0;
    for (Py_ssize_t k = 0; k < n_plan; k++) need_slots |= plan[k] <= 0;
    if (rb->len % 4 || rlb->len % 4 || pb->len % 4 || plb->len % 4) {
        PyErr_SetString(PyExc_ValueError, "stats() takes int32 arrays");
        return -1;
    }
    if (check_ids(r, nr) || check_ids(p, np_) || check_lens(rl, n_rl, nr, "reference") ||
        check_lens(pl, n_pl, np_, "summary"))
        return -1;
    if (need_slots) {
        int32_t m = max_id(r, nr), m2 = max_id(p, np_);
        if (slots_cover(m > m2 ? m : m2)) return -1;
        vocab = buf_get(&b_vocab, sizeof(int32_t) * (size_t)(nr + np_ + 1));
        if (!vocab) return -1;
        n_ref_vocab = n_vocab = assign_slots(r, nr, vocab, 0);
    }
    int summary_slots = 0;
    for (Py_ssize_t k = 0; k < n_plan; k++) {
        int n = plan[k];
        int64_t hits = 0, cp, cr;
        if (n >= 1) {
            err = ngram_hits(r, nr, p, np_, n, &hits);
            cp = np_ - n + 1 > 0 ? np_ - n + 1 : 0;
            cr = nr - n + 1 > 0 ? nr - n + 1 : 0;
        } else if (n == -1) {
            err = lcs_length(r, nr, p, np_, n_ref_vocab, &hits);
            cp = np_;
            cr = nr;
        } else {
            if (!summary_slots) {
                n_vocab = assign_slots(p, np_, vocab, n_vocab);
                summary_slots = 1;
            }
            err = lsum_hits(r, rl, n_rl, p, pl, n_pl, nr, np_, n_vocab, &hits);
            cp = np_;
            cr = nr;
        }
        if (err) break;
        out[3 * k] = hits;
        out[3 * k + 1] = cp;
        out[3 * k + 2] = cr;
    }
    if (!n_plan) err = 0;
    if (vocab) reset_slots(vocab, n_vocab);
    return err;
}

static Buf b_out;

/* Parse the five buffers, compute, release; returns the plan length or -1. */
static Py_ssize_t stats_call(PyObject *args, const char *fmt, int64_t **out) {
    Py_buffer rb, rlb, pb, plb, planb;
    if (!PyArg_ParseTuple(args, fmt, &rb, &rlb, &pb, &plb, &planb)) return -1;
    Py_ssize_t n_plan = planb.len;
    *out = buf_get(&b_out, sizeof(int64_t) * 3 * (size_t)(n_plan + 1));
    int err = *out ? pair_stats(&rb, &rlb, &pb, &plb, &planb, *out) : -1;
    PyBuffer_Release(&rb);
    PyBuffer_Release(&rlb);
    PyBuffer_Release(&pb);
    PyBuffer_Release(&plb);
    PyBuffer_Release(&planb);
    return err ? -1 : n_plan;
}

/* stats(ref_ids, ref_lens, pred_ids, pred_lens, plan) -> tuple of (hits, n_pred, n_ref) per plan entry */
static PyObject *py_stats(PyObject *self, PyObject *args) {
    int64_t *out;
    Py_ssize_t n_plan = stats_call(args, "y*y*y*y*y*:stats", &out);
    if (n_plan < 0) return NULL;
    PyObject *result = PyTuple_New(n_plan);
    if (!result) return NULL;
    for (Py_ssize_t k = 0; k < n_plan; k++) {
        PyObject *item = Py_BuildValue("(LLL)", (long long)out[3 * k], (long long)out[3 * k + 1],
                                       (long long)out[3 * k + 2]);
        if (!item) { Py_DECREF(result); return NULL; }
        PyTuple_SET_ITEM(result, k, item);
    }
    return result;
}

/* scores(...same...) -> [P, R, F of the first plan entry, P, R, F of the second, ...]
 *
 * With rouge-score's float operations: P = hits / n_pred, R = hits / n_ref
 * (0.0 when the count is 0), F = 2 * P * R / (P + R) (0.0 when P + R is 0),
 * evaluated in the same order as Python does, so the doubles are the same. */
static PyObject *py_scores(PyObject *self, PyObject *args) {
    int64_t *out;
    Py_ssize_t n_plan = stats_call(args, "y*y*y*y*y*:scores", &out);
    if (n_plan < 0) return NULL;
    PyObject *result = PyList_New(3 * n_plan);
    if (!result) return NULL;
    for (Py_ssize_t k = 0; k < n_plan; k++) {
        double hits = (double)out[3 * k], np_ = (double)out[3 * k + 1], nr = (double)out[3 * k + 2];
        double pr = out[3 * k + 1] ? hits / np_ : 0.0;
        double rc = out[3 * k + 2] ? hits / nr : 0.0;
        double f = pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0.0;
        PyObject *a = PyFloat_FromDouble(pr), *b = PyFloat_FromDouble(rc), *c = PyFloat_FromDouble(f);
        if (!a || !b || !c) {
            Py_XDECREF(a);
            Py_XDECREF(b);
            Py_XDECREF(c);
            Py_DECREF(result);
            return NULL;
        }
        PyList_SET_ITEM(result, 3 * k, a);
        PyList_SET_ITEM(result, 3 * k + 1, b);
        PyList_SET_ITEM(result, 3 * k + 2, c);
    }
    return result;
}

static PyMethodDef methods[] = {
    {"porter_stem", py_porter_stem, METH_O, "porter_stem(word) -> NLTK's PorterStemmer().stem(word), for [a-z0-9]+ words."},
    {"stats", py_stats, METH_VARARGS,
     "stats(ref_ids, ref_lens, pred_ids, pred_lens, plan) -> ((hits, summary count, reference count), ...)"},
    {"scores", py_scores, METH_VARARGS,
     "scores(ref_ids, ref_lens, pred_ids, pred_lens, plan) -> [P, R, F, P, R, F, ...] as rouge-score computes them"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_rouge", "Native core of the harness ROUGE engine.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__rouge(void) {
    init_fold();
    if (PyType_Ready(&VocabType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&VocabType);
    if (PyModule_AddObject(m, "Vocab", (PyObject *)&VocabType) < 0) {
        Py_DECREF(&VocabType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
