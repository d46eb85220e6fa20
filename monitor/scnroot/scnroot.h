/* SPDX-License-Identifier: MIT */
/*
 * The scenario loader (see main.c): the setup it read (setup.c) and the thread that serves it
 * to the tasks and answers as their parent name service (serve.c).
 */
#ifndef MONITOR_SCNROOT_H
#define MONITOR_SCNROOT_H

#include "scn.h"
#include "scn_proto.h"

#define MAX_TASKS 22
#define MAX_SERVICES 32
#define MAX_CHANNELS 64
#define ID_LEN 132 /* the scenario language allows 128 */
#define DEADLINE_US 1000000

/* The run's length: DEADLINE_US unless the declaration says `run` (setup line `run_us`),
 * within the analyzer's SCN_RUN_MS_MIN and SCN_RUN_MS_MAX. */
#define RUN_US_MIN 10000
#define RUN_US_MAX 10000000
/* Capabilities that arrive (a child registering a name) land here and are dropped at once. */
#define SCRATCH_SLOT 250

struct stask {
    char name[ID_LEN], program[ID_LEN], parent_name[ID_LEN];
    bool is_self, attacker, infra;
    bool unlimited;  /* no message quota: the loader gives it the whole message pool */
    bool is_monitor; /* another task's declared reference monitor (program refmon) */
    int monitor;     /* its declared reference monitor (index), or -1: the scenario's */
    char monitor_name[ID_LEN];
    int parent;      /* declared parent (index), or -1: the loader starts it */
    int ndesc;       /* declared descendants: the task quota it gets */
    long task;       /* kernel task name, as its creator (the loader or the parent) names it */
    word_t thread;   /* its first thread (the loader's name for it) */
    long requests;   /* a parent: the loader's name for its thread, for SCN_OP_* requests */
    word_t setup_ep; /* the name it calls for its setup, as it sees it */
    long setup_own;  /* the loader's own name for that endpoint (a port's label) */
    char text[SCN_SETUP_MAX];
    size_t len;
};

struct sservice {
    char name[ID_LEN], regname[ID_LEN];
    int owner;
    long ep; /* the loader's own name for its endpoint (a port's label) */
};

struct schannel {
    char name[ID_LEN], regname[ID_LEN]; /* regname: a lookup channel */
    int from, service;                  /* service -1 for a lookup channel until resolved */
    word_t label;
    bool give;
    long ep; /* the loader's own name for the endpoint (hierarchical lookups map it on) */
};

/* refmon's additions: `allow FROM TO [map] [for MS]`, rules for the reference monitor (with
 * a lifetime in ms after the first grant: revoked at run time). */
struct sallow {
    int from, to;
    bool map;
    unsigned life;
};
/* A chief's forwarding rule (backends that redirect: `forward CHIEF SRC DST` lines); -1 in src
 * or dst: any task. */
struct sforward {
    int chief, src, dst;
};
#define MAX_FORWARDS 128

/* The declaration as the setup module gives it (filled by read_setup). */
extern struct stask tasks[MAX_TASKS];
extern struct sservice services[MAX_SERVICES];
extern struct schannel chans[MAX_CHANNELS];
extern struct sforward forwards[MAX_FORWARDS];
extern int ntasks, nservices, nchans, nforwards;
extern struct sallow allows[MAX_CHANNELS];
extern int nallows;
extern char scenario[ID_LEN], policy[16];
extern bool flat;        /* naming */
extern bool gate_labels; /* the backend: a label is the gate's (else the sender's thread id) */
extern bool port_labels; /* the backend: a label is the port's name in the loader's space */
extern bool local_names; /* the backend: names are task-local slots, passed as typed items */
extern bool monitored;   /* the backend: a send without a right faults to a reference monitor */

/* The deadline, in virtual microseconds. */
extern unsigned long run_us;

/* Reads and checks the boot module "setup"; stops the run with a line-numbered error. */
void read_setup(void);
/* Reports a failed step and stops the run (exit status 3). */
void fail(const char *what, long r) __attribute__((noreturn));
/* The thread that answers setup requests and, under hierarchical naming, lookups. */
long setup_server(word_t arg);
/* Backends that fault sends to a monitor (refmon): starts the reference monitor (boot module
 * "refmon") and returns its thread, or `pager` (which grants every first contact) if the
 * image has none (monitor.c). */
long monitor_start(long pager);
/* Gives a monitor the IPC rights it grants from and the rules for the tasks it monitors
 * (`which`: a declared monitor's index, or -1: the tasks without one): their declared
 * channels and `allow` lines, and their setup server and name server (index ns, or -1). */
void monitor_rules(long monitor, int which, word_t server, int ns);
/* A declared monitor (`task T ... monitor M`): M must be a task the loader starts itself
 * running program refmon; it is started with the loader's thread as its argument. */
void monitor_check_declared(void);

#endif
