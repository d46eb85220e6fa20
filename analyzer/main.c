/* SPDX-License-Identifier: MIT */
/* ipcan: the IPC scenario analyzer's command line. */
#define _POSIX_C_SOURCE 200809L
#include "analysis.h"
#include "bench_gen.h"
#include "report.h"
#include "tree_check.h"
#include "z3_check.h"
#include "z3_run.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static const char usage[] =
    "usage: ipcan COMMAND [options] SCENARIO\n"
    "\n"
    "SCENARIO is a .scn file, or a scenario name looked up as scenarios/*/NAME.scn\n"
    "(directory: $IPCAN_SCENARIOS, default the scenarios/ of the tree ipcan was built from).\n"
    "\n"
    "commands:\n"
    "  check SCENARIO...          parse, validate, check contracts (C search)\n"
    "  contracts SCENARIO         contract report; with --z3 cross-checked by Z3\n"
    "  setup -p POLICY SCENARIO   the boot setup the scenario loader reads (tasks, services,\n"
    "                             channels with labels, claims, capgate additions)\n"
    "  derive -p POLICY SCENARIO  the setup a backend derives (rights, gates, rules)\n"
    "  permitted -p POLICY SCENARIO\n"
    "                             permitted pairs with derivations (C closure);\n"
    "                             --z3: Z3's closure instead; --compare: both, must agree\n"
    "  report SCENARIO            declared / permitted / observed comparison and verdicts\n"
    "                             (every policy, or -p POLICY)\n"
    "  dot -p POLICY SCENARIO     Graphviz graph (-o FILE, default stdout)\n"
    "  smt -p POLICY SCENARIO     the Datalog program given to Z3 for the closure\n"
    "  smt --contract NAME SCENARIO  the Datalog program for one contract\n"
    "  trace TRACE SCENARIO       read a trace and list its decisions by declared task\n"
    "  gen --tasks N --channels M [--fanout F] [--seed S] [--give PERMILLE]\n"
    "                             a generated scenario on stdout (benchmarks)\n"
    "  bench SCENARIO             time the C path over every policy; prints\n"
    "                             tasks,channels,seconds,max_rss_kb\n"
    "  policies                   list the backends\n"
    "\n"
    "options:\n"
    "  -p, --policy NAME   none, clans, ports, refmon, capgate\n"
    "  -t, --trace FILE    a run's IPC trace (format: analyzer/README.md)\n"
    "  --json              machine-readable report\n"
    "  --no-z3             skip the Z3 cross-checks (report, check); needed without z3\n"
    "  --z3                add the Z3 cross-check (check, contracts)\n"
    "  --max N             findings listed per kind and policy (default 50; 0 = all)\n"
    "  --no-permitted      dot: leave out permitted-only edges\n"
    "  -o FILE             output file (dot)\n"
    "  -h, --help          this text\n"
    "\n"
    "exit status: 0 clean, 1 findings, 2 bad input or a tool missing or failing\n";

struct cli {
    const char *cmd, *trace, *out, *contract;
    const char *args[64];
    int nargs;
    int policy; /* -1: all */
    bool json, no_z3, z3, compare, no_permitted;
    uint32_t max, tasks, channels, fanout, seed, give;
};

static int fail(const char *hint, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ipcan: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (hint) fprintf(stderr, "ipcan: hint: %s\n", hint);
    return AN_EXIT_BAD_INPUT;
}

static bool parse_u32_arg(const char *s, uint32_t *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > 100000000ul) return false;
    *out = (uint32_t)v;
    return true;
}

static int parse_cli(int argc, char **argv, struct cli *c)
{
    memset(c, 0, sizeof(*c));
    c->policy = -1;
    c->max = 50;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            exit(AN_EXIT_CLEAN);
        } else if (!strcmp(a, "-p") || !strcmp(a, "--policy")) {
            if (!val) return fail("try: ipcan policies", "%s needs a policy name", a);
            c->policy = (int)an_policy_lookup(val);
            if (c->policy == POL_COUNT)
                return fail(NULL, "unknown policy '%s'; valid policies: %s", val,
                            an_backend_list());
        } else if (!strcmp(a, "-t") || !strcmp(a, "--trace")) {
            c->trace = val;
        } else if (!strcmp(a, "-o")) {
            c->out = val;
        } else if (!strcmp(a, "--contract")) {
            c->contract = val;
        } else if (!strcmp(a, "--max") || !strcmp(a, "--tasks") || !strcmp(a, "--channels") ||
                   !strcmp(a, "--fanout") || !strcmp(a, "--seed") || !strcmp(a, "--give")) {
            uint32_t *dst = !strcmp(a, "--max")        ? &c->max
                            : !strcmp(a, "--tasks")    ? &c->tasks
                            : !strcmp(a, "--channels") ? &c->channels
                            : !strcmp(a, "--fanout")   ? &c->fanout
                            : !strcmp(a, "--seed")     ? &c->seed
                                                       : &c->give;
            if (!val || !parse_u32_arg(val, dst)) return fail(NULL, "%s needs a number", a);
        } else {
            takes = false;
            if (!strcmp(a, "--json"))
                c->json = true;
            else if (!strcmp(a, "--no-z3"))
                c->no_z3 = true;
            else if (!strcmp(a, "--z3"))
                c->z3 = true;
            else if (!strcmp(a, "--compare"))
                c->compare = true;
            else if (!strcmp(a, "--no-permitted"))
                c->no_permitted = true;
            else if (a[0] == '-' && a[1])
                return fail("ipcan -h lists them",
                            "unknown option '%s'; options: -p/--policy, "
                            "-t/--trace, -o, --json, --no-z3, --z3, --compare, --max, --contract, "
                            "--no-permitted, --tasks, --channels, --fanout, --seed, --give, -h",
                            a);
            else if (!c->cmd)
                c->cmd = a;
            else if (c->nargs < 64)
                c->args[c->nargs++] = a;
            else
                return fail(NULL, "too many arguments");
        }
        if (takes) {
            if (!val) return fail(NULL, "%s needs a value", a);
            i++;
        }
    }
    if (!c->cmd) return fail("ipcan -h prints the usage", "no command given");
    return -1;
}

static void list_scenarios(const char *dir, FILE *out)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    fprintf(out, "ipcan: scenarios in %s:", dir);
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char sub[4096];
        snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
        DIR *sd = opendir(sub);
        if (!sd) continue;
        struct dirent *f;
        while ((f = readdir(sd))) {
            size_t n = strlen(f->d_name);
            if (n > 4 && !strcmp(f->d_name + n - 4, ".scn"))
                fprintf(out, " %.*s", (int)(n - 4), f->d_name);
        }
        closedir(sd);
    }
    closedir(d);
    fputc('\n', out);
}

/* Where scenario names are looked up: $IPCAN_SCENARIOS, else the repository's scenarios/
 * (AN_SRC_ROOT, the tree ipcan was built from), wherever ipcan runs. */
static const char *scenario_dir(void)
{
    const char *dir = getenv("IPCAN_SCENARIOS");
    if (dir && *dir) return dir;
#ifdef AN_SRC_ROOT
    return AN_SRC_ROOT "/scenarios";
#else
    return "scenarios";
#endif
}

/* A path, or a name found as DIR/x/NAME.scn; NULL (after saying so) if there is no such name. */
static const char *resolve_scenario(const char *arg, char *buf, size_t n)
{
    struct stat st;
    if (stat(arg, &st) == 0 || strchr(arg, '/') || strstr(arg, ".scn")) return arg;
    const char *dir = scenario_dir();
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr,
                "ipcan: error: no scenario '%s': no file of that name, and no scenario "
                "directory %s to look it up in\n",
                arg, dir);
        return NULL;
    }
    struct dirent *e;
    const char *found = NULL;
    while (!found && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        snprintf(buf, n, "%s/%s/%s.scn", dir, e->d_name, arg);
        if (stat(buf, &st) == 0) found = buf;
    }
    closedir(d);
    if (!found) {
        fprintf(stderr, "ipcan: error: no scenario '%s' (no file of that name, no %s/*/%s.scn)\n",
                arg, dir, arg);
        list_scenarios(dir, stderr);
        return NULL;
    }
    return found;
}

static int load(const char *arg, struct scn *s)
{
    char buf[4096];
    const char *path = resolve_scenario(arg, buf, sizeof(buf));
    if (!path) return AN_EXIT_BAD_INPUT;
    struct an_diag d;
    an_diag_init(&d, path);
    enum an_status st = scn_load(path, s, &d);
    if (st == AN_OK) return -1;
    an_diag_print(&d, stderr);
    return fail("the language is described in scenarios/README.md", "cannot use scenario '%s': %s",
                arg, an_status_text(st));
}

static int need_policy(const struct cli *c)
{
    if (c->policy >= 0) return -1;
    return fail(NULL, "'%s' needs -p POLICY (one of: %s)", c->cmd, an_backend_list());
}

static int need_args(const struct cli *c, int n)
{
    if (c->nargs == n) return -1;
    return fail("ipcan -h prints the usage", "'%s' takes %d argument%s, got %d", c->cmd, n,
                n == 1 ? "" : "s", c->nargs);
}

static int tool_error(enum an_status st, const struct an_buf *err)
{
    if (st == AN_E_NOTOOL)
        return fail("install z3 (scripts/install-deps.sh, or apt-get install z3), or pass --no-z3 "
                    "to skip the Z3 cross-checks",
                    "%s", err->s);
    return fail(NULL, "%s", err->len ? err->s : an_status_text(st));
}

static int cmd_check(const struct cli *c)
{
    if (c->nargs < 1) return need_args(c, 1);
    int rc = AN_EXIT_CLEAN;
    for (int i = 0; i < c->nargs; i++) {
        struct scn s;
        int r = load(c->args[i], &s);
        if (r >= 0) {
            rc = r;
            continue;
        }
        struct analysis an;
        struct analysis_opts o = {.use_z3 = c->z3, .max_list = 0};
        struct an_buf err;
        an_buf_init(&err);
        analysis_init(&an, &s, &o);
        enum an_status st = analysis_contracts(&an, &o, &err);
        if (st != AN_OK) {
            rc = tool_error(st, &err);
        } else {
            for (uint32_t k = 0; k < an.nf; k++) {
                const struct finding *f = &an.f[k];
                printf("%s:%u: %s: %s\n", s.file, f->line, fd_kind_names[f->kind], f->text);
            }
            printf("%s: %s: %u tasks, %u channels, %u contracts, %u finding%s\n", s.file, s.name,
                   s.ntasks, s.nchannels, s.ncontracts, analysis_count(&an),
                   analysis_count(&an) == 1 ? "" : "s");
            if (analysis_count(&an) && rc == AN_EXIT_CLEAN) rc = AN_EXIT_FINDINGS;
        }
        an_buf_free(&err);
        analysis_free(&an);
        scn_free(&s);
    }
    return rc;
}

/* The boot setup for monitor/scnroot/; a name it cannot carry is an input error. */
static int cmd_setup(const struct cli *c, struct scn *s)
{
    struct an_buf out;
    an_buf_init(&out);
    struct an_diag d;
    an_diag_init(&d, s->file);
    int rc = AN_EXIT_CLEAN;
    if (report_setup(s, (enum an_policy_id)c->policy, &out, &d) == AN_OK) {
        fputs(out.s, stdout);
    } else {
        an_diag_print(&d, stderr);
        rc = fail("registered names are single words of 1..31 bytes (the name service's limit)",
                  "scenario %s cannot be written as a boot setup", s->name);
    }
    an_buf_free(&out);
    return rc;
}

static int cmd_derive(const struct cli *c, struct scn *s)
{
    const struct an_backend *be = an_backend_get((enum an_policy_id)c->policy);
    void *su = be->derive(s);
    struct an_buf out;
    an_buf_init(&out);
    be->describe(s, su, &out);
    printf("# %s setup of scenario %s: %s\n%s", be->name, s->name, be->summary, out.s);
    an_buf_free(&out);
    be->free_setup(su);
    return AN_EXIT_CLEAN;
}

static int cmd_permitted(const struct cli *c, struct scn *s)
{
    const struct an_backend *be = an_backend_get((enum an_policy_id)c->policy);
    void *su = be->derive(s);
    struct bitmat pc, pz, decl;
    bitmat_init(&pc, s->ntasks);
    bitmat_init(&pz, s->ntasks);
    bitmat_init(&decl, s->ntasks);
    for (uint32_t i = 0; i < s->nchannels; i++)
        bitmat_set(&decl, s->channels[i].from.idx, s->channels[i].to);
    be->closure(s, su, &pc);
    int rc = AN_EXIT_CLEAN;
    struct an_buf err, why;
    an_buf_init(&err);
    an_buf_init(&why);
    if (c->z3 || c->compare) {
        enum an_status st = closure_z3(s, be, su, &pz, &err);
        if (st != AN_OK) rc = tool_error(st, &err);
    }
    if (rc == AN_EXIT_CLEAN) {
        const struct bitmat *show = c->z3 && !c->compare ? &pz : &pc;
        printf("# %s under %s: permitted pairs (%s)\n", s->name, be->name,
               c->compare ? "C closure, compared with Z3"
               : c->z3    ? "Z3 closure"
                          : "C closure");
        uint32_t listed = 0;
        for (uint32_t a = 0; a < s->ntasks; a++)
            for (uint32_t b = bitmat_next(show, a, 0); b < s->ntasks;
                 b = bitmat_next(show, a, b + 1)) {
                if (c->max && listed++ >= c->max) continue;
                an_buf_clear(&why);
                if (show == &pc) be->explain(s, su, a, b, &why);
                printf("%s -> %s  [%s]%s%s\n", s->tasks[a].name, s->tasks[b].name,
                       bitmat_get(&decl, a, b) ? "declared" : "permitted-only",
                       why.len ? "  because: " : "", why.s);
            }
        if (c->max && listed > c->max)
            printf("# ... %u more pairs (--max 0 lists all)\n", listed - c->max);
        if (c->compare) {
            bool same = bitmat_equal(&pc, &pz);
            printf("# C: %llu pairs, Z3: %llu pairs: %s\n", (unsigned long long)bitmat_count(&pc),
                   (unsigned long long)bitmat_count(&pz), same ? "agree" : "DISAGREE");
            if (!same) rc = AN_EXIT_FINDINGS;
        }
    }
    an_buf_free(&err);
    an_buf_free(&why);
    bitmat_free(&pc);
    bitmat_free(&pz);
    bitmat_free(&decl);
    be->free_setup(su);
    return rc;
}

/* report and dot share this: analyse the policies asked for, with the trace if given. */
static int run_analysis(const struct cli *c, struct scn *s, struct analysis *an, struct trace *tr,
                        bool use_z3)
{
    struct analysis_opts o = {.use_z3 = use_z3, .max_list = c->max};
    analysis_init(an, s, &o);
    if (c->trace) {
        struct an_diag d;
        an_diag_init(&d, c->trace);
        if (trace_load(c->trace, s, tr, &d) != AN_OK) {
            an_diag_print(&d, stderr);
            return fail("the trace format is described in analyzer/README.md",
                        "cannot use trace '%s'", c->trace);
        }
        if (tree_check(s, tr, &d) != AN_OK) {
            an_diag_print(&d, stderr);
            return fail("the run's creation tree must be the declared one (each task started "
                        "by its declared parent)",
                        "trace '%s' is not a run of this declaration", c->trace);
        }
        analysis_set_trace(an, tr);
    }
    if (use_z3 && !an_tool_exists("z3"))
        return fail("install z3 (scripts/install-deps.sh, or apt-get install z3), or pass --no-z3 "
                    "to skip the Z3 cross-checks",
                    "z3 is not installed (not found on PATH)");
    struct an_buf err;
    an_buf_init(&err);
    enum an_status st = analysis_contracts(an, &o, &err);
    for (int p = 0; p < POL_COUNT && st == AN_OK; p++)
        if (c->policy < 0 || c->policy == p)
            st = analysis_policy(an, (enum an_policy_id)p, &o, &err);
    int rc = st == AN_OK ? -1 : tool_error(st, &err);
    an_buf_free(&err);
    return rc;
}

static int cmd_report(const struct cli *c, struct scn *s)
{
    struct analysis an;
    struct trace tr = {0};
    int rc = run_analysis(c, s, &an, &tr, !c->no_z3);
    if (rc < 0) {
        if (c->json)
            report_json(&an, stdout);
        else
            report_text(&an, stdout);
        rc = analysis_count(&an) ? AN_EXIT_FINDINGS : AN_EXIT_CLEAN;
    }
    analysis_free(&an);
    trace_free(&tr);
    return rc;
}

static int cmd_dot(const struct cli *c, struct scn *s)
{
    struct analysis an;
    struct trace tr = {0};
    int rc = run_analysis(c, s, &an, &tr, false);
    if (rc < 0) {
        FILE *out = c->out ? fopen(c->out, "w") : stdout;
        if (!out) {
            rc = fail(NULL, "cannot write '%s'", c->out);
        } else {
            struct dot_opts o = {.show_permitted = !c->no_permitted};
            report_dot(&an, (enum an_policy_id)c->policy, &o, out);
            if (c->out && fclose(out) != 0) rc = fail(NULL, "cannot write '%s'", c->out);
            if (rc < 0) rc = analysis_count(&an) ? AN_EXIT_FINDINGS : AN_EXIT_CLEAN;
        }
    }
    analysis_free(&an);
    trace_free(&tr);
    return rc;
}

static int cmd_smt(const struct cli *c, struct scn *s)
{
    struct an_buf out;
    an_buf_init(&out);
    int rc = AN_EXIT_CLEAN;
    if (c->contract) {
        uint32_t k;
        if (!an_map_get(&s->contract_map, c->contract, &k))
            rc = fail(NULL, "scenario %s has no contract '%s'", s->name, c->contract);
        else
            contract_z3_program(&s->contracts[k], &out);
    } else if ((rc = need_policy(c)) < 0) {
        rc = AN_EXIT_CLEAN;
        const struct an_backend *be = an_backend_get((enum an_policy_id)c->policy);
        void *su = be->derive(s);
        closure_z3_program(s, be, su, &out);
        be->free_setup(su);
    }
    fputs(out.s, stdout);
    an_buf_free(&out);
    return rc;
}

static int cmd_trace(const struct cli *c)
{
    if (c->nargs != 2) return need_args(c, 2);
    struct scn s;
    int rc = load(c->args[1], &s);
    if (rc >= 0) return rc;
    struct trace t;
    struct an_diag d;
    an_diag_init(&d, c->args[0]);
    if (trace_load(c->args[0], &s, &t, &d) != AN_OK) {
        an_diag_print(&d, stderr);
        scn_free(&s);
        return fail("the trace format is described in analyzer/README.md", "cannot use trace '%s'",
                    c->args[0]);
    }
    printf("# trace of %s under %s: %u tasks named, %u decisions\n",
           t.scenario[0] ? t.scenario : s.name, t.policy, t.ntasks, t.nev);
    for (uint32_t i = 0; i < t.ntasks; i++)
        printf("task %u %s -> %s\n", t.tasks[i].id, t.tasks[i].name,
               t.tasks[i].task == SCN_NONE ? "(not declared)" : s.tasks[t.tasks[i].task].name);
    char b1[32], b2[32];
    for (uint32_t i = 0; i < t.nev; i++) {
        const struct tr_event *e = &t.ev[i];
        printf("%llu %s %s -> %s: %s\n", (unsigned long long)e->time, tr_op_names[e->op],
               trace_name_of(&t, e->from_id, b1, sizeof(b1)),
               e->has_to ? trace_name_of(&t, e->to_id, b2, sizeof(b2)) : "-",
               tr_outcome_names[e->outcome]);
    }
    trace_free(&t);
    scn_free(&s);
    return AN_EXIT_CLEAN;
}

static int cmd_gen(const struct cli *c)
{
    if (c->tasks < 2 || c->tasks > SCN_MAX_TASKS)
        return fail(NULL, "gen needs --tasks N with 2 <= N <= %d", SCN_MAX_TASKS);
    struct gen_opts o = {c->tasks, c->channels, c->fanout, c->seed, c->give};
    struct an_buf out;
    an_buf_init(&out);
    bench_generate(&o, &out);
    fwrite(out.s, 1, out.len, stdout);
    an_buf_free(&out);
    return AN_EXIT_CLEAN;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Parse + contracts + every policy's closure and comparisons, C path only. */
static int cmd_bench(const struct cli *c)
{
    if (c->nargs != 1) return need_args(c, 1);
    double t0 = now_s();
    struct scn s;
    int rc = load(c->args[0], &s);
    if (rc >= 0) return rc;
    struct analysis an;
    struct analysis_opts o = {.use_z3 = false, .max_list = c->max};
    struct an_buf err;
    an_buf_init(&err);
    analysis_init(&an, &s, &o);
    analysis_contracts(&an, &o, &err);
    for (int p = 0; p < POL_COUNT; p++)
        if (c->policy < 0 || c->policy == p) analysis_policy(&an, (enum an_policy_id)p, &o, &err);
    double t1 = now_s();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%u,%u,%.3f,%ld\n", s.ntasks, s.nchannels, t1 - t0, ru.ru_maxrss);
    analysis_free(&an);
    an_buf_free(&err);
    scn_free(&s);
    return AN_EXIT_CLEAN;
}

int main(int argc, char **argv)
{
    struct cli c;
    int rc = parse_cli(argc, argv, &c);
    if (rc >= 0) return rc;
    if (!strcmp(c.cmd, "check")) return cmd_check(&c);
    if (!strcmp(c.cmd, "trace")) return cmd_trace(&c);
    if (!strcmp(c.cmd, "gen")) return cmd_gen(&c);
    if (!strcmp(c.cmd, "bench")) return cmd_bench(&c);
    if (!strcmp(c.cmd, "policies")) {
        for (int p = 0; p < POL_COUNT; p++) {
            const struct an_backend *be = an_backend_get((enum an_policy_id)p);
            printf("%-8s %s\n         additions: %s\n", be->name, be->summary, be->additions_help);
        }
        return AN_EXIT_CLEAN;
    }
    static const struct {
        const char *name;
        int (*fn)(const struct cli *, struct scn *);
        bool policy;
    } cmds[] = {{"contracts", NULL, false},    {"setup", cmd_setup, true},
                {"derive", cmd_derive, true},  {"permitted", cmd_permitted, true},
                {"report", cmd_report, false}, {"dot", cmd_dot, true},
                {"smt", cmd_smt, false}};
    for (size_t i = 0; i < AN_ARRAY_SIZE(cmds); i++) {
        if (strcmp(c.cmd, cmds[i].name)) continue;
        if ((rc = need_args(&c, 1)) >= 0) return rc;
        if (cmds[i].policy && (rc = need_policy(&c)) >= 0) return rc;
        if (!cmds[i].fn) { /* contracts: check with the report's contract section */
            struct cli cc = c;
            cc.z3 = c.z3;
            return cmd_check(&cc);
        }
        struct scn s;
        if ((rc = load(c.args[0], &s)) >= 0) return rc;
        rc = cmds[i].fn(&c, &s);
        scn_free(&s);
        return rc;
    }
    return fail("ipcan -h lists them",
                "unknown command '%s'; commands: check, contracts, setup, "
                "derive, permitted, report, dot, smt, trace, gen, bench, policies",
                c.cmd);
}
