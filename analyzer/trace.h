/* SPDX-License-Identifier: MIT */
/* A run's IPC decision trace (format: analyzer/README.md, "Trace format"), read and mapped onto
 * the declared tasks. */
#ifndef TRACE_H
#define TRACE_H

#include "scn_model.h"

#include "abi/trace_vocab.h"

/* Operations and outcomes: the kernel's vocabulary (abi/trace_vocab.h), numbered from 0. */
enum tr_op {
#define TR_OP_ENUM(name, value, text) TOP_##name = (value)-1,
    TRACE_OP_LIST(TR_OP_ENUM)
#undef TR_OP_ENUM
        TOP_COUNT
};
#define TOP_FIRST_AUTH (TRACE_OP_FIRST_AUTH - 1) /* ops from here on are authority records */
enum tr_outcome {
#define TR_OUTCOME_ENUM(name, value, text) TOUT_##name = (value),
    TRACE_OUTCOME_LIST(TR_OUTCOME_ENUM)
#undef TR_OUTCOME_ENUM
        TOUT_NONE, /* an authority record: no outcome, its status says how it went */
    TOUT_COUNT
};
extern const char *const tr_op_names[TOP_COUNT];
extern const char *const tr_outcome_names[TOUT_COUNT];

struct tr_event {
    uint32_t line;
    uint64_t time, dest, label; /* authority records: obj= in dest, arg= in label */
    int32_t status;             /* abi/status.h's value of status=NAME; -1 if the line has none */
    int64_t proto;              /* -1 if the line has no proto= */
    enum tr_op op;
    enum tr_outcome outcome;
    uint32_t from_id, from_thread; /* kernel ids */
    uint32_t to_id, to_thread;     /* to_id 0 and has_to false for '-' */
    uint32_t orig_id;              /* forwarded in the name of (orig=), else 0 */
    bool has_to, has_orig, has_from;
    uint32_t from, to, orig; /* declared task indexes, SCN_NONE if not declared */
    const char *text;        /* the record as written (into trace.text), for citing it */
    uint32_t text_len;
};

struct tr_task {
    uint32_t id, parent;
    char name[64];
    bool has_parent;
    uint32_t task; /* declared task: same name, created by its declared parent or the loader;
                      SCN_NONE otherwise */
};

struct trace {
    char scenario[64], policy[32];
    struct tr_task *tasks;
    uint32_t ntasks, cap_tasks;
    struct tr_event *ev;
    uint32_t nev, cap_ev;
    char *text;     /* the whole trace; events point into it */
    bool complete;  /* an end line whose count matches, nothing reported lost, nothing cut */
    char loss[200]; /* why the trace is not complete: what every verdict on it cites */
};

/* An IPC decision (ipc line), not an authority record (auth line). */
static inline bool tr_is_ipc(const struct tr_event *e)
{
    return e->op < TOP_FIRST_AUTH;
}

/* Parses a trace; errors are file:line:column. s maps kernel task names onto declared tasks. */
enum an_status trace_parse(const char *file, const char *buf, size_t len, const struct scn *s,
                           struct trace *t, struct an_diag *d);
enum an_status trace_load(const char *path, const struct scn *s, struct trace *t,
                          struct an_diag *d);
void trace_free(struct trace *t);
/* Declared task of a kernel task id, or SCN_NONE. */
uint32_t trace_task_of(const struct trace *t, uint32_t id);
/* The kernel's name for an id ("task#7" if the preamble did not name it). */
const char *trace_name_of(const struct trace *t, uint32_t id, char *buf, size_t n);

#endif
