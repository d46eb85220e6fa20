/* SPDX-License-Identifier: MIT */
/* A run's IPC decision trace, read line by line and mapped onto the declared tasks. */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/status.h"

const char *const tr_op_names[TOP_COUNT] = {
#define TR_OP_NAME(name, value, text) [TOP_##name] = text,
    TRACE_OP_LIST(TR_OP_NAME)
#undef TR_OP_NAME
};
const char *const tr_outcome_names[TOUT_COUNT] = {
#define TR_OUTCOME_NAME(name, value, text) [TOUT_##name] = text,
    TRACE_OUTCOME_LIST(TR_OUTCOME_NAME)
#undef TR_OUTCOME_NAME
        [TOUT_NONE] = "-",
};
/* status=NAME: the names of abi/status.h, indexed by value */
static const char *const status_names[STATUS_COUNT] = {
#define TR_STATUS_NAME(name, value, text) [value] = #name,
    STATUS_LIST(TR_STATUS_NAME)
#undef TR_STATUS_NAME
};

#define TRACE_MAX_FILE (1u << 30)
#define TRACE_MAX_EVENTS 20000000u

void trace_free(struct trace *t)
{
    free(t->tasks);
    free(t->ev);
    free(t->text);
    memset(t, 0, sizeof(*t));
}

uint32_t trace_task_of(const struct trace *t, uint32_t id)
{
    for (uint32_t i = 0; i < t->ntasks; i++)
        if (t->tasks[i].id == id) return t->tasks[i].task;
    return SCN_NONE;
}

const char *trace_name_of(const struct trace *t, uint32_t id, char *buf, size_t n)
{
    for (uint32_t i = 0; i < t->ntasks; i++)
        if (t->tasks[i].id == id) return t->tasks[i].name;
    snprintf(buf, n, "task#%u", id);
    return buf;
}

/* A line split into words; positions are columns (1-based). */
struct words {
    const char *w[24];
    uint32_t len[24], col[24], n;
    const char *line;
    uint32_t line_len;
};

static void split(const char *line, uint32_t len, struct words *w)
{
    w->n = 0;
    w->line = line;
    w->line_len = len;
    for (uint32_t i = 0; i < len && w->n < 24;) {
        if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
            i++;
            continue;
        }
        uint32_t start = i;
        while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            i++;
        w->w[w->n] = line + start;
        w->len[w->n] = i - start;
        w->col[w->n] = start + 1;
        w->n++;
    }
}

static bool word_is(const struct words *w, uint32_t i, const char *s)
{
    return i < w->n && w->len[i] == strlen(s) && memcmp(w->w[i], s, w->len[i]) == 0;
}

static bool parse_u64(const char *p, uint32_t n, uint64_t *out)
{
    uint64_t v = 0;
    uint32_t i = 0;
    int base = 10;
    if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == n) return false;
    for (; i < n; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'                 ? c - '0'
                : base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : base == 16 && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                     : -1;
        if (d < 0) return false;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) return false;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = v;
    return true;
}

static bool parse_u32(const char *p, uint32_t n, uint32_t *out)
{
    uint64_t v;
    if (!parse_u64(p, n, &v) || v > UINT32_MAX) return false;
    *out = (uint32_t)v;
    return true;
}

/* "T.TH" */
static bool parse_thread(const char *p, uint32_t n, uint32_t *task, uint32_t *thread)
{
    const char *dot = memchr(p, '.', n);
    if (!dot) return false;
    uint32_t a = (uint32_t)(dot - p);
    return parse_u32(p, a, task) && parse_u32(dot + 1, n - a - 1, thread);
}

static uint32_t map_task(const struct scn *s, const char *name)
{
    uint32_t t = scn_task_find(s, name);
    if (t != SCN_NONE) return t;
    uint32_t found = SCN_NONE;
    for (uint32_t i = 0; i < s->ntasks; i++) {
        if (strcmp(s->tasks[i].program, name) != 0) continue;
        if (found != SCN_NONE) return SCN_NONE; /* ambiguous: two tasks run this program */
        found = i;
    }
    return found;
}

/*
 * A name is not an identity: any task may start a program and the kernel names the task after
 * the module, so a task is the declared one only if it was created where the declaration says:
 * by the declared parent, or by the scenario loader (a task without a declared parent, which
 * starts every task today). A root is the one the kernel started (parent 0).
 */
static bool created_as_declared(const struct scn *s, const struct trace *t, const struct tr_task *k)
{
    const struct scn_task *d = &s->tasks[k->task];
    if (d->parent.name == NULL) return k->parent == 0;
    for (uint32_t i = 0; i < t->ntasks; i++) {
        const struct tr_task *p = &t->tasks[i];
        if (p == k || p->id != k->parent || p->task == SCN_NONE) continue;
        return p->task == d->parent.idx || s->tasks[p->task].parent.name == NULL;
    }
    return false;
}

static bool parse_task_line(const struct scn *s, struct trace *t, const struct words *w,
                            uint32_t lno, struct an_diag *d)
{
    if (w->n != 3 && w->n != 5) {
        an_diag_error(d, lno, 1, "expected 'task ID NAME [parent ID]'");
        return false;
    }
    struct tr_task *k = AN_PUSH(t->tasks, t->ntasks, t->cap_tasks);
    memset(k, 0, sizeof(*k));
    if (!parse_u32(w->w[1], w->len[1], &k->id)) {
        an_diag_error(d, lno, w->col[1], "expected a task id (integer)");
        return false;
    }
    for (uint32_t i = 0; i + 1 < t->ntasks; i++)
        if (t->tasks[i].id == k->id) {
            an_diag_error(d, lno, w->col[1], "task id %u named twice", k->id);
            return false;
        }
    if (w->len[2] >= sizeof(k->name)) {
        an_diag_error(d, lno, w->col[2], "task name longer than %zu bytes", sizeof(k->name) - 1);
        return false;
    }
    memcpy(k->name, w->w[2], w->len[2]);
    if (w->n == 5 && (!word_is(w, 3, "parent") || !parse_u32(w->w[4], w->len[4], &k->parent))) {
        an_diag_error(d, lno, w->col[3], "expected 'parent ID'");
        return false;
    }
    k->task = map_task(s, k->name);
    k->has_parent = w->n == 5;
    return true;
}

static int lookup(const char *const *names, int n, const char *p, uint32_t len)
{
    for (int i = 0; i < n; i++)
        if (names[i] && strlen(names[i]) == len && memcmp(names[i], p, len) == 0) return i;
    return -1;
}

static bool parse_ipc_line(struct trace *t, const struct words *w, uint32_t lno, struct an_diag *d)
{
    if (t->nev == TRACE_MAX_EVENTS) {
        an_diag_error(d, lno, 1, "more than %u events", TRACE_MAX_EVENTS);
        return false;
    }
    uint32_t len = w->line_len;
    while (len && (w->line[len - 1] == ' ' || w->line[len - 1] == '\t' || w->line[len - 1] == '\r'))
        len--;
    struct tr_event e = {.line = lno,
                         .proto = -1,
                         .status = -1,
                         .has_from = true,
                         .text = w->w[0],
                         .text_len = len - (w->col[0] - 1)};
    enum { K_T, K_OP, K_FROM, K_DEST, K_TO, K_LABEL, K_OUTCOME, K_REQUIRED };
    static const char *const req[K_REQUIRED] = {"t",  "op",    "from",   "dest",
                                                "to", "label", "outcome"};
    bool seen[K_REQUIRED] = {false}, seen_proto = false, seen_orig = false;
    for (uint32_t i = 1; i < w->n; i++) {
        const char *eq = memchr(w->w[i], '=', w->len[i]);
        if (!eq) {
            an_diag_error(d, lno, w->col[i], "expected key=value");
            return false;
        }
        uint32_t klen = (uint32_t)(eq - w->w[i]), vlen = w->len[i] - klen - 1;
        const char *v = eq + 1;
        if (klen == 6 && memcmp(w->w[i], "status", 6) == 0) {
            int st = e.status >= 0 ? -1 : lookup(status_names, STATUS_COUNT, v, vlen);
            if (st < 0) {
                an_diag_error(d, lno, w->col[i] + klen + 1,
                              "bad value for 'status': expected one status name of "
                              "include/abi/status.h (OK, E_NOMEM, ...), once");
                return false;
            }
            e.status = st;
            continue;
        }
        int k = lookup(req, K_REQUIRED, w->w[i], klen);
        bool ok = true;
        if (k >= 0) {
            if (seen[k]) {
                an_diag_error(d, lno, w->col[i], "key '%s' given twice", req[k]);
                return false;
            }
            seen[k] = true;
        }
        switch (k) {
        case K_T:
            ok = parse_u64(v, vlen, &e.time);
            break;
        case K_OP: {
            int op = lookup(tr_op_names, TOP_FIRST_AUTH, v, vlen);
            ok = op >= 0;
            e.op = (enum tr_op)(op < 0 ? 0 : op);
            break;
        }
        case K_FROM:
            ok = parse_thread(v, vlen, &e.from_id, &e.from_thread);
            break;
        case K_DEST:
            ok = parse_u64(v, vlen, &e.dest);
            break;
        case K_TO:
            e.has_to = !(vlen == 1 && v[0] == '-');
            ok = !e.has_to || parse_thread(v, vlen, &e.to_id, &e.to_thread);
            break;
        case K_LABEL:
            ok = parse_u64(v, vlen, &e.label);
            break;
        case K_OUTCOME: {
            int o = lookup(tr_outcome_names, TOUT_NONE, v, vlen);
            ok = o >= 0;
            e.outcome = (enum tr_outcome)(o < 0 ? 0 : o);
            break;
        }
        default:
            if (klen == 5 && memcmp(w->w[i], "proto", 5) == 0) {
                uint64_t p;
                ok = !seen_proto && parse_u64(v, vlen, &p) && p < ((uint64_t)1 << 62);
                e.proto = (int64_t)p;
                seen_proto = true;
            } else if (klen == 4 && memcmp(w->w[i], "orig", 4) == 0) {
                uint32_t th;
                ok = !seen_orig && parse_thread(v, vlen, &e.orig_id, &th);
                e.has_orig = seen_orig = true;
            } /* other keys (words=, items=, ...) are allowed and ignored */
            break;
        }
        if (!ok) {
            const char *what =
                k == K_OP ? "an operation (send recv wait call reply_wait reply notify fault)"
                : k == K_OUTCOME
                    ? "an outcome (delivered denied redirected faulted parked timeout cancelled "
                      "blocked)"
                : k == K_FROM || k == K_TO ? "TASK.THREAD (or '-' for to=)"
                                           : "a number (decimal or 0x...)";
            an_diag_error(d, lno, w->col[i] + klen + 1, "bad value for '%.*s': expected %s",
                          (int)klen, w->w[i], what);
            return false;
        }
    }
    for (int k = 0; k < K_REQUIRED; k++)
        if (!seen[k]) {
            an_diag_error(
                d, lno, 1,
                "ipc line lacks the key '%s=' (required: t op from dest to label outcome)", req[k]);
            return false;
        }
    *AN_PUSH(t->ev, t->nev, t->cap_ev) = e;
    return true;
}

/* "T.TH" or "-" (the kernel itself, or no thread): has is false for "-" */
static bool parse_opt_thread(const char *v, uint32_t vlen, uint32_t *task, uint32_t *thread,
                             bool *has)
{
    *has = !(vlen == 1 && v[0] == '-');
    return !*has || parse_thread(v, vlen, task, thread);
}

/* auth t=.. op=.. from=T.TH|- to=T.TH|- obj=.. arg=.. status=NAME: a change of authority. Keys
 * other than these are allowed and ignored (later kernels may add some). */
static bool parse_auth_line(struct trace *t, const struct words *w, uint32_t lno, struct an_diag *d)
{
    if (t->nev == TRACE_MAX_EVENTS) {
        an_diag_error(d, lno, 1, "more than %u events", TRACE_MAX_EVENTS);
        return false;
    }
    uint32_t len = w->line_len;
    while (len && (w->line[len - 1] == ' ' || w->line[len - 1] == '\t' || w->line[len - 1] == '\r'))
        len--;
    struct tr_event e = {.line = lno,
                         .proto = -1,
                         .status = -1,
                         .outcome = TOUT_NONE,
                         .text = w->w[0],
                         .text_len = len - (w->col[0] - 1)};
    enum { K_T, K_OP, K_FROM, K_TO, K_OBJ, K_ARG, K_STATUS, K_N };
    static const char *const keys[K_N] = {"t", "op", "from", "to", "obj", "arg", "status"};
    bool seen[K_N] = {false};
    for (uint32_t i = 1; i < w->n; i++) {
        const char *eq = memchr(w->w[i], '=', w->len[i]);
        if (!eq) {
            an_diag_error(d, lno, w->col[i], "expected key=value");
            return false;
        }
        uint32_t klen = (uint32_t)(eq - w->w[i]), vlen = w->len[i] - klen - 1;
        const char *v = eq + 1;
        int k = lookup(keys, K_N, w->w[i], klen), x;
        if (k < 0) continue;
        if (seen[k]) {
            an_diag_error(d, lno, w->col[i], "key '%s' given twice", keys[k]);
            return false;
        }
        seen[k] = true;
        bool ok = true;
        const char *what = "a number (decimal or 0x...)";
        switch (k) {
        case K_T:
            ok = parse_u64(v, vlen, &e.time);
            break;
        case K_OP:
            x = lookup(tr_op_names + TOP_FIRST_AUTH, TOP_COUNT - TOP_FIRST_AUTH, v, vlen);
            ok = x >= 0;
            e.op = (enum tr_op)(TOP_FIRST_AUTH + (x < 0 ? 0 : x));
            what = "an authority operation (include/abi/trace_vocab.h)";
            break;
        case K_FROM:
            ok = parse_opt_thread(v, vlen, &e.from_id, &e.from_thread, &e.has_from);
            what = "TASK.THREAD or '-'";
            break;
        case K_TO:
            ok = parse_opt_thread(v, vlen, &e.to_id, &e.to_thread, &e.has_to);
            what = "TASK.THREAD or '-'";
            break;
        case K_OBJ:
            ok = parse_u64(v, vlen, &e.dest);
            break;
        case K_ARG:
            ok = parse_u64(v, vlen, &e.label);
            break;
        case K_STATUS:
            x = lookup(status_names, STATUS_COUNT, v, vlen);
            ok = x >= 0;
            e.status = x;
            what = "a status name of include/abi/status.h (OK, E_NOMEM, ...)";
            break;
        }
        if (!ok) {
            an_diag_error(d, lno, w->col[i] + klen + 1, "bad value for '%s': expected %s", keys[k],
                          what);
            return false;
        }
    }
    for (int k = 0; k < K_N; k++)
        if (!seen[k]) {
            an_diag_error(d, lno, 1,
                          "auth line lacks the key '%s=' (required: t op from to obj arg status)",
                          keys[k]);
            return false;
        }
    *AN_PUSH(t->ev, t->nev, t->cap_ev) = e;
    return true;
}

/* Records that the trace is not complete (the first reason is kept). */
static void lose(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lose(struct trace *t, const char *fmt, ...)
{
    if (!t->complete && t->loss[0]) return;
    t->complete = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->loss, sizeof(t->loss), fmt, ap);
    va_end(ap);
}

static bool comment_reports_loss(const struct words *w)
{
    for (uint32_t i = 0; i < w->n; i++)
        if ((w->len[i] >= 7 && memcmp(w->w[i], "dropped", 7) == 0) ||
            (w->len[i] >= 4 && memcmp(w->w[i], "lost", 4) == 0))
            return true;
    return false;
}

/* Parses buf (NUL-terminated, len bytes), which the trace keeps: events cite their lines. */
static enum an_status parse_owned(char *buf, size_t len, const struct scn *s, struct trace *t,
                                  struct an_diag *d)
{
    memset(t, 0, sizeof(*t));
    t->text = buf;
    t->complete = true;
    uint32_t lno = 0, policy_line = 0, end_line = 0;
    bool ok = true;
    for (size_t pos = 0; pos < len && ok;) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        lno++;
        if (end - pos > 4096) {
            an_diag_error(d, lno, 1, "line longer than 4096 bytes");
            ok = false;
            break;
        }
        struct words w;
        split(buf + pos, (uint32_t)(end - pos), &w);
        pos = end + 1;
        if (memchr(w.line, '\0', w.line_len)) {
            an_diag_error(d, lno, 1, "NUL byte in the trace");
            ok = false;
        } else if (w.n == 0) {
            continue;
        } else if (!nl) {
            /* the kernel ends every line: a last line without its newline was cut off */
            lose(t, "its last line (%u) is cut off", lno);
        } else if (w.w[0][0] == '#') {
            if (comment_reports_loss(&w))
                lose(t, "line %u reports lost records: %.*s", lno, (int)w.line_len, w.line);
            continue;
        } else if (end_line && (word_is(&w, 0, "ipc") || word_is(&w, 0, "auth") ||
                                word_is(&w, 0, "task") || word_is(&w, 0, TRACE_END_KEYWORD))) {
            an_diag_error(d, lno, 1, "a record after the end of the trace (line %u)", end_line);
            ok = false;
        } else if (word_is(&w, 0, "ipc")) {
            ok = parse_ipc_line(t, &w, lno, d);
        } else if (word_is(&w, 0, "auth")) {
            ok = parse_auth_line(t, &w, lno, d);
        } else if (word_is(&w, 0, "task")) {
            ok = parse_task_line(s, t, &w, lno, d);
        } else if (word_is(&w, 0, TRACE_END_KEYWORD)) {
            uint64_t n;
            if (w.n != 2 || w.len[1] < 8 || memcmp(w.w[1], "records=", 8) != 0 ||
                !parse_u64(w.w[1] + 8, w.len[1] - 8, &n)) {
                an_diag_error(d, lno, 1, "expected 'end records=N'");
                ok = false;
                break;
            }
            end_line = lno;
            if (n != t->nev)
                lose(t, "its end line (%u) counts %llu records, but %u precede it", lno,
                     (unsigned long long)n, t->nev);
        } else if (word_is(&w, 0, "policy") || word_is(&w, 0, "scenario")) {
            bool pol = word_is(&w, 0, "policy");
            char *dst = pol ? t->policy : t->scenario;
            size_t cap = pol ? sizeof(t->policy) : sizeof(t->scenario);
            if (w.n != 2 || w.len[1] >= cap) {
                an_diag_error(d, lno, 1, "expected '%s NAME'", pol ? "policy" : "scenario");
                ok = false;
                break;
            }
            if (pol && policy_line) {
                bool same = strlen(t->policy) == w.len[1] && !memcmp(t->policy, w.w[1], w.len[1]);
                if (same)
                    an_diag_error(d, lno, 1, "a second 'policy' line (the first is line %u)",
                                  policy_line);
                else
                    an_diag_error(d, lno, w.col[1],
                                  "'policy %.*s' contradicts 'policy %s' of line %u", (int)w.len[1],
                                  w.w[1], t->policy, policy_line);
                ok = false;
                break;
            }
            memcpy(dst, w.w[1], w.len[1]);
            dst[w.len[1]] = '\0';
            if (pol && an_policy_lookup(dst) == POL_COUNT) {
                an_diag_error(d, lno, w.col[1],
                              "unknown policy '%s' (valid: none clans ports refmon capgate)", dst);
                ok = false;
            }
            if (pol) policy_line = lno;
        } else {
            an_diag_error(d, lno, 1,
                          "expected a line starting with 'ipc', 'auth', 'task', 'end', 'policy', "
                          "'scenario' or '#'");
            ok = false;
        }
    }
    if (ok && !policy_line) {
        an_diag_error(d, 0, 0, "the trace has no 'policy NAME' header line");
        ok = false;
    }
    if (ok && !end_line)
        lose(t, "it has no end line: the run stopped before the kernel wrote all of it");
    if (ok && t->scenario[0] && s->name && strcmp(t->scenario, s->name) != 0) {
        an_diag_error(d, 0, 0, "the trace is of scenario '%s', not '%s'", t->scenario, s->name);
        ok = false;
    }
    if (!ok) {
        trace_free(t);
        return AN_E_SYNTAX;
    }
    /* impostors lose their declared name; an impostor's children are checked again */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t i = 0; i < t->ntasks; i++) {
            struct tr_task *k = &t->tasks[i];
            if (k->task == SCN_NONE || !k->has_parent || created_as_declared(s, t, k)) continue;
            k->task = SCN_NONE;
            changed = true;
        }
    }
    for (uint32_t i = 0; i < t->nev; i++) {
        struct tr_event *e = &t->ev[i];
        e->from = trace_task_of(t, e->from_id);
        e->to = e->has_to ? trace_task_of(t, e->to_id) : SCN_NONE;
        e->orig = e->has_orig ? trace_task_of(t, e->orig_id) : SCN_NONE;
    }
    return AN_OK;
}

enum an_status trace_parse(const char *file, const char *buf, size_t len, const struct scn *s,
                           struct trace *t, struct an_diag *d)
{
    (void)file;
    char *copy = an_malloc(len + 1);
    memcpy(copy, buf, len);
    copy[len] = '\0';
    return parse_owned(copy, len, s, t, d);
}

enum an_status trace_load(const char *path, const struct scn *s, struct trace *t, struct an_diag *d)
{
    size_t len;
    const char *why;
    char *buf = an_read_file(path, TRACE_MAX_FILE, &len, &why);
    if (!buf) {
        memset(t, 0, sizeof(*t));
        an_diag_error(d, 0, 0, "cannot read: %s", why);
        return AN_E_IO;
    }
    return parse_owned(buf, len, s, t, d);
}
