/* SPDX-License-Identifier: MIT */
/* The scenario-language tokenizer: identifiers, integers, strings, punctuation, newlines. */
#ifndef SCN_LEX_H
#define SCN_LEX_H

#include <stddef.h>
#include <stdint.h>

#define SCN_TOKEN_MAX 128 /* longest identifier or string body, in bytes */

enum scn_tok {
    TOK_EOF,
    TOK_NL,
    TOK_IDENT,
    TOK_INT,
    TOK_STRING,
    TOK_ARROW,  /* -> */
    TOK_LBRACE, /* { */
    TOK_RBRACE, /* } */
    TOK_COLON,  /* : */
    TOK_QMARK,  /* ? */
    TOK_BANG,   /* ! */
    TOK_EQUALS, /* = */
    TOK_STAR,   /* * */
    TOK_ERROR,  /* lexical error: text holds the message */
};

struct scn_token {
    enum scn_tok kind;
    uint32_t line, col;
    int64_t value;                /* TOK_INT */
    char text[SCN_TOKEN_MAX + 1]; /* TOK_IDENT, TOK_STRING (unescaped), TOK_ERROR (message) */
};

struct scn_lexer {
    const char *src;
    size_t len, pos;
    uint32_t line, col;
};

void scn_lex_init(struct scn_lexer *lx, const char *src, size_t len);
/* Reads the next token; never reads past len; a lexical error yields TOK_ERROR. */
void scn_lex_next(struct scn_lexer *lx, struct scn_token *t);
const char *scn_tok_name(enum scn_tok k);

#endif
