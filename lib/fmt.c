/* SPDX-License-Identifier: MIT */
/* fmt_vsnprintf: the one formatter behind kprintf and the user runtime's printf. */
#include "fmt.h"

struct out {
    char *buf;
    size_t size;
    size_t len; /* characters produced so far, including those that did not fit */
};

static void out_char(struct out *o, char c)
{
    if (o->len + 1 < o->size) o->buf[o->len] = c;
    o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        out_char(o, c);
}

/* Emits an unsigned number in the given base with padding; digits are built backwards. */
static void out_number(struct out *o, unsigned long long v, unsigned base, bool upper, bool neg,
                       int width, bool zero, bool left)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    int len = n + (neg ? 1 : 0);
    if (!left && !zero) out_pad(o, ' ', width - len);
    if (neg) out_char(o, '-');
    if (!left && zero) out_pad(o, '0', width - len);
    while (n > 0)
        out_char(o, tmp[--n]);
    if (left) out_pad(o, ' ', width - len);
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%') {
            out_char(&o, *p);
            continue;
        }
        p++;
        bool left = false, zero = false;
        for (;; p++) {
            if (*p == '-')
                left = true;
            else if (*p == '0')
                zero = true;
            else
                break;
        }
        int width = 0;
        if (*p == '*') {
            width = va_arg(ap, int);
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                width = width * 10 + (*p++ - '0');
        }
        int prec = -1;
        if (*p == '.') {
            p++;
            prec = 0;
            if (*p == '*') {
                prec = va_arg(ap, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    prec = prec * 10 + (*p++ - '0');
            }
        }
        int lng = 0;
        while (*p == 'l') {
            lng++;
            p++;
        }
        if (*p == 'z') {
            lng = 2;
            p++;
        }
        size_t start_len = o.len;
        switch (*p) {
        case 'd':
        case 'i': {
            long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
            unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            out_number(&o, mag, 10, false, v < 0, width, zero, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
            out_number(&o, v, *p == 'u' ? 10 : 16, *p == 'X', false, width, zero, left);
            break;
        }
        case 'p': {
            /* "0x" + digits, padded as one field (the width counts the prefix too). */
            unsigned long long v = (unsigned long long)(uintptr_t)va_arg(ap, void *);
            char digits[24];
            int nd = 0;
            do {
                digits[nd++] = "0123456789abcdef"[v % 16];
                v /= 16;
            } while (v != 0);
            if (!left) out_pad(&o, ' ', width - nd - 2);
            out_char(&o, '0');
            out_char(&o, 'x');
            while (nd > 0)
                out_char(&o, digits[--nd]);
            if (left) out_pad(&o, ' ', width - (int)(o.len - start_len));
            break;
        }
        case 'c':
            out_pad(&o, ' ', left ? 0 : width - 1);
            out_char(&o, (char)va_arg(ap, int));
            out_pad(&o, ' ', left ? width - 1 : 0);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL) s = "(null)";
            int n = 0;
            while ((prec < 0 || n < prec) && s[n] != '\0')
                n++; /* never read past prec */
            if (!left) out_pad(&o, ' ', width - n);
            for (int i = 0; i < n; i++)
                out_char(&o, s[i]);
            if (left) out_pad(&o, ' ', width - n);
            break;
        }
        case '%':
            out_char(&o, '%');
            break;
        case '\0':
            p--; /* a lone '%' at the end: stop cleanly */
            break;
        default: /* unknown conversion: print it verbatim so the mistake is visible */
            out_char(&o, '%');
            out_char(&o, *p);
            break;
        }
    }
    if (size > 0) buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
