/* SPDX-License-Identifier: MIT */
/*
 * The IPC-control backends described by their properties: what a program or the analyzer may
 * branch on instead of a backend's name. One row per backend, one table (BACKEND_TABLE); the
 * kernel reports its own row through kinfo(KINFO_POLICY) (each policies/<name>/policy.h
 * defines POLICY_DESCRIPTOR as its row), and the analyzer's backend models read the same rows,
 * so the two sides cannot disagree. The rows of backends not built yet describe them as
 * policies/README.md plans them.
 */
#ifndef ABI_BACKEND_H
#define ABI_BACKEND_H

/* What a name (the word a task sends to) is. */
enum backend_names {
    BACKEND_NAMES_GLOBAL = 1, /* a global thread id: any task can write any name (probing) */
    BACKEND_NAMES_LOCAL = 2,  /* an index into the task's own space (capability, port right) */
};

/* What the receiver sees as the label of a message. */
enum backend_label {
    BACKEND_LABEL_SENDER = 1, /* the sender's thread id, stamped by the kernel */
    BACKEND_LABEL_GATE = 2,   /* the label of the gate sent through, chosen by its creator */
    BACKEND_LABEL_PORT = 3,   /* the receiver's name of the port the message arrived on */
};

/* How long the right to reply to a call lives. */
enum backend_reply {
    BACKEND_REPLY_UNTIL_WAIT = 1, /* until the reply or the replier's next wait (L4, Fiasco) */
    BACKEND_REPLY_UNTIL_USED = 2, /* until used, across waits (a Mach send-once right) */
};

struct backend_desc {
    char name[16];
    unsigned char names;     /* enum backend_names */
    unsigned char label;     /* enum backend_label */
    unsigned char reply;     /* enum backend_reply */
    unsigned char queues;    /* 1: messages wait in kernel memory, their senders go on */
    unsigned char redirects; /* 1: a send can be redirected to a chief or a monitor */
    unsigned char revocable; /* 1: a name can be taken away from its holder (unmap, revoke) */
    unsigned char reserved[2];
};

/* The rows. A backend's policy.h says `#define POLICY_DESCRIPTOR BACKEND_DESC_<NAME>`. */
#define BACKEND_DESC_NONE                                                                          \
    {                                                                                              \
        "none", BACKEND_NAMES_GLOBAL, BACKEND_LABEL_SENDER, BACKEND_REPLY_UNTIL_WAIT, 0, 0, 0,     \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }
#define BACKEND_DESC_CAPGATE                                                                       \
    {                                                                                              \
        "capgate", BACKEND_NAMES_LOCAL, BACKEND_LABEL_GATE, BACKEND_REPLY_UNTIL_WAIT, 0, 0, 1,     \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }
/* clans & chiefs: global ids; leaving or entering a clan is redirected to the chief */
#define BACKEND_DESC_CLANS                                                                         \
    {                                                                                              \
        "clans", BACKEND_NAMES_GLOBAL, BACKEND_LABEL_SENDER, BACKEND_REPLY_UNTIL_WAIT, 0, 1, 0,    \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }
/* Mach ports: task-local right names, a bounded queue per port, send-once reply rights */
#define BACKEND_DESC_PORTS                                                                         \
    {                                                                                              \
        "ports", BACKEND_NAMES_LOCAL, BACKEND_LABEL_PORT, BACKEND_REPLY_UNTIL_USED, 1, 0, 1,       \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }
/* reference monitors: global ids, a missing IPC right faults to the monitor; unmap revokes */
#define BACKEND_DESC_REFMON                                                                        \
    {                                                                                              \
        "refmon", BACKEND_NAMES_GLOBAL, BACKEND_LABEL_SENDER, BACKEND_REPLY_UNTIL_WAIT, 0, 1, 1,   \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }

enum backend_id {
    BACKEND_NONE,
    BACKEND_CAPGATE,
    BACKEND_CLANS,
    BACKEND_PORTS,
    BACKEND_REFMON,
    BACKEND_COUNT
};

/* The table: `const struct backend_desc t[BACKEND_COUNT] = BACKEND_TABLE;` */
#define BACKEND_TABLE                                                                              \
    {                                                                                              \
        [BACKEND_NONE] = BACKEND_DESC_NONE, [BACKEND_CAPGATE] = BACKEND_DESC_CAPGATE,              \
        [BACKEND_CLANS] = BACKEND_DESC_CLANS, [BACKEND_PORTS] = BACKEND_DESC_PORTS,                \
        [BACKEND_REFMON] = BACKEND_DESC_REFMON,                                                    \
    }

#endif
