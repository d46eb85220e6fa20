/* SPDX-License-Identifier: MIT */
/* ipcidl's model of an interface file: interfaces, operations, parameters, and the generators. */
#ifndef IDL_H
#define IDL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes, as ipcan's: 0 fine, 2 bad input or usage. */
enum idl_exit { IDL_EXIT_OK = 0, IDL_EXIT_BAD_INPUT = 2 };

#define IDL_MAX_IFACES 16
#define IDL_MAX_OPS 64
#define IDL_MAX_PARAMS 16
#define IDL_NAME_MAX 48
#define IDL_MRS 64 /* message registers a message may fill (UTCB_MRS) */

enum idl_dir { DIR_IN = 1, DIR_OUT = 2, DIR_INOUT = 3 };

enum idl_kind {
    K_INT,    /* one integer, one word */
    K_FIXED,  /* T name[N]: N elements packed, a length word first */
    K_VAR,    /* [size_is(n), max(M)] T *name: at most M elements, n of them, packed */
    K_STRING, /* [max(M)] string name: at most M bytes without NUL, packed */
    K_FPAGE,  /* a memory flexpage: a map item */
    K_CAP,    /* the backend's name (capability): a map item of kind FPAGE_KIND_BACKEND */
};

struct idl_type {
    const char *idl; /* spelling in the IDL */
    const char *c;   /* C type */
    unsigned size;   /* bytes */
    bool is_signed;
};

struct idl_param {
    char name[IDL_NAME_MAX];
    enum idl_dir dir;
    enum idl_kind kind;
    const struct idl_type *type; /* element type (integers, arrays) */
    unsigned count;              /* K_FIXED: elements; K_VAR/K_STRING: the maximum */
    int size_is;                 /* K_VAR: index of the integer parameter with the count */
    bool is_size;                /* some K_VAR names this one */
    unsigned line, col;
};

struct idl_op {
    char name[IDL_NAME_MAX];
    unsigned opcode;
    bool oneway;
    bool oplabel; /* the interface's: the opcode is in the request's label, not in mr[0] */
    struct idl_param p[IDL_MAX_PARAMS];
    unsigned np;
    unsigned line, col;
};

struct idl_iface {
    char name[IDL_NAME_MAX];
    uint64_t proto, reply; /* tag labels of requests and replies */
    bool oplabel;          /* requests carry label proto + opcode and no opcode word */
    struct idl_op op[IDL_MAX_OPS];
    unsigned nops;
};

struct idl_file {
    const char *path;
    struct idl_iface *iface;
    unsigned nifaces;
};

/* Parses `text` (from `path`); on an error prints "path:line:col: error: ..." and returns false. */
bool idl_parse(const char *path, const char *text, struct idl_file *f);

/* Message registers an operation's request / reply needs at most (the bounds checked). */
unsigned idl_request_words(const struct idl_op *op);
unsigned idl_reply_words(const struct idl_op *op);
/* Packed payload words of an array or string parameter at its bound (without its length). */
unsigned idl_payload_words(const struct idl_param *p);
bool idl_is_in(const struct idl_param *p);
bool idl_is_out(const struct idl_param *p);

/* Generators: each writes one file for one interface. */
void idl_gen_header(FILE *o, const struct idl_file *f, const struct idl_iface *it);
void idl_gen_stubs(FILE *o, const struct idl_file *f, const struct idl_iface *it);
void idl_gen_user(FILE *o, const struct idl_file *f, const struct idl_iface *it);
void idl_gen_contract(FILE *o, const struct idl_file *f, const struct idl_iface *it);
void idl_gen_doc(FILE *o, const struct idl_file *f, const struct idl_iface *it);
void idl_gen_test(FILE *o, const struct idl_file *f, const struct idl_iface *it);

#endif
