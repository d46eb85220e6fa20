/* SPDX-License-Identifier: MIT */
/* ipcidl's lexer and parser: an interface file into the model, every error with file:line:col. */
#include "idl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct idl_type types[] = {
    {"int8", "int8_t", 1, true},      {"int16", "int16_t", 2, true},
    {"int32", "int32_t", 4, true},    {"int64", "int64_t", 8, true},
    {"uint8", "uint8_t", 1, false},   {"uint16", "uint16_t", 2, false},
    {"uint32", "uint32_t", 4, false}, {"uint64", "uint64_t", 8, false},
    {"int", "int32_t", 4, true},      {"unsigned", "uint32_t", 4, false},
    {"long", "int64_t", 8, true},     {"char", "char", 1, true},
    {"word", "word_t", 8, false},
};

enum tok { T_EOF, T_IDENT, T_INT, T_PUNCT };

struct lex {
    const char *path, *s;
    unsigned line, col;
    enum tok t;
    char text[IDL_NAME_MAX];
    uint64_t val;
    unsigned tline, tcol;
};

/* Prints the diagnostic at the current token; always false, for `return err(...)`. */
static bool err(struct lex *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%u:%u: error: ", l->path, l->tline, l->tcol);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return false;
}

static void skip_space(struct lex *l)
{
    for (;;) {
        char c = *l->s;
        if (c == '\n') {
            l->line++, l->col = 1, l->s++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            l->col++, l->s++;
        } else if (c == '#' || (c == '/' && l->s[1] == '/')) {
            while (*l->s && *l->s != '\n')
                l->s++;
        } else {
            return;
        }
    }
}

/* The next token; false (with a diagnostic) on a character that starts none. */
static bool next(struct lex *l)
{
    skip_space(l);
    l->tline = l->line, l->tcol = l->col;
    const char *b = l->s;
    if (!*b) {
        l->t = T_EOF;
        strcpy(l->text, "end of file");
        return true;
    }
    if (isalpha((unsigned char)*b) || *b == '_') {
        while (isalnum((unsigned char)*l->s) || *l->s == '_')
            l->s++;
        size_t n = (size_t)(l->s - b);
        l->col += (unsigned)n;
        if (n >= IDL_NAME_MAX) return err(l, "name longer than %d bytes", IDL_NAME_MAX - 1);
        memcpy(l->text, b, n);
        l->text[n] = 0;
        l->t = T_IDENT;
        return true;
    }
    if (isdigit((unsigned char)*b)) {
        char *end;
        unsigned long long v = strtoull(b, &end, 0);
        if (end == b || isalnum((unsigned char)*end) || v >= (1ULL << 48))
            return err(l, "bad integer (decimal or 0x hexadecimal, below 2^48)");
        l->col += (unsigned)(end - b);
        l->s = end;
        l->val = v;
        snprintf(l->text, sizeof(l->text), "%llu", v);
        l->t = T_INT;
        return true;
    }
    if (strchr("(){}[],;*<>", *b)) {
        l->text[0] = *b, l->text[1] = 0;
        l->s++, l->col++;
        l->t = T_PUNCT;
        return true;
    }
    return err(l, "unexpected character '%c'", *b);
}

static bool is(struct lex *l, const char *p)
{
    return (l->t == T_PUNCT || l->t == T_IDENT) && strcmp(l->text, p) == 0;
}

/* Consumes punctuation or a keyword p, or reports what was expected. */
static bool want(struct lex *l, const char *p)
{
    if (!is(l, p)) return err(l, "expected '%s', found '%s'", p, l->text);
    return next(l);
}

static bool want_int(struct lex *l, const char *what, uint64_t *v)
{
    if (l->t != T_INT) return err(l, "expected %s (an integer), found '%s'", what, l->text);
    *v = l->val;
    return next(l);
}

/* Names become C identifiers in the generated code: a C keyword would not compile there. */
static bool is_c_keyword(const char *s)
{
    static const char *const kw[] = {
        "auto",     "break",  "case",   "char",     "const",    "continue", "default",  "do",
        "double",   "else",   "enum",   "extern",   "float",    "for",      "goto",     "if",
        "inline",   "int",    "long",   "register", "restrict", "return",   "short",    "signed",
        "sizeof",   "static", "struct", "switch",   "typedef",  "union",    "unsigned", "void",
        "volatile", "while",  "bool",   "_Bool",    "true",     "false"};
    for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
        if (strcmp(kw[i], s) == 0) return true;
    return false;
}

/* A type's spelling: "int", "unsigned" and "char" are words of the IDL too. */
static bool want_type_word(struct lex *l, const char *what, char *out)
{
    if (l->t != T_IDENT) return err(l, "expected %s, found '%s'", what, l->text);
    strcpy(out, l->text);
    return next(l);
}

static bool want_ident(struct lex *l, const char *what, char *out)
{
    if (l->t != T_IDENT) return err(l, "expected %s, found '%s'", what, l->text);
    if (is_c_keyword(l->text))
        return err(l, "'%s' is a C keyword: it cannot name %s in the generated code", l->text,
                   what);
    strcpy(out, l->text);
    return next(l);
}

static const struct idl_type *find_type(const char *name)
{
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(types[i].idl, name) == 0) return &types[i];
    return NULL;
}

static bool c_keyword_or_taken(const char *n)
{
    static const char *const bad[] = {
        "auto",  "break", "case",   "const",  "default", "do",      "else",   "enum",
        "for",   "if",    "return", "signed", "sizeof",  "static",  "struct", "switch",
        "union", "void",  "while",  "u",      "label",   "ctx",     "srv",    "dest",
        "tag",   "r",     "w",      "st",     "rtag",    "timeout", "bad"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (strcmp(bad[i], n) == 0) return true;
    return find_type(n) != NULL;
}

struct pattrs {
    enum idl_dir dir;
    char size_is[IDL_NAME_MAX];
    uint64_t max;
    bool has_max;
};

/* [in|out|inout, size_is(x), max(N)] before a parameter. */
static bool parse_param_attrs(struct lex *l, struct pattrs *a)
{
    if (!is(l, "[")) return true;
    if (!next(l)) return false;
    for (;;) {
        if (is(l, "in") || is(l, "out") || is(l, "inout")) {
            a->dir = is(l, "in") ? DIR_IN : is(l, "out") ? DIR_OUT : DIR_INOUT;
            if (!next(l)) return false;
        } else if (is(l, "size_is")) {
            if (!next(l) || !want(l, "(") || !want_ident(l, "a parameter name", a->size_is) ||
                !want(l, ")"))
                return false;
        } else if (is(l, "max")) {
            if (!next(l) || !want(l, "(") || !want_int(l, "a maximum", &a->max) || !want(l, ")"))
                return false;
            a->has_max = true;
        } else {
            return err(l,
                       "expected a parameter attribute (in, out, inout, size_is(x), max(N)), "
                       "found '%s'",
                       l->text);
        }
        if (is(l, "]")) return next(l);
        if (!want(l, ",")) return false;
    }
}

static bool parse_param(struct lex *l, struct idl_op *op, char sizes[][IDL_NAME_MAX])
{
    if (op->np >= IDL_MAX_PARAMS) return err(l, "more than %d parameters", IDL_MAX_PARAMS);
    struct idl_param *p = &op->p[op->np];
    struct pattrs a = {.dir = 0};
    if (!parse_param_attrs(l, &a)) return false;
    if (is(l, "in") || is(l, "out") || is(l, "inout")) {
        a.dir = is(l, "in") ? DIR_IN : is(l, "out") ? DIR_OUT : DIR_INOUT;
        if (!next(l)) return false;
    }
    p->dir = a.dir ? a.dir : DIR_IN;
    p->line = l->tline, p->col = l->tcol;
    p->size_is = -1;
    char tname[IDL_NAME_MAX];
    if (!want_type_word(l,
                        "a type (int8..int64, uint8..uint64, int, unsigned, long, char, word, "
                        "string, fpage, cap)",
                        tname))
        return false;
    bool ptr = false;
    if (is(l, "*")) {
        ptr = true;
        if (!next(l)) return false;
    }
    unsigned nline = l->tline, ncol = l->tcol;
    if (!want_ident(l, "a parameter name", p->name)) return false;
    if (c_keyword_or_taken(p->name)) {
        l->tline = nline, l->tcol = ncol;
        return err(l, "'%s' cannot be a parameter name (a C keyword, a type or a stub's own name)",
                   p->name);
    }
    for (unsigned i = 0; i < op->np; i++)
        if (strcmp(op->p[i].name, p->name) == 0) {
            l->tline = nline, l->tcol = ncol;
            return err(l, "parameter '%s' declared twice", p->name);
        }
    bool brackets = false;
    uint64_t fixed = 0;
    if (is(l, "[")) {
        brackets = true;
        if (!next(l)) return false;
        if (l->t == T_INT && !want_int(l, "an array length", &fixed)) return false;
        if (!want(l, "]")) return false;
    }
    l->tline = p->line, l->tcol = p->col; /* semantic errors point at the parameter */
    strcpy(sizes[op->np], a.size_is);
    if (strcmp(tname, "string") == 0) {
        if (ptr || brackets || a.size_is[0]) return err(l, "a string is '[max(N)] string name'");
        if (!a.has_max) return err(l, "string '%s' needs a bound: [max(N)]", p->name);
        p->kind = K_STRING;
        p->count = (unsigned)a.max;
        p->type = find_type("char");
    } else if (strcmp(tname, "fpage") == 0 || strcmp(tname, "cap") == 0) {
        if (ptr || brackets || a.size_is[0] || a.has_max)
            return err(l, "a flexpage takes no size, bound or pointer");
        if (p->dir == DIR_INOUT) return err(l, "a flexpage is either in or out");
        p->kind = tname[0] == 'f' ? K_FPAGE : K_CAP;
    } else {
        p->type = find_type(tname);
        if (!p->type) return err(l, "unknown type '%s'", tname);
        if (a.size_is[0] || ptr || (brackets && !fixed)) {
            if (!a.size_is[0])
                return err(l, "array '%s' needs its length: [size_is(param), max(N)]", p->name);
            if (!a.has_max)
                return err(l, "array '%s' needs a bound: add max(N) to size_is(%s)", p->name,
                           a.size_is);
            if (p->dir == DIR_INOUT) return err(l, "a variable array is either in or out");
            p->kind = K_VAR;
            p->count = (unsigned)a.max;
        } else if (brackets) {
            if (a.has_max) return err(l, "a fixed array takes no max()");
            p->kind = K_FIXED;
            p->count = (unsigned)fixed;
        } else {
            if (a.has_max) return err(l, "an integer takes no max()");
            p->kind = K_INT;
        }
    }
    if ((p->kind == K_FIXED || p->kind == K_VAR || p->kind == K_STRING) &&
        (p->count == 0 || (uint64_t)p->count * p->type->size > IDL_MRS * 8))
        return err(l, "the bound of '%s' must be 1..%u bytes", p->name, IDL_MRS * 8);
    op->np++;
    return true;
}

/* Resolves size_is names; a size parameter is an integer travelling in the array's direction. */
static bool link_sizes(struct lex *l, struct idl_op *op, char sizes[][IDL_NAME_MAX])
{
    for (unsigned i = 0; i < op->np; i++) {
        struct idl_param *p = &op->p[i];
        if (p->kind != K_VAR) continue;
        l->tline = p->line, l->tcol = p->col;
        for (unsigned j = 0; j < op->np; j++)
            if (strcmp(op->p[j].name, sizes[i]) == 0) p->size_is = (int)j;
        if (p->size_is < 0) return err(l, "size_is(%s): no such parameter", sizes[i]);
        struct idl_param *s = &op->p[p->size_is];
        if (s->kind != K_INT || s->dir != p->dir || s->is_size)
            return err(l,
                       "size_is(%s): must name an integer parameter of the same direction, "
                       "used by no other array",
                       sizes[i]);
        s->is_size = true;
    }
    return true;
}

static bool parse_op(struct lex *l, struct idl_iface *it, unsigned *auto_op)
{
    if (it->nops >= IDL_MAX_OPS) return err(l, "more than %d operations", IDL_MAX_OPS);
    struct idl_op *op = &it->op[it->nops];
    memset(op, 0, sizeof(*op));
    bool explicit_op = false;
    uint64_t opcode = 0;
    if (is(l, "[")) {
        if (!next(l)) return false;
        for (;;) {
            if (is(l, "oneway")) {
                op->oneway = true;
                if (!next(l)) return false;
            } else if (is(l, "opcode")) {
                if (!next(l) || !want(l, "(") || !want_int(l, "an opcode", &opcode) ||
                    !want(l, ")"))
                    return false;
                explicit_op = true;
            } else {
                return err(l, "expected an operation attribute (oneway, opcode(N)), found '%s'",
                           l->text);
            }
            if (is(l, "]")) break;
            if (!want(l, ",")) return false;
        }
        if (!next(l)) return false;
    }
    op->line = l->tline, op->col = l->tcol;
    if (is(l, "void")) {
        if (!op->oneway) return err(l, "only a [oneway] operation returns void; use int");
    } else if (!is(l, "int")) {
        return err(l, "expected the result type 'int' (a status) or 'void' ([oneway]), found '%s'",
                   l->text);
    } else if (op->oneway) {
        return err(l, "a [oneway] operation has no reply: its result type is void");
    }
    if (!next(l)) return false;
    unsigned nline = l->tline, ncol = l->tcol;
    if (!want_ident(l, "an operation name", op->name)) return false;
    for (unsigned i = 0; i < it->nops; i++)
        if (strcmp(it->op[i].name, op->name) == 0) {
            l->tline = nline, l->tcol = ncol;
            return err(l, "operation '%s' declared twice", op->name);
        }
    op->opcode = explicit_op ? (unsigned)opcode : *auto_op;
    op->oplabel = it->oplabel;
    if (explicit_op && opcode > 0xffff) return err(l, "opcode above 0xffff");
    if (it->oplabel && (op->opcode > 0xff || it->proto + op->opcode >= 0xfff0)) {
        l->tline = nline, l->tcol = ncol;
        return err(l, "with oplabel an opcode is 0..255 and proto + opcode below 0xfff0");
    }
    for (unsigned i = 0; i < it->nops; i++)
        if (it->op[i].opcode == op->opcode) {
            l->tline = nline, l->tcol = ncol;
            return err(l, "opcode %u of '%s' already used by '%s'", op->opcode, op->name,
                       it->op[i].name);
        }
    *auto_op = op->opcode + 1;
    if (!want(l, "(")) return false;
    char sizes[IDL_MAX_PARAMS][IDL_NAME_MAX];
    if (is(l, "void")) {
        if (!next(l)) return false;
    } else if (!is(l, ")")) {
        for (;;) {
            if (!parse_param(l, op, sizes)) return false;
            if (is(l, ")")) break;
            if (!want(l, ",")) return false;
        }
    }
    if (!next(l)) return false;
    unsigned eline = l->tline, ecol = l->tcol; /* the token after ')', for want(";") */
    if (!link_sizes(l, op, sizes)) return false;
    l->tline = op->line, l->tcol = op->col;
    for (unsigned i = 0; i < op->np; i++)
        if (op->oneway && idl_is_out(&op->p[i]))
            return err(l, "[oneway] operation '%s' has no reply for out parameter '%s'", op->name,
                       op->p[i].name);
    if (idl_request_words(op) > IDL_MRS)
        return err(l, "the request of '%s' needs up to %u message registers; at most %d", op->name,
                   idl_request_words(op), IDL_MRS);
    if (idl_reply_words(op) > IDL_MRS)
        return err(l, "the reply of '%s' needs up to %u message registers; at most %d", op->name,
                   idl_reply_words(op), IDL_MRS);
    l->tline = eline, l->tcol = ecol;
    it->nops++;
    return want(l, ";");
}

/* FNV-1a of the name, folded into 0x1000..0x7fff: the automatic protocol label. */
static uint64_t auto_proto(const char *name)
{
    uint32_t h = 2166136261u;
    for (; *name; name++)
        h = (h ^ (uint8_t)*name) * 16777619u;
    return 0x1000 + h % 0x7000;
}

static bool parse_iface(struct lex *l, struct idl_file *f)
{
    if (f->nifaces >= IDL_MAX_IFACES) return err(l, "more than %d interfaces", IDL_MAX_IFACES);
    struct idl_iface *it = &f->iface[f->nifaces];
    memset(it, 0, sizeof(*it));
    if (!want(l, "interface")) return false;
    unsigned nline = l->tline, ncol = l->tcol;
    if (!want_ident(l, "an interface name", it->name)) return false;
    for (unsigned i = 0; i < f->nifaces; i++)
        if (strcmp(f->iface[i].name, it->name) == 0) {
            l->tline = nline, l->tcol = ncol;
            return err(l, "interface '%s' declared twice", it->name);
        }
    it->proto = auto_proto(it->name);
    bool has_reply = false;
    for (;;) {
        if (is(l, "proto")) {
            if (!next(l) || !want_int(l, "a protocol label", &it->proto)) return false;
        } else if (is(l, "reply")) {
            if (!next(l) || !want_int(l, "a reply label", &it->reply)) return false;
            has_reply = true;
        } else if (is(l, "oplabel")) {
            it->oplabel = true;
            if (!next(l)) return false;
        } else {
            break;
        }
    }
    if (!has_reply) it->reply = it->proto;
    if (it->proto == 0 || it->proto >= 0xfff0)
        return err(l, "protocol label must be 1..0xffef (0xfff0 and up are the kernel's)");
    if (it->reply >= 0xfff0) return err(l, "reply label must be below 0xfff0");
    if (!want(l, "{")) return false;
    unsigned auto_op = 1;
    while (!is(l, "}")) {
        if (l->t == T_EOF) return err(l, "expected an operation or '}', found end of file");
        if (!parse_op(l, it, &auto_op)) return false;
    }
    if (!next(l)) return false;
    if (is(l, ";") && !next(l)) return false;
    if (it->nops == 0) {
        l->tline = nline, l->tcol = ncol;
        return err(l, "interface '%s' has no operations", it->name);
    }
    f->nifaces++;
    return true;
}

bool idl_parse(const char *path, const char *text, struct idl_file *f)
{
    struct lex l = {.path = path, .s = text, .line = 1, .col = 1};
    f->path = path;
    f->nifaces = 0;
    f->iface = calloc(IDL_MAX_IFACES, sizeof(*f->iface));
    if (!f->iface) return err(&l, "out of memory");
    if (!next(&l)) return false;
    while (l.t != T_EOF)
        if (!parse_iface(&l, f)) return false;
    if (f->nifaces == 0) return err(&l, "expected 'interface NAME { ... }', found end of file");
    return true;
}

bool idl_is_in(const struct idl_param *p)
{
    return p->dir & DIR_IN;
}

bool idl_is_out(const struct idl_param *p)
{
    return p->dir & DIR_OUT;
}

unsigned idl_payload_words(const struct idl_param *p)
{
    return (p->count * p->type->size + 7) / 8;
}

static unsigned param_words(const struct idl_param *p)
{
    switch (p->kind) {
    case K_INT:
        return 1;
    case K_FPAGE:
    case K_CAP:
        return 2;
    default:
        return 1 + idl_payload_words(p);
    }
}

unsigned idl_request_words(const struct idl_op *op)
{
    unsigned n = op->oplabel ? 0 : 1; /* the opcode word */
    for (unsigned i = 0; i < op->np; i++)
        if (idl_is_in(&op->p[i])) n += param_words(&op->p[i]);
    return n;
}

unsigned idl_reply_words(const struct idl_op *op)
{
    unsigned n = 1;
    for (unsigned i = 0; i < op->np; i++)
        if (idl_is_out(&op->p[i])) n += param_words(&op->p[i]);
    return n;
}
