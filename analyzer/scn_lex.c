/* SPDX-License-Identifier: MIT */
/* The scenario-language tokenizer: identifiers, integers, strings, punctuation, newlines. */
#include "scn_lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void scn_lex_init(struct scn_lexer *lx, const char *src, size_t len)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
    lx->line = 1;
    lx->col = 1;
}

const char *scn_tok_name(enum scn_tok k)
{
    switch (k) {
    case TOK_EOF:
        return "end of file";
    case TOK_NL:
        return "end of line";
    case TOK_IDENT:
        return "identifier";
    case TOK_INT:
        return "integer";
    case TOK_STRING:
        return "string";
    case TOK_ARROW:
        return "'->'";
    case TOK_LBRACE:
        return "'{'";
    case TOK_RBRACE:
        return "'}'";
    case TOK_COLON:
        return "':'";
    case TOK_QMARK:
        return "'?'";
    case TOK_BANG:
        return "'!'";
    case TOK_EQUALS:
        return "'='";
    case TOK_STAR:
        return "'*'";
    case TOK_ERROR:
        return "invalid token";
    }
    return "token";
}

static int peek(const struct scn_lexer *lx, size_t ahead)
{
    return lx->pos + ahead < lx->len ? (unsigned char)lx->src[lx->pos + ahead] : -1;
}

static void advance(struct scn_lexer *lx)
{
    if (lx->pos >= lx->len) return;
    if (lx->src[lx->pos] == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->pos++;
}

static void lex_error(struct scn_token *t, const char *fmt, ...)
{
    t->kind = TOK_ERROR;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->text, sizeof(t->text), fmt, ap);
    va_end(ap);
}

static int is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}
/* '/' continues an identifier so that the verdict "n/a" is one word. */
static int is_ident_char(int c)
{
    return is_ident_start(c) || is_digit(c) || c == '/';
}

static int hex_val(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void lex_int(struct scn_lexer *lx, struct scn_token *t)
{
    const int64_t limit = (int64_t)1 << 62;
    int64_t v = 0;
    int base = 10;
    if (peek(lx, 0) == '0' && (peek(lx, 1) == 'x' || peek(lx, 1) == 'X')) {
        base = 16;
        advance(lx);
        advance(lx);
        if (hex_val(peek(lx, 0)) < 0) {
            lex_error(t, "expected hexadecimal digits after '0x'");
            return;
        }
    }
    for (;;) {
        int c = peek(lx, 0);
        int d = base == 16 ? hex_val(c) : (is_digit(c) ? c - '0' : -1);
        if (d < 0) break;
        if (v > (limit - 1 - d) / base) { /* the result must stay below 2^62 */
            lex_error(t, "integer too large (it must be below 2^62)");
            return;
        }
        v = v * base + d;
        advance(lx);
    }
    if (is_ident_char(peek(lx, 0))) {
        lex_error(t, "unexpected character '%c' in a number", peek(lx, 0));
        return;
    }
    t->kind = TOK_INT;
    t->value = v;
}

static void lex_string(struct scn_lexer *lx, struct scn_token *t)
{
    size_t n = 0;
    advance(lx); /* opening quote */
    for (;;) {
        int c = peek(lx, 0);
        if (c < 0 || c == '\n') {
            lex_error(t, "unterminated string (expected '\"' before the end of the line)");
            return;
        }
        if (c == '"') {
            advance(lx);
            break;
        }
        if (c == '\\') {
            int e = peek(lx, 1);
            if (e != '"' && e != '\\') {
                lex_error(t, "unknown escape in string (only \\\" and \\\\)");
                return;
            }
            c = e;
            advance(lx);
        } else if (c < 0x20 || c == 0x7f) {
            lex_error(t, "control character 0x%02x in string", c);
            return;
        }
        if (n == SCN_TOKEN_MAX) {
            lex_error(t, "string longer than %d bytes", SCN_TOKEN_MAX);
            return;
        }
        t->text[n++] = (char)c;
        advance(lx);
    }
    t->text[n] = '\0';
    t->kind = TOK_STRING;
}

void scn_lex_next(struct scn_lexer *lx, struct scn_token *t)
{
    memset(t, 0, offsetof(struct scn_token, text) + 1);
    for (;;) {
        int c = peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\r') {
            advance(lx);
        } else if (c == '#') {
            while (peek(lx, 0) >= 0 && peek(lx, 0) != '\n')
                advance(lx);
        } else {
            break;
        }
    }
    t->line = lx->line;
    t->col = lx->col;
    int c = peek(lx, 0);
    if (c < 0) {
        t->kind = TOK_EOF;
        return;
    }
    if (c == '\n') {
        advance(lx);
        t->kind = TOK_NL;
        return;
    }
    if (is_ident_start(c)) {
        size_t n = 0;
        while (is_ident_char(peek(lx, 0))) {
            if (n == SCN_TOKEN_MAX) {
                lex_error(t, "identifier longer than %d bytes", SCN_TOKEN_MAX);
                return;
            }
            t->text[n++] = (char)peek(lx, 0);
            advance(lx);
        }
        t->text[n] = '\0';
        t->kind = TOK_IDENT;
        return;
    }
    if (is_digit(c)) {
        lex_int(lx, t);
        return;
    }
    if (c == '"') {
        lex_string(lx, t);
        return;
    }
    if (c == '-' && peek(lx, 1) == '>') {
        advance(lx);
        advance(lx);
        t->kind = TOK_ARROW;
        return;
    }
    static const struct {
        char c;
        enum scn_tok k;
    } punct[] = {{'{', TOK_LBRACE}, {'}', TOK_RBRACE}, {':', TOK_COLON}, {'?', TOK_QMARK},
                 {'!', TOK_BANG},   {'=', TOK_EQUALS}, {'*', TOK_STAR}};
    for (size_t i = 0; i < sizeof(punct) / sizeof(punct[0]); i++) {
        if (c == punct[i].c) {
            advance(lx);
            t->kind = punct[i].k;
            return;
        }
    }
    if (c >= 0x21 && c < 0x7f)
        lex_error(t, "unexpected character '%c'", c);
    else
        lex_error(t, "unexpected byte 0x%02x", c);
    advance(lx);
}
