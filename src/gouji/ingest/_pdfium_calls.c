/* PDFium's per-character and per-segment calls made in C, one call from Python per page.
 *
 * gouji.ingest.pdfium asks PDFium for every character of a text page and every segment of a
 * path; through ctypes each of those calls costs about a microsecond of argument conversion,
 * more than PDFium's own work. text_chars and page_paths make the same calls in a loop here and
 * give back what the Python loop would have collected. They link against nothing: the addresses of
 * PDFium's functions come from the library pypdfium2 has loaded, passed in by the caller, so
 * this module and that library can never disagree on which PDFium is called.
 *
 * Without this module (no compiler at install time) gouji.ingest.pdfium makes the same calls
 * through ctypes, with the same results (tests/test_pdfium_calls.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

typedef int (*count_chars_fn)(void *);
typedef unsigned int (*unicode_fn)(void *, int);
typedef int (*generated_fn)(void *, int);
typedef void *(*text_object_fn)(void *, int);
typedef int (*origin_fn)(void *, int, double *, double *);

typedef int (*count_segments_fn)(void *);
typedef void *(*segment_fn)(void *, int);
typedef int (*segment_type_fn)(void *);
typedef int (*segment_point_fn)(void *, float *, float *);
typedef int (*segment_close_fn)(void *);

/* fpdf_edit.h */
#define SEGMENT_LINETO 0
#define SEGMENT_BEZIERTO 1
#define SEGMENT_MOVETO 2

static int maybe_generated(unsigned int u) { return u == 0x20 || u == 0x0D || u == 0x0A || u == 0; }

static void *address(PyObject *v) { return (void *)(uintptr_t)PyLong_AsUnsignedLongLong(v); }

/* text_chars(text_page, count_chars, get_unicode, is_generated, get_text_object, get_origin)
 * -> (indices, unicodes, objects, origins): the characters PDFium did not generate (a space or
 * line break it made up) and that belong to a text object, as bytes of int32 indices, uint32
 * Unicode values, uint64 text objects and float64 origins (x, y pairs). */
static PyObject *text_chars(PyObject *self, PyObject *args) {
    PyObject *a[6];
    if (!PyArg_UnpackTuple(args, "text_chars", 6, 6, &a[0], &a[1], &a[2], &a[3], &a[4], &a[5])) return NULL;
    void *tp = address(a[0]);
    count_chars_fn count = (count_chars_fn)address(a[1]);
    unicode_fn unicode = (unicode_fn)address(a[2]);
    generated_fn generated = (generated_fn)address(a[3]);
    text_object_fn text_object = (text_object_fn)address(a[4]);
    origin_fn origin = (origin_fn)address(a[5]);
    if (PyErr_Occurred()) return NULL;
    if (!tp || !count || !unicode || !generated || !text_object || !origin) {
        PyErr_SetString(PyExc_ValueError, "a null text page or function");
        return NULL;
    }
    int n = count(tp);
    if (n < 0) n = 0;
    size_t room = n ? (size_t)n : 1; /* PyMem_Malloc(0) may give NULL */
    int32_t *idx = PyMem_Malloc(sizeof(int32_t) * room);
    uint32_t *uni = PyMem_Malloc(sizeof(uint32_t) * room);
    uint64_t *obj = PyMem_Malloc(sizeof(uint64_t) * room);
    double *xy = PyMem_Malloc(sizeof(double) * 2 * room);
    PyObject *out = NULL;
    if (!idx || !uni || !obj || !xy) {
        PyErr_NoMemory();
        goto done;
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
        unsigned int u = unicode(tp, i);
        if (maybe_generated(u) && generated(tp, i)) continue;
        void *o = text_object(tp, i);
        if (!o) continue;
        double x = 0.0, y = 0.0;
        origin(tp, i, &x, &y);
        idx[k] = i;
        uni[k] = u;
        obj[k] = (uint64_t)(uintptr_t)o;
        xy[2 * k] = x;
        xy[2 * k + 1] = y;
        k++;
    }
    out = Py_BuildValue("(y#y#y#y#)", (const char *)idx, (Py_ssize_t)(sizeof(int32_t) * k), (const char *)uni,
                        (Py_ssize_t)(sizeof(uint32_t) * k), (const char *)obj, (Py_ssize_t)(sizeof(uint64_t) * k),
                        (const char *)xy, (Py_ssize_t)(sizeof(double) * 2 * k));
done:
    PyMem_Free(idx);
    PyMem_Free(uni);
    PyMem_Free(obj);
    PyMem_Free(xy);
    return out;
}

typedef struct {
    count_segments_fn count;
    segment_fn segment;
    segment_type_fn type;
    segment_point_fn point;
    segment_close_fn close;
} segment_fns;

/* A path as pdfminer paints it: (shape, points), "m", "l", "c" per point kept (a curve keeps its
 * end point, not its two control points) and "h" after a closing segment, with the points
 * through the matrix m as float64 x, y pairs ("h" has 0, 0). A lone point paints nothing: "". */
static PyObject *path_segments(const segment_fns *fn, void *path, const double m[6]) {
    int n = fn->count(path);
    if (n <= 1) n = 0;
    /* at most two entries per segment: its point and a close */
    char *shape = PyMem_Malloc(2 * (size_t)n + 1);
    double *pts = PyMem_Malloc(sizeof(double) * 4 * ((size_t)n + 1));
    PyObject *out = NULL;
    if (!shape || !pts) {
        PyErr_NoMemory();
        goto done;
    }
    int k = 0, bezier = 0;
    for (int i = 0; i < n; i++) {
        void *seg = fn->segment(path, i);
        int kind = fn->type(seg);
        if (kind == SEGMENT_BEZIERTO) {
            bezier++;
            if (bezier % 3) continue;
        } else {
            bezier = 0;
        }
        float x = 0.0f, y = 0.0f;
        fn->point(seg, &x, &y);
        shape[k] = kind == SEGMENT_MOVETO ? 'm' : kind == SEGMENT_LINETO ? 'l' : 'c';
        /* as Python computes it: the float widened to a double, then a*x + c*y + e */
        double dx = (double)x, dy = (double)y;
        pts[2 * k] = m[0] * dx + m[2] * dy + m[4];
        pts[2 * k + 1] = m[1] * dx + m[3] * dy + m[5];
        k++;
        if (fn->close(seg)) {
            shape[k] = 'h';
            pts[2 * k] = 0.0;
            pts[2 * k + 1] = 0.0;
            k++;
        }
    }
    out = Py_BuildValue("(s#y#)", shape, (Py_ssize_t)k, (const char *)pts, (Py_ssize_t)(sizeof(double) * 2 * k));
done:
    PyMem_Free(shape);
    PyMem_Free(pts);
    return out;
}

typedef int (*count_objects_fn)(void *);
typedef void *(*page_object_fn)(void *, int);
typedef void *(*form_object_fn)(void *, unsigned long);
typedef int (*object_type_fn)(void *);
typedef struct {
    float a, b, c, d, e, f;
} fs_matrix;
typedef int (*object_matrix_fn)(void *, fs_matrix *);

/* fpdf_edit.h */
#define PAGEOBJ_PATH 2
#define PAGEOBJ_FORM 5
#define MAX_FORM_DEPTH 200 /* far deeper than PDFium parses forms within forms */

typedef struct {
    count_objects_fn count_objects, count_form_objects;
    page_object_fn page_object;
    form_object_fn form_object;
    object_type_fn object_type;
    object_matrix_fn object_matrix;
    segment_fns segments;
    PyObject *out;
} walk_state;

/* m1 then m0, as pdfminer's mult_matrix */
static void mult(const double m1[6], const double m0[6], double out[6]) {
    out[0] = m0[0] * m1[0] + m0[2] * m1[1];
    out[1] = m0[1] * m1[0] + m0[3] * m1[1];
    out[2] = m0[0] * m1[2] + m0[2] * m1[3];
    out[3] = m0[1] * m1[2] + m0[3] * m1[3];
    out[4] = m0[0] * m1[4] + m0[2] * m1[5] + m0[4];
    out[5] = m0[1] * m1[4] + m0[3] * m1[5] + m0[5];
}

/* the object's matrix, then its parent's */
static void object_matrix(walk_state *w, void *obj, const double parent[6], double out[6]) {
    fs_matrix m = {0, 0, 0, 0, 0, 0};
    w->object_matrix(obj, &m);
    double own[6] = {m.a, m.b, m.c, m.d, m.e, m.f};
    mult(own, parent, out);
}

static int walk(walk_state *w, void *holder, int form, const double parent[6], int depth) {
    if (depth > MAX_FORM_DEPTH) return 0;
    int n = form ? w->count_form_objects(holder) : w->count_objects(holder);
    for (int k = 0; k < n; k++) {
        void *obj = form ? w->form_object(holder, (unsigned long)k) : w->page_object(holder, k);
        if (!obj) continue;
        int kind = w->object_type(obj);
        if (kind != PAGEOBJ_PATH && kind != PAGEOBJ_FORM) continue;
        double m[6];
        object_matrix(w, obj, parent, m);
        if (kind == PAGEOBJ_FORM) {
            if (walk(w, obj, 1, m, depth + 1) < 0) return -1;
            continue;
        }
        PyObject *path = path_segments(&w->segments, obj, m);
        if (!path) return -1;
        int appended = PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(path, 0)) ? PyList_Append(w->out, path) : 0;
        Py_DECREF(path);
        if (appended < 0) return -1;
    }
    return 0;
}

/* page_paths(page, a, b, c, d, e, f, count_objects, get_object, count_form_objects, get_form_object,
 * object_type, object_matrix, count_segments, get_segment, segment_type, segment_point,
 * segment_close) -> [(shape, points), ...]: every path object of the page and of the form
 * XObjects on it, in drawing order, each as path_segments gives it through its object's matrix,
 * its forms' and the page's (a … f); paths that paint nothing are left out. */
static PyObject *page_paths(PyObject *self, PyObject *args) {
    PyObject *po, *fo[11];
    double ctm[6];
    if (!PyArg_ParseTuple(args, "OddddddOOOOOOOOOOO", &po, &ctm[0], &ctm[1], &ctm[2], &ctm[3], &ctm[4], &ctm[5], &fo[0], &fo[1],
                          &fo[2], &fo[3], &fo[4], &fo[5], &fo[6], &fo[7], &fo[8], &fo[9], &fo[10]))
        return NULL;
    walk_state w;
    void *page = address(po);
    w.count_objects = (count_objects_fn)address(fo[0]);
    w.page_object = (page_object_fn)address(fo[1]);
    w.count_form_objects = (count_objects_fn)address(fo[2]);
    w.form_object = (form_object_fn)address(fo[3]);
    w.object_type = (object_type_fn)address(fo[4]);
    w.object_matrix = (object_matrix_fn)address(fo[5]);
    w.segments.count = (count_segments_fn)address(fo[6]);
    w.segments.segment = (segment_fn)address(fo[7]);
    w.segments.type = (segment_type_fn)address(fo[8]);
    w.segments.point = (segment_point_fn)address(fo[9]);
    w.segments.close = (segment_close_fn)address(fo[10]);
    if (PyErr_Occurred()) return NULL;
    if (!page || !w.count_objects || !w.page_object || !w.count_form_objects || !w.form_object || !w.object_type || !w.object_matrix ||
        !w.segments.count || !w.segments.segment || !w.segments.type || !w.segments.point || !w.segments.close) {
        PyErr_SetString(PyExc_ValueError, "a null page or function");
        return NULL;
    }
    w.out = PyList_New(0);
    if (!w.out) return NULL;
    if (walk(&w, page, 0, ctm, 0) < 0) {
        Py_DECREF(w.out);
        return NULL;
    }
    return w.out;
}

static PyMethodDef methods[] = {
    {"page_paths", page_paths, METH_VARARGS, "A page's path objects, forms' included: shape letters and points of each."},
    {"text_chars", text_chars, METH_VARARGS, "A text page's characters: indices, Unicode values, text objects, origins."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdfium_calls", NULL, -1, methods};

PyMODINIT_FUNC PyInit__pdfium_calls(void) { return PyModule_Create(&module); }
