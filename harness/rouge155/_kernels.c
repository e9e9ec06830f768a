/* ROUGE-1.5.5's counting kernels in C (harness.rouge155.kernels has the same in Python; the tests
 * hold both to the same numbers). Tokens are int32 ids in buffers (array('i')).
 *
 *   grams(peer, model, n)              -> (clipped hits, model n-grams, peer n-grams)
 *   skips(peer, model, skip, unigrams) -> (clipped hits, model grams, peer grams)
 *   lcs(model_units, peer_units, model_tokens, peer_tokens, weight)
 *                                      -> (hit, base); weight <= 0: ROUGE-L, else ROUGE-W
 * Floating point follows the Python code operation for operation (built with -ffp-contract=off).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct { Py_buffer view; const int32_t *v; Py_ssize_t n; } ivec;

static int ivec_get(PyObject *obj, ivec *out) {
    if (PyObject_GetBuffer(obj, &out->view, PyBUF_SIMPLE) < 0) return -1;
    out->v = (const int32_t *)out->view.buf;
    out->n = out->view.len / (Py_ssize_t)sizeof(int32_t);
    return 0;
}

static void ivec_free(ivec *x) { PyBuffer_Release(&x->view); }

/* ---- n-grams: indices sorted by the n tokens they start, then merged ---- */
static const int32_t *g_tokens;
static int g_n;

static int cmp_gram(const void *a, const void *b) {
    const int32_t *x = g_tokens + *(const Py_ssize_t *)a, *y = g_tokens + *(const Py_ssize_t *)b;
    for (int k = 0; k < g_n; k++)
        if (x[k] != y[k]) return x[k] < y[k] ? -1 : 1;
    return 0;
}

static int gram_cmp2(const int32_t *x, const int32_t *y, int n) {
    for (int k = 0; k < n; k++)
        if (x[k] != y[k]) return x[k] < y[k] ? -1 : 1;
    return 0;
}

static Py_ssize_t *sorted_starts(const int32_t *tokens, Py_ssize_t count, int n) {
    Py_ssize_t *idx = PyMem_Malloc(sizeof(Py_ssize_t) * (count > 0 ? count : 1));
    if (!idx) return NULL;
    for (Py_ssize_t i = 0; i < count; i++) idx[i] = i;
    g_tokens = tokens;
    g_n = n;
    qsort(idx, (size_t)count, sizeof(Py_ssize_t), cmp_gram);
    return idx;
}

static PyObject *grams(PyObject *self, PyObject *args) {
    PyObject *po, *mo;
    int n;
    if (!PyArg_ParseTuple(args, "OOi", &po, &mo, &n)) return NULL;
    if (n < 1) { PyErr_SetString(PyExc_ValueError, "n must be >= 1"); return NULL; }
    ivec p, m;
    if (ivec_get(po, &p) < 0) return NULL;
    if (ivec_get(mo, &m) < 0) { ivec_free(&p); return NULL; }
    Py_ssize_t pc = p.n - n + 1 > 0 ? p.n - n + 1 : 0, mc = m.n - n + 1 > 0 ? m.n - n + 1 : 0, hits = 0;
    Py_ssize_t *pi = sorted_starts(p.v, pc, n), *mi = pi ? sorted_starts(m.v, mc, n) : NULL;
    if (!pi || !mi) { PyMem_Free(pi); ivec_free(&p); ivec_free(&m); return PyErr_NoMemory(); }
    Py_ssize_t a = 0, b = 0;
    while (a < pc && b < mc) {
        int c = gram_cmp2(p.v + pi[a], m.v + mi[b], n);
        if (c < 0) a++;
        else if (c > 0) b++;
        else {
            Py_ssize_t ra = a, rb = b;
            while (ra < pc && gram_cmp2(p.v + pi[ra], p.v + pi[a], n) == 0) ra++;
            while (rb < mc && gram_cmp2(m.v + mi[rb], m.v + mi[b], n) == 0) rb++;
            hits += (ra - a) < (rb - b) ? (ra - a) : (rb - b);
            a = ra;
            b = rb;
        }
    }
    PyMem_Free(pi);
    PyMem_Free(mi);
    ivec_free(&p);
    ivec_free(&m);
    return Py_BuildValue("nnn", hits, mc, pc);
}

/* ---- skip bigrams as 64-bit keys (a unigram is (a, 0xFFFFFFFF)) ---- */
static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t *skip_keys(const int32_t *t, Py_ssize_t len, long skip, int unigrams, Py_ssize_t *count) {
    Py_ssize_t last = len - 1, cap = 1, k = 0;
    for (Py_ssize_t i = 0; i < last; i++) {
        Py_ssize_t end = skip < 0 ? last : (i + skip + 1 < last ? i + skip + 1 : last);
        cap += (end - i) + (unigrams ? 1 : 0);
    }
    uint64_t *keys = PyMem_Malloc(sizeof(uint64_t) * cap);
    if (!keys) return NULL;
    for (Py_ssize_t i = 0; i < last; i++) {
        if (unigrams) keys[k++] = ((uint64_t)(uint32_t)t[i] << 32) | 0xFFFFFFFFu;
        Py_ssize_t end = skip < 0 ? last : (i + skip + 1 < last ? i + skip + 1 : last);
        for (Py_ssize_t j = i + 1; j <= end; j++) keys[k++] = ((uint64_t)(uint32_t)t[i] << 32) | (uint32_t)t[j];
    }
    qsort(keys, (size_t)k, sizeof(uint64_t), cmp_u64);
    *count = k;
    return keys;
}

static PyObject *skips(PyObject *self, PyObject *args) {
    PyObject *po, *mo;
    long skip;
    int unigrams;
    if (!PyArg_ParseTuple(args, "OOlp", &po, &mo, &skip, &unigrams)) return NULL;
    ivec p, m;
    if (ivec_get(po, &p) < 0) return NULL;
    if (ivec_get(mo, &m) < 0) { ivec_free(&p); return NULL; }
    Py_ssize_t pc = 0, mc = 0, hits = 0;
    uint64_t *pk = skip_keys(p.v, p.n, skip, unigrams, &pc), *mk = pk ? skip_keys(m.v, m.n, skip, unigrams, &mc) : NULL;
    ivec_free(&p);
    ivec_free(&m);
    if (!pk || !mk) { PyMem_Free(pk); return PyErr_NoMemory(); }
    Py_ssize_t a = 0, b = 0;
    while (a < pc && b < mc) {
        if (pk[a] < mk[b]) a++;
        else if (pk[a] > mk[b]) b++;
        else {
            Py_ssize_t ra = a, rb = b;
            while (ra < pc && pk[ra] == pk[a]) ra++;
            while (rb < mc && mk[rb] == mk[b]) rb++;
            hits += (ra - a) < (rb - b) ? (ra - a) : (rb - b);
            a = ra;
            b = rb;
        }
    }
    PyMem_Free(pk);
    PyMem_Free(mk);
    return Py_BuildValue("nnn", hits, mc, pc);
}

/* ---- summary-level LCS / WLCS with ROUGE's tie rule and unigram clipping ---- */
static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

static Py_ssize_t find(const int32_t *vocab, Py_ssize_t n, int32_t id) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (vocab[mid] < id) lo = mid + 1; else hi = mid;
    }
    return lo < n && vocab[lo] == id ? lo : -1;
}

/* mark[i] = 1 for the model tokens on the (weighted) LCS path of (m, p); moves: 0 diag, 1 up, 2 left */
static int mark_path(const int32_t *m, Py_ssize_t mn, const int32_t *p, Py_ssize_t pn, double w, char *mark) {
    if (mn == 0 || pn == 0) return 0;
    Py_ssize_t cols = pn + 1;
    char *back = PyMem_Malloc((size_t)(mn + 1) * cols);
    double *prev = PyMem_Calloc((size_t)cols, sizeof(double)), *row = PyMem_Calloc((size_t)cols, sizeof(double));
    long *prun = PyMem_Calloc((size_t)cols, sizeof(long)), *run = PyMem_Calloc((size_t)cols, sizeof(long));
    if (!back || !prev || !row || !prun || !run) {
        PyMem_Free(back); PyMem_Free(prev); PyMem_Free(row); PyMem_Free(prun); PyMem_Free(run);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 1; i <= mn; i++) {
        row[0] = 0.0;
        run[0] = 0;
        char *moves = back + i * cols;
        for (Py_ssize_t j = 1; j <= pn; j++) {
            if (m[i - 1] == p[j - 1]) {
                if (w > 0) {
                    long k = prun[j - 1];
                    row[j] = prev[j - 1] + pow((double)(k + 1), w) - pow((double)k, w);
                    run[j] = k + 1;
                } else {
                    row[j] = prev[j - 1] + 1.0;
                }
                moves[j] = 0;
            } else if (prev[j] >= row[j - 1]) {
                row[j] = prev[j]; run[j] = 0; moves[j] = 1;
            } else {
                row[j] = row[j - 1]; run[j] = 0; moves[j] = 2;
            }
        }
        double *t = prev; prev = row; row = t;
        long *u = prun; prun = run; run = u;
    }
    Py_ssize_t i = mn, j = pn;
    while (i && j) {
        char mv = back[i * cols + j];
        if (mv == 0) { i--; j--; mark[i] = 1; }
        else if (mv == 1) i--;
        else j--;
    }
    PyMem_Free(back); PyMem_Free(prev); PyMem_Free(row); PyMem_Free(prun); PyMem_Free(run);
    return 0;
}

static PyObject *lcs(PyObject *self, PyObject *args) {
    PyObject *mu, *pu, *mto, *pto;
    double w;
    if (!PyArg_ParseTuple(args, "O!O!OOd", &PyList_Type, &mu, &PyList_Type, &pu, &mto, &pto, &w)) return NULL;
    Py_ssize_t nm = PyList_GET_SIZE(mu), np = PyList_GET_SIZE(pu);
    ivec mt, pt;
    if (ivec_get(mto, &mt) < 0) return NULL;
    if (ivec_get(pto, &pt) < 0) { ivec_free(&mt); return NULL; }
    ivec *mv = PyMem_Calloc((size_t)(nm + np + 1), sizeof(ivec)), *pv = mv + nm;
    Py_ssize_t total = mt.n + pt.n, got = 0, vn = 0;
    int32_t *vocab = PyMem_Malloc(sizeof(int32_t) * (total + 1));
    long *mleft = NULL, *pleft = NULL;
    char *mark = NULL;
    PyObject *result = NULL;
    if (!mv || !vocab) { PyErr_NoMemory(); goto done; }
    for (; got < nm + np; got++)
        if (ivec_get(PyList_GET_ITEM(got < nm ? mu : pu, got < nm ? got : got - nm), &mv[got]) < 0) goto done;
    memcpy(vocab, mt.v, sizeof(int32_t) * mt.n);
    memcpy(vocab + mt.n, pt.v, sizeof(int32_t) * pt.n);
    qsort(vocab, (size_t)total, sizeof(int32_t), cmp_i32);
    for (Py_ssize_t i = 0; i < total; i++)
        if (vn == 0 || vocab[vn - 1] != vocab[i]) vocab[vn++] = vocab[i];
    mleft = PyMem_Calloc((size_t)vn + 1, sizeof(long));
    pleft = PyMem_Calloc((size_t)vn + 1, sizeof(long));
    if (!mleft || !pleft) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t i = 0; i < mt.n; i++) mleft[find(vocab, vn, mt.v[i])]++;
    for (Py_ssize_t i = 0; i < pt.n; i++) pleft[find(vocab, vn, pt.v[i])]++;
    double hit = 0.0, base = 0.0;
    long hits = 0, bases = 0;
    for (Py_ssize_t u = 0; u < nm; u++) {
        const int32_t *m = mv[u].v;
        Py_ssize_t len = mv[u].n;
        PyMem_Free(mark);
        mark = PyMem_Calloc((size_t)len + 1, 1);
        if (!mark) { PyErr_NoMemory(); goto done; }
        for (Py_ssize_t q = 0; q < np; q++)
            if (mark_path(m, len, pv[q].v, pv[q].n, w, mark) < 0) goto done;
        if (w > 0) base += pow((double)len, w); else bases += len;
        long runlen = 0;
        for (Py_ssize_t j = 0; j < len; j++) {
            Py_ssize_t k = find(vocab, vn, m[j]);
            if (!mark[j] || k < 0 || mleft[k] <= 0 || pleft[k] <= 0) continue;
            mleft[k]--;
            pleft[k]--;
            if (w <= 0) { hits++; continue; }
            runlen++;
            if (j + 1 == len || !mark[j + 1]) { hit = hit + pow((double)runlen, w); runlen = 0; }
        }
    }
    result = w > 0 ? Py_BuildValue("dd", hit, base) : Py_BuildValue("ll", hits, bases);
done:
    for (Py_ssize_t i = 0; i < got; i++) ivec_free(&mv[i]);
    PyMem_Free(mv); PyMem_Free(vocab); PyMem_Free(mleft); PyMem_Free(pleft); PyMem_Free(mark);
    ivec_free(&mt);
    ivec_free(&pt);
    return result;
}

/* ---- bootstrap: each sample's sum of values[picks[s][k]], added in draw order k = 0, 1, ... ---- */
static PyObject *sample_sums(PyObject *self, PyObject *args) {
    PyObject *vo, *po;
    Py_ssize_t samples, n;
    if (!PyArg_ParseTuple(args, "OOnn", &vo, &po, &samples, &n)) return NULL;
    Py_buffer vb, pb;
    if (PyObject_GetBuffer(vo, &vb, PyBUF_SIMPLE) < 0) return NULL;
    if (PyObject_GetBuffer(po, &pb, PyBUF_SIMPLE) < 0) { PyBuffer_Release(&vb); return NULL; }
    Py_ssize_t nv = vb.len / (Py_ssize_t)sizeof(double);
    if (pb.len != samples * n * (Py_ssize_t)sizeof(int64_t) || n < 1) {
        PyBuffer_Release(&vb); PyBuffer_Release(&pb);
        PyErr_SetString(PyExc_ValueError, "picks must hold samples x n int64 indices, n >= 1");
        return NULL;
    }
    const double *v = vb.buf;
    const int64_t *picks = pb.buf;
    PyObject *out = PyBytes_FromStringAndSize(NULL, samples * (Py_ssize_t)sizeof(double));
    if (out) {
        double *sums = (double *)PyBytes_AS_STRING(out);
        for (Py_ssize_t s = 0; s < samples; s++) {
            const int64_t *row = picks + s * n;
            double total = 0.0;
            int bad = 0;
            for (Py_ssize_t k = 0; k < n; k++) {
                if (row[k] < 0 || row[k] >= nv) { bad = 1; break; }
                total = k ? total + v[row[k]] : v[row[k]];
            }
            if (bad) { Py_DECREF(out); out = NULL; PyErr_SetString(PyExc_IndexError, "pick out of range"); break; }
            sums[s] = total;
        }
    }
    PyBuffer_Release(&vb);
    PyBuffer_Release(&pb);
    return out;
}

static PyMethodDef methods[] = {
    {"sample_sums", sample_sums, METH_VARARGS, "bytes of doubles: each bootstrap sample's sum in draw order"},
    {"grams", grams, METH_VARARGS, "(clipped hits, model n-grams, peer n-grams) of two id buffers"},
    {"skips", skips, METH_VARARGS, "(clipped hits, model grams, peer grams) of skip bigrams (+ unigrams)"},
    {"lcs", lcs, METH_VARARGS, "(hit, base) of ROUGE-L (weight <= 0) or ROUGE-W over the model units"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernels", NULL, -1, methods};

PyMODINIT_FUNC PyInit__kernels(void) { return PyModule_Create(&module); }
