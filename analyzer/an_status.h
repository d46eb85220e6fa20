/* SPDX-License-Identifier: MIT */
/* ipcan's exit codes and its one status enum for errors inside the tool. */
#ifndef AN_STATUS_H
#define AN_STATUS_H

/* Process exit codes: the only three ipcan ever returns. */
enum an_exit {
    AN_EXIT_CLEAN = 0,    /* input fine, no findings */
    AN_EXIT_FINDINGS = 1, /* input fine, at least one finding */
    AN_EXIT_BAD_INPUT = 2 /* bad input, bad usage, or a tool (z3, dot) missing or failing */
};

/* Status of an operation inside the tool; every failure path returns one of these. */
enum an_status {
    AN_OK = 0,
    AN_E_SYNTAX,   /* malformed input (diagnostic recorded with file:line:column) */
    AN_E_SEMANTIC, /* well-formed but inconsistent input (unknown name, cycle, ...) */
    AN_E_LIMIT,    /* a documented size limit was exceeded */
    AN_E_IO,       /* a file could not be read or written */
    AN_E_NOTOOL,   /* an external tool (z3, dot) is not installed */
    AN_E_TOOL,     /* an external tool failed or answered something unexpected */
    AN_E_TIMEOUT,  /* an external tool ran out of time (z3's -T, or ipcan's own limit) */
    AN_E_USAGE,    /* bad command line */
};

const char *an_status_text(enum an_status s);

#endif
