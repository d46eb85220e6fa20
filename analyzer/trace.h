/* SPDX-License-Identifier: MIT */
/* A run's IPC decision trace (format: analyzer/README.md, "Trace format"), read and mapped onto
 * the declared tasks. */
#ifndef TRACE_H
#define TRACE_H

#include "scn_model.h"

enum tr_op {
    TOP_SEND,
    TOP_RECV,
    TOP_WAIT,
    TOP_CALL,
    TOP_REPLY_WAIT,
    TOP_REPLY,
    TOP_NOTIFY,
    TOP_FAULT,
    TOP_COUNT
};
enum tr_outcome {
    TOUT_DELIVERED,
    TOUT_DENIED,
    TOUT_REDIRECTED,
    TOUT_FAULTED,
    TOUT_PARKED,
    TOUT_TIMEOUT,
    TOUT_CANCELLED,
    TOUT_BLOCKED, /* still waiting in this IPC when the machine powered off */
    TOUT_COUNT
};
extern const char *const tr_op_names[TOP_COUNT];
extern const char *const tr_outcome_names[TOUT_COUNT];

struct tr_event {
    uint32_t line;
    uint64_t time, dest, label;
    int64_t proto; /* -1 if the line has no proto= */
    enum tr_op op;
    enum tr_outcome outcome;
    uint32_t from_id, from_thread; /* kernel ids */
    uint32_t to_id, to_thread;     /* to_id 0 and has_to false for '-' */
    uint32_t orig_id;              /* forwarded in the name of (orig=), else 0 */
    bool has_to, has_orig;
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
    char *text; /* the whole trace; events point into it */
};

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
