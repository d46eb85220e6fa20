/* SPDX-License-Identifier: MIT */
/*
 * The ports boot test: a port's queue (default limit 5, each send timeout, a parked sender let
 * in by a receive), the label a receiver sees (the port's name), a send-once right made and
 * used up, the no-senders and dead-name notifications, a dead name refusing sends, a receive
 * right refused in its own port's queue (E_CIRCULAR, directly and through another port), a
 * port set received on (members' messages, a member dying), and the kernel's message pool
 * and this task's ports back to where they started.
 */
#include "ulib.h"
#include "abi/ports.h" /* dispositions, endpoint_bind attributes */

#define QLIMIT 5 /* MACH_PORT_QLIMIT_DEFAULT */

static unsigned char stack[8192] __attribute__((aligned(16)));
static volatile word_t port;
static volatile int go, done;

/* Receives nothing until told, then the six messages meant for it. */
static long worker(word_t arg)
{
    (void)arg;
    while (!go)
        sleep_us(1000);
    for (int i = 0; i <= QLIMIT; i++) {
        word_t tag, label;
        long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
        printf("portstest: worker: message %d (word %lu) -> %s, label %s\n", i, utcb()->mr[0],
               status_text(r), label == port ? "the port's name" : "SOMETHING ELSE");
    }
    done = 1;
    return 0;
}

static long send_word(word_t dest, word_t w, uint32_t timeout)
{
    utcb()->mr[0] = w;
    return ipc_send(dest, MSGTAG(1, 1, 0, 0), timeout);
}

static word_t messages_in_kernel(void)
{
    struct kinfo_pools p;
    return kinfo(KINFO_POOLS, &p) < 0 ? ~0ul : p.messages.used;
}

/* How many more ports this task may create (its port quota; a port is charged to its creator
 * until the object is freed): creates them until refused, then destroys them again. */
static long ports_left(void)
{
    word_t made[64];
    long n = 0, p;
    while (n < 64 && (p = endpoint_create(0, 0)) > 0)
        made[n++] = (word_t)p;
    for (long i = 0; i < n; i++) {
        name_drop(made[i]); /* the send right */
        name_drop(made[i]); /* the receive right: the port dies */
    }
    return n;
}

/* A message carrying the receive right `right` (move-receive) sent to port `dest`. */
static long send_receive_right(word_t dest, word_t right)
{
    utcb()->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    utcb()->mr[1] = PORTS_RIGHT(right, PORTS_DISP_MOVE_RECEIVE);
    return ipc_send(dest, MSGTAG(0, 0, 1, 0), TIMEOUT_ZERO);
}

/*
 * Mach's circularity: a receive right queued inside its own port could never be received.
 * Port a into a's queue is refused; a into b is fine, then b into a (a lies in b) is
 * refused. Dropping b's receive right kills b and, with the message it holds, a.
 */
static void circular(void)
{
    long left = ports_left();
    long a = endpoint_create(0, 0), b = endpoint_create(0, 0);
    printf("portstest: a receive right into its own queue -> %s\n",
           status_text(send_receive_right((word_t)a, (word_t)a)));
    printf("portstest: a's receive right into b's queue -> %s\n",
           status_text(send_receive_right((word_t)b, (word_t)a)));
    printf("portstest: then b's into a's (a lies in b) -> %s\n",
           status_text(send_receive_right((word_t)a, (word_t)b)));
    name_drop((word_t)b); /* b's send right */
    name_drop((word_t)b); /* its receive right: b dies, and a with the message in b's queue */
    printf("portstest: b destroyed: a send to a -> %s\n",
           status_text(send_word((word_t)a, 0, TIMEOUT_ZERO)));
    name_drop((word_t)a); /* the dead name */
    long now = ports_left();
    printf("portstest: ports this task may still create: %s (%ld)\n",
           now == left && left > 0 ? "as at the start" : "LEAK", now);
}

/*
 * Mach's port sets: a set this thread receives on, ports a and b in it; a message queued in
 * each arrives through the set labelled with its own port's name; the set itself takes no
 * sends; a dies and leaves the set, b still arrives through it; the set destroyed, nothing of
 * it remains.
 */
static void port_set(void)
{
    long left = ports_left();
    long set = endpoint_create(self_thread(), PORTS_NEW_SET);
    long a = endpoint_create(0, 0), b = endpoint_create(0, 0);
    long ja = endpoint_bind((word_t)a, PORTS_BIND_SET(set));
    long jb = endpoint_bind((word_t)b, PORTS_BIND_SET(set));
    printf("portstest: a port set; a and b join it -> %s, %s\n", status_text(ja), status_text(jb));
    send_word((word_t)a, 0xa, TIMEOUT_ZERO); /* queued: we are not waiting yet */
    send_word((word_t)b, 0xb, TIMEOUT_ZERO);
    unsigned seen = 0;
    for (int i = 0; i < 2; i++) {
        word_t tag, label;
        long r = ipc_wait(100000, &tag, &label);
        word_t w = utcb()->mr[0];
        seen |= r < 0                            ? 4
                : label == (word_t)a && w == 0xa ? 1
                : label == (word_t)b && w == 0xb ? 2
                                                 : 4;
    }
    printf("portstest: received through the set: %s\n",
           seen == 3 ? "a's and b's message, each labelled with its port" : "WRONG");
    printf("portstest: a send to the set itself -> %s\n",
           status_text(send_word((word_t)set, 0, TIMEOUT_ZERO)));
    name_drop((word_t)a); /* a's send right */
    name_drop((word_t)a); /* its receive right: a dies and leaves the set */
    send_word((word_t)b, 0xb, TIMEOUT_ZERO);
    word_t tag, label;
    long r = ipc_wait(100000, &tag, &label);
    printf("portstest: a destroyed; b's next message through the set -> %s%s\n", status_text(r),
           r == 0 && label == (word_t)b ? ", labelled b" : " WRONG");
    printf("portstest: the set destroyed -> %s\n", status_text(name_drop((word_t)set)));
    name_drop((word_t)b);
    name_drop((word_t)b);
    long now = ports_left();
    printf("portstest: after the port set, ports this task may still create: %s\n",
           now == left && left > 0 ? "as at the start" : "LEAK");
}

/* The bits of the next notification (the main thread is bound to it). */
static word_t next_bits(void)
{
    word_t tag, label;
    long r = ipc_wait(100000, &tag, &label);
    return r == 0 && (MSGTAG_FLAGS(tag) & MSGTAG_F_NOTIFY) ? utcb()->mr[0] : 0;
}

int main(void)
{
    word_t start = messages_in_kernel();
    long w = thread_start(worker, 0, stack, sizeof(stack), PRIO_DEFAULT);
    long p = w < 0 ? w : endpoint_create((word_t)w, 0);
    if (p < 0) return (int)report_error("portstest: set-up", p);
    port = (word_t)p;
    for (word_t i = 0; i < QLIMIT; i++)
        printf("portstest: send %lu while nobody waits -> %s\n", i,
               status_text(send_word(port, i, TIMEOUT_NEVER)));
    printf("portstest: messages in kernel memory: %lu\n", messages_in_kernel() - start);
    printf("portstest: a sixth send, zero timeout -> %s\n",
           status_text(send_word(port, 99, TIMEOUT_ZERO)));
    printf("portstest: a sixth send, 2 ms timeout -> %s\n", status_text(send_word(port, 99, 2000)));
    go = 1;
    long sixth = send_word(port, QLIMIT, TIMEOUT_NEVER);
    while (!done)
        sleep_us(1000);
    printf("portstest: a sixth send, no timeout (parked until the worker received) -> %s\n",
           status_text(sixth));

    long n = notify_create(0x11);
    if (n < 0 || notify_bind((word_t)n) < 0) return (int)report_error("portstest: notify", n);
    /* no-senders: our port q, the send rights under its name dropped one by one */
    long q = endpoint_create(self_thread(), 0);
    long again = q < 0 ? q : name_give(self_task(), (word_t)q, NAME_SEND);
    printf("portstest: a second send right to our port: %s\n",
           again == q ? "same name, two references" : status_text(again));
    printf("portstest: asking for no-senders -> %s\n",
           status_text(endpoint_bind((word_t)q, PORTS_BIND_NOTIFY(n))));
    name_drop((word_t)q);
    printf("portstest: one reference dropped, notification bits 0x%lx\n", next_bits());
    name_drop((word_t)q);
    printf("portstest: the last one dropped: no-senders %s\n",
           next_bits() == PORTS_NOTIFY_BIT(q) ? "arrived" : "MISSING");

    /* a send-once right to port r, made in a message to q (queued: we are not waiting) */
    long r = endpoint_create(self_thread(), 0);
    utcb()->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    utcb()->mr[1] = PORTS_RIGHT(r, PORTS_DISP_MAKE_SEND_ONCE);
    long s = ipc_send(r, MSGTAG(1, 0, 1, 0), TIMEOUT_NEVER);
    word_t tag, label;
    if (s == 0) s = ipc_wait(100000, &tag, &label);
    word_t once = PORTS_RIGHT_NAME(utcb()->mr[1]);
    printf("portstest: a send-once right made and carried -> %s (%s)\n", status_text(s),
           PORTS_RIGHT_DISP(utcb()->mr[1]) == PORTS_DISP_MOVE_SEND_ONCE && once != (word_t)r
               ? "a name of its own"
               : "WRONG");
    printf("portstest: asking for dead-name on it -> %s\n",
           status_text(endpoint_bind(once, PORTS_BIND_NOTIFY(n))));
    name_drop((word_t)r); /* our send right */
    name_drop((word_t)r); /* the receive right: the port dies */
    printf("portstest: port destroyed: dead-name %s\n",
           next_bits() == PORTS_NOTIFY_BIT(once) ? "arrived" : "MISSING");
    printf("portstest: a send through the dead name -> %s\n",
           status_text(send_word(once, 0, TIMEOUT_ZERO)));
    printf("portstest: dropping the dead name -> %s\n", status_text(name_drop(once)));
    printf("portstest: a send through it now -> %s\n",
           status_text(send_word(once, 0, TIMEOUT_ZERO)));
    circular();
    port_set();
    printf("portstest: messages in kernel memory at the end: %lu\n", messages_in_kernel() - start);
    return 0;
}
