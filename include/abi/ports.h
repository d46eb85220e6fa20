/* SPDX-License-Identifier: MIT */
/*
 * Backend `ports`, its user ABI: the dispositions a right travels with in a map item, and
 * endpoint_bind's port attributes (policies/ports/ implements them). No kernel types.
 *
 * A right in a message is a map or grant item of kind FPAGE_KIND_BACKEND whose flexpage is
 * PORTS_RIGHT(name, disposition) = FPAGE(name << 12, 0, PORTS_DISP_EXPLICIT | disposition):
 * `name` the sender's name of the right, the disposition one of PORTS_DISP_*. Without
 * PORTS_DISP_EXPLICIT the flexpage rights are the generic ones every backend reads (R = send):
 * a map copies a send right (COPY_SEND, or MAKE_SEND from a receive right alone), a grant
 * moves it (MOVE_SEND), so the runtime's name passing works unchanged. The receiver finds
 * PORTS_RIGHT(its name, what it got: PORTS_DISP_MOVE_SEND, _MOVE_SEND_ONCE or _MOVE_RECEIVE);
 * name 0: the port died on the way (a dead name, Mach's MACH_PORT_DEAD).
 */
#ifndef ABI_PORTS_H
#define ABI_PORTS_H

#include "ipc.h" /* FPAGE */

#define PORTS_DISP_MOVE_SEND 1u      /* MACH_MSG_TYPE_MOVE_SEND: one user reference leaves */
#define PORTS_DISP_COPY_SEND 2u      /* MACH_MSG_TYPE_COPY_SEND: a send right held is copied */
#define PORTS_DISP_MAKE_SEND 3u      /* MACH_MSG_TYPE_MAKE_SEND: from the receive right */
#define PORTS_DISP_MAKE_SEND_ONCE 4u /* MACH_MSG_TYPE_MAKE_SEND_ONCE: from the receive right */
#define PORTS_DISP_MOVE_RECEIVE 5u   /* MACH_MSG_TYPE_MOVE_RECEIVE: the port and its queue move */
#define PORTS_DISP_MOVE_SEND_ONCE 6u /* MACH_MSG_TYPE_MOVE_SEND_ONCE */

#define PORTS_DISP_EXPLICIT 8u /* the flexpage's rights field carries a disposition */
#define PORTS_RIGHT(name, disp) FPAGE((word_t)(name) << 12, 0, PORTS_DISP_EXPLICIT | (disp))
#define PORTS_RIGHT_NAME(f) (FPAGE_BASE(f) >> 12)
#define PORTS_RIGHT_DISP(f) (FPAGE_RIGHTS(f) & 7u)

/*
 * endpoint_bind(port, arg): arg below 2^32 names a thread that becomes the port's receiver
 * (the receive right is needed); otherwise an attribute of the port:
 *   PORTS_BIND_QLIMIT(n)      the queue limit (1..MSGQ_LIMIT_MAX; receive right needed)
 *   PORTS_BIND_NOTIFY(nname)  the notification named `nname` is signalled: holding the
 *                             receive right, when the last send right dies (no-senders);
 *                             holding a send or send-once right, when the port dies
 *                             (dead-name). The bit signalled is 1 << (port name % 64).
 *   PORTS_BIND_SET(sname)     the port (receive right needed) joins the port set `sname`,
 *                             leaving any other (mach_port_move_member); PORTS_BIND_SET(0)
 *                             takes it out of its set.
 *
 * Port sets (Mach's MACH_PORT_RIGHT_PORT_SET): endpoint_create(thread, PORTS_NEW_SET) makes
 * one, named like a port in the creator's table, with `thread` (0: none yet) as the thread
 * that receives on it: what arrives at any member port goes to it, labelled with that
 * member's name, one message per receive, the first member holding one first.
 * endpoint_bind(set, thread) changes that thread for every member; a member's own receiver
 * cannot be bound (E_BUSY) while it is in the set. A member leaves its set when its receive
 * right moves to another task or its port dies; name_drop of the set's name destroys the set
 * (its members stay, with their messages). A set has no send rights: it cannot be given,
 * sent to, or carried in a message (E_WRONGTYPE, E_PERM for a send).
 */
#define PORTS_NEW_SET (1ul << 62) /* endpoint_create's label: a port set, not a port */
#define PORTS_BIND_QLIMIT(n) ((1ul << 32) | (unsigned long)(n))
#define PORTS_BIND_NOTIFY(nname) ((2ul << 32) | (unsigned long)(nname))
#define PORTS_BIND_SET(sname) ((3ul << 32) | (unsigned long)(sname))
#define PORTS_BIND_KIND(a) ((unsigned long)(a) >> 32)
#define PORTS_BIND_ARG(a) ((unsigned long)(a)&0xffffffffUL)
#define PORTS_NOTIFY_BIT(name) (1ul << ((name)&63))

#endif
