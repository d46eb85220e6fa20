/* SPDX-License-Identifier: MIT */
/* Running external tools (z3, dot) with a timeout, and reading Z3's fixed-point answers. */
#define _POSIX_C_SOURCE 200809L
#include "z3_run.h"
#include "sexp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

bool an_tool_exists(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path || strchr(prog, '/')) return access(prog, X_OK) == 0;
    char buf[4096];
    while (*path) {
        const char *end = strchr(path, ':');
        size_t n = end ? (size_t)(end - path) : strlen(path);
        if (n && n + strlen(prog) + 2 < sizeof(buf)) {
            snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog);
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0) return true;
        }
        path += n + (end ? 1 : 0);
    }
    return false;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

enum an_status an_run_tool(char *const argv[], unsigned timeout_s, struct an_buf *out,
                           int *exit_code)
{
    *exit_code = -1;
    if (!an_tool_exists(argv[0])) return AN_E_NOTOOL;
    int fds[2];
    if (pipe(fds) != 0) return AN_E_TOOL;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return AN_E_TOOL;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    double deadline = now_s() + timeout_s;
    bool timed_out = false, too_big = false;
    char chunk[65536];
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
        int r = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) continue;
        ssize_t n = read(fds[0], chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (out->len + (size_t)n > Z3_MAX_OUTPUT) {
            too_big = true;
            break;
        }
        an_buf_addn(out, chunk, (size_t)n);
    }
    close(fds[0]);
    if (timed_out || too_big) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) return AN_E_TIMEOUT;
    if (too_big) return AN_E_TOOL;
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return *exit_code == 0 ? AN_OK : AN_E_TOOL;
}

enum an_status z3_run(const char *program, struct an_buf *out)
{
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/ipcan-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return AN_E_IO;
    size_t len = strlen(program), off = 0;
    while (off < len) {
        ssize_t n = write(fd, program + off, len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            close(fd);
            unlink(path);
            return AN_E_IO;
        }
        off += (size_t)n;
    }
    close(fd);
    char timeout[32];
    unsigned limit = z3_timeout_s();
    snprintf(timeout, sizeof(timeout), "-T:%u", limit);
    char *argv[] = {"z3", "-smt2", timeout, path, NULL};
    int code;
    enum an_status st = an_run_tool(argv, limit + 5, out, &code);
    unlink(path);
    /* z3 -T prints "timeout" on a line of its own when it runs out of time */
    for (const char *p = out->s; st != AN_E_NOTOOL && p && *p;
         p = strchr(p, '\n'), p = p ? p + 1 : p)
        if (strncmp(p, "timeout", 7) == 0 && (p[7] == '\n' || p[7] == '\r' || p[7] == '\0'))
            return AN_E_TIMEOUT;
    return st;
}

unsigned z3_timeout_s(void)
{
    const char *v = getenv("IPCAN_Z3_TIMEOUT");
    char *end;
    unsigned long n = v && *v ? strtoul(v, &end, 10) : 0;
    return n >= 1 && n <= 3600 && *end == '\0' ? (unsigned)n : Z3_TIMEOUT_S;
}

void z3_answer_free(struct z3_answer *a)
{
    free(a->vals);
    memset(a, 0, sizeof(*a));
}

static bool parse_bv(const struct sexp_node *n, uint32_t *v)
{
    if (!n->atom || n->len < 3 || n->atom[0] != '#') return false;
    uint64_t x = 0;
    int base = n->atom[1] == 'b' ? 2 : n->atom[1] == 'x' ? 16 : 0;
    if (!base || n->len > 34) return false;
    for (uint32_t i = 2; i < n->len; i++) {
        char c = n->atom[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0 || d >= base) return false;
        x = x * (uint64_t)base + (uint64_t)d;
    }
    if (x > UINT32_MAX) return false;
    *v = (uint32_t)x;
    return true;
}

/* (= (:var i) #b..) -> column i gets the value. */
static bool parse_eq(const struct sexp *x, uint32_t node, uint32_t arity, uint32_t *row,
                     uint32_t *seen)
{
    const struct sexp_node *n = &x->nodes[node];
    if (n->atom || !sexp_is(x, n->first, "=")) return false;
    uint32_t var = x->nodes[n->first].next;
    if (var == SEXP_NONE || x->nodes[var].atom) return false;
    uint32_t tag = x->nodes[var].first;
    if (!sexp_is(x, tag, ":var")) return false;
    uint32_t idx;
    uint32_t num = x->nodes[tag].next;
    if (num == SEXP_NONE || !x->nodes[num].atom) return false;
    char tmp[16];
    uint32_t len = x->nodes[num].len < 15 ? x->nodes[num].len : 15;
    memcpy(tmp, x->nodes[num].atom, len);
    tmp[len] = '\0';
    char *end;
    unsigned long li = strtoul(tmp, &end, 10);
    if (*end || li >= arity) return false;
    idx = (uint32_t)li;
    uint32_t val = x->nodes[var].next;
    if (val == SEXP_NONE || !parse_bv(&x->nodes[val], &row[idx])) return false;
    *seen |= 1u << idx;
    return true;
}

static bool parse_conj(const struct sexp *x, uint32_t node, struct z3_answer *a)
{
    uint32_t row[16] = {0}, seen = 0;
    const struct sexp_node *n = &x->nodes[node];
    if (!n->atom && sexp_is(x, n->first, "and")) {
        for (uint32_t c = x->nodes[n->first].next; c != SEXP_NONE; c = x->nodes[c].next)
            if (!parse_eq(x, c, a->arity, row, &seen)) return false;
    } else if (!parse_eq(x, node, a->arity, row, &seen)) {
        return false;
    }
    if (seen != (1u << a->arity) - 1) return false;
    an_grow((void **)&a->vals, &a->cap, (a->ntuples + 1) * a->arity, sizeof(uint32_t));
    memcpy(a->vals + (size_t)a->ntuples * a->arity, row, a->arity * sizeof(uint32_t));
    a->ntuples++;
    return true;
}

static bool parse_answer(const struct sexp *x, uint32_t node, struct z3_answer *a)
{
    const struct sexp_node *n = &x->nodes[node];
    if (sexp_is(x, node, "false")) return true;
    if (!n->atom && sexp_is(x, n->first, "or")) {
        for (uint32_t c = x->nodes[n->first].next; c != SEXP_NONE; c = x->nodes[c].next)
            if (!parse_conj(x, c, a)) return false;
        return true;
    }
    return parse_conj(x, node, a);
}

enum an_status z3_parse_answers(const char *text, const uint32_t *arities, uint32_t nqueries,
                                struct z3_answer *answers, struct an_buf *err)
{
    struct sexp x;
    for (uint32_t q = 0; q < nqueries; q++) {
        memset(&answers[q], 0, sizeof(answers[q]));
        answers[q].arity = arities[q];
        if (arities[q] > 16) return AN_E_TOOL;
    }
    if (sexp_parse(text, strlen(text), &x) != 0) {
        an_buf_add(err, "z3's output is not a sequence of s-expressions");
        return AN_E_TOOL;
    }
    uint32_t q = 0;
    enum an_status st = AN_OK;
    for (uint32_t node = x.top; node != SEXP_NONE && st == AN_OK; node = x.nodes[node].next) {
        const struct sexp_node *n = &x.nodes[node];
        if (!n->atom && sexp_is(&x, n->first, "error")) {
            uint32_t msg = x.nodes[n->first].next;
            an_buf_printf(err, "z3 reported an error: %.*s",
                          msg != SEXP_NONE && x.nodes[msg].atom ? (int)x.nodes[msg].len : 0,
                          msg != SEXP_NONE && x.nodes[msg].atom ? x.nodes[msg].atom : "");
            st = AN_E_TOOL;
            break;
        }
        if (q == nqueries) {
            an_buf_add(err, "z3 printed more answers than there were queries");
            st = AN_E_TOOL;
            break;
        }
        if (sexp_is(&x, node, "unsat")) {
            q++;
        } else if (sexp_is(&x, node, "sat")) {
            answers[q].sat = true;
            uint32_t ans = n->next;
            if (ans == SEXP_NONE || (answers[q].arity && !parse_answer(&x, ans, &answers[q]))) {
                an_buf_printf(err, "cannot read z3's answer to query %u", q + 1);
                st = AN_E_TOOL;
                break;
            }
            if (answers[q].arity) node = ans; /* the answer was consumed */
            q++;
        } else {
            an_buf_printf(err, "unexpected word in z3's output: %.*s", (int)(n->atom ? n->len : 1),
                          n->atom ? n->atom : "(");
            st = AN_E_TOOL;
        }
    }
    if (st == AN_OK && q != nqueries) {
        an_buf_printf(err, "z3 answered %u of %u queries", q, nqueries);
        st = AN_E_TOOL;
    }
    sexp_free(&x);
    return st;
}
