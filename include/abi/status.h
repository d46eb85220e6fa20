/* SPDX-License-Identifier: MIT */
/* The one status enum: every system call returns 0/positive on success or -status. */
#ifndef ABI_STATUS_H
#define ABI_STATUS_H

/* X(name, value, text): one list feeds the enum and status_text() in both worlds. */
#define STATUS_LIST(X)                                                                             \
    X(OK, 0, "ok")                                                                                 \
    X(E_INVAL, 1, "invalid argument")                                                              \
    X(E_NOSYS, 2, "no such system call")                                                           \
    X(E_FAULT, 3, "bad user address")                                                              \
    X(E_NOMEM, 4, "out of memory (pool or quota exhausted)")                                       \
    X(E_NOENT, 5, "no such object")                                                                \
    X(E_PERM, 6, "not permitted")                                                                  \
    X(E_BUSY, 7, "busy")                                                                           \
    X(E_RANGE, 8, "value out of range")                                                            \
    X(E_NOEXEC, 9, "not a valid executable")                                                       \
    X(E_CHILD, 10, "not a child of the caller")                                                    \
    X(E_EXISTS, 11, "already exists")                                                              \
    X(E_SEND_TIMEOUT, 12, "send timeout")                                                          \
    X(E_RECV_TIMEOUT, 13, "receive timeout")                                                       \
    X(E_CANCELLED, 14, "IPC cancelled (partner gone)")                                             \
    X(E_NOPARTNER, 15, "no such partner")                                                          \
    X(E_MSGCUT, 16, "message cut (receive buffer too small)")                                      \
    X(E_MAPFAIL, 17, "mapping failed")                                                             \
    X(E_DENIED, 18, "IPC denied by the policy")                                                    \
    X(E_NOREPLY, 19, "no reply capability (already used or expired)")                              \
    X(E_NOCAP, 20, "empty capability slot")                                                        \
    X(E_WRONGTYPE, 21, "object of the wrong type")                                                 \
    X(E_NOTSUP, 22, "not supported by this backend")                                               \
    X(E_QUOTA, 23, "quota exhausted")                                                              \
    X(E_CIRCULAR, 24, "a receive right would be queued inside its own port (unreachable)")

enum status {
#define STATUS_ENUM(name, value, text) name = value,
    STATUS_LIST(STATUS_ENUM)
#undef STATUS_ENUM
        STATUS_COUNT
};

/* Human-readable text for a status (positive or negated); "unknown status" otherwise. */
static inline const char *status_text(long s)
{
    if (s < 0) s = -s;
    switch (s) {
#define STATUS_CASE(name, value, text)                                                             \
    case value:                                                                                    \
        return text;
        STATUS_LIST(STATUS_CASE)
#undef STATUS_CASE
    }
    return "unknown status";
}

/* The status's name as written in the enum ("OK", "E_NOMEM"): what traces record. */
static inline const char *status_name(long s)
{
    if (s < 0) s = -s;
    switch (s) {
#define STATUS_NAME_CASE(name, value, text)                                                        \
    case value:                                                                                    \
        return #name;
        STATUS_LIST(STATUS_NAME_CASE)
#undef STATUS_NAME_CASE
    }
    return "E_UNKNOWN";
}

#endif
