/* SPDX-License-Identifier: MIT */
/* Exercises every IPC operation and error against ipcserver, whose thread id is main's arg. */
#include "ulib.h"

enum { OP_ECHO = 1, OP_NO_REPLY = 2, OP_SLOW = 3, OP_DIE = 4, OP_STRING = 5, OP_STREAM = 6 };

static long send_string(word_t server, word_t addr, word_t len)
{
    struct utcb *u = utcb();
    u->mr[0] = ITEM_STRING_HDR(len);
    u->mr[1] = addr;
    return ipc_call(server, MSGTAG(OP_STRING, 0, 1, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0);
}

static int failures;

static void expect(const char *what, long got, long want)
{
    if (got == want) {
        printf("ipcclient: %s -> %s (as expected)\n", what, status_text(got));
    } else {
        printf("ipcclient: FAIL %s -> %s, wanted %s\n", what, status_text(got), status_text(want));
        failures++;
    }
}

static void check(const char *what, bool ok)
{
    printf("ipcclient: %s: %s\n", what, ok ? "ok" : "FAIL");
    if (!ok) failures++;
}

static void echo(word_t server, unsigned words)
{
    struct utcb *u = utcb();
    for (unsigned i = 0; i < words; i++)
        u->mr[i] = 1000 + i;
    word_t tag, label;
    long r =
        ipc_call(server, MSGTAG(OP_ECHO, words, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, &label);
    bool ok = r == 0 && MSGTAG_WORDS(tag) == words && label == server;
    for (unsigned i = 0; ok && i < words; i++)
        ok = u->mr[i] == 1001 + i;
    char what[64];
    fmt_snprintf(what, sizeof(what), "call echo with %u words, reply labelled by the server",
                 words);
    check(what, ok);
}

/*
 * A call with the registers the IPC ABI preserves (rbx, rbp, r12-r15) set to known values:
 * they must come back unchanged, and the scratch ones (rdx, r8-r10) must hold nothing of the
 * kernel's (abi/syscall.h), on the fast path and the general path alike. The red zone below
 * rsp is stepped over before anything is pushed.
 */
static void call_keeps_registers(word_t server)
{
    word_t out[11];
    word_t *o = out;
    long ax = SYS_ipc;
    word_t di = IPC_CALL, si = server, dx = MSGTAG(OP_ECHO, 2, 0, 0);
    register word_t r10 __asm__("r10") = IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_NEVER);
    utcb()->mr[0] = 5;
    utcb()->mr[1] = 6;
    __asm__ volatile("sub $128, %%rsp\n\t"
                     "push %%rbx\n\tpush %%rbp\n\tpush %%r12\n\tpush %%r13\n\tpush %%r14\n\t"
                     "push %%r15\n\tpush %[o]\n\t"
                     "movabs $0x1111111111111111, %%rbx\n\t"
                     "movabs $0x2222222222222222, %%rbp\n\t"
                     "movabs $0x3333333333333333, %%r12\n\t"
                     "movabs $0x4444444444444444, %%r13\n\t"
                     "movabs $0x5555555555555555, %%r14\n\t"
                     "movabs $0x6666666666666666, %%r15\n\t"
                     "syscall\n\t"
                     "pop %%rcx\n\t"
                     "mov %%rax, 0(%%rcx)\n\tmov %%rbx, 8(%%rcx)\n\tmov %%rbp, 16(%%rcx)\n\t"
                     "mov %%r12, 24(%%rcx)\n\tmov %%r13, 32(%%rcx)\n\tmov %%r14, 40(%%rcx)\n\t"
                     "mov %%r15, 48(%%rcx)\n\tmov %%rdx, 56(%%rcx)\n\tmov %%r8, 64(%%rcx)\n\t"
                     "mov %%r9, 72(%%rcx)\n\tmov %%r10, 80(%%rcx)\n\t"
                     "pop %%r15\n\tpop %%r14\n\tpop %%r13\n\tpop %%r12\n\tpop %%rbp\n\t"
                     "pop %%rbx\n\tadd $128, %%rsp"
                     : "+a"(ax), "+D"(di), "+S"(si), "+d"(dx), "+r"(r10)
                     : [o] "r"(o)
                     : "rcx", "r8", "r9", "r11", "memory");
    bool ok = out[0] == 0 && di == server && MSGTAG_WORDS(si) == 2 && utcb()->mr[0] == 6 &&
              utcb()->mr[1] == 7;
    for (int i = 1; i <= 6; i++)
        ok = ok && out[i] == 0x1111111111111111UL * (word_t)i;
    for (int i = 7; i <= 10; i++)
        ok = ok && out[i] < 0xffff800000000000UL; /* not a kernel address */
    check("a call keeps rbx, rbp and r12-r15, and leaves no kernel value in rdx, r8-r10", ok);
}

int main(word_t server)
{
    word_t me = self_thread(), tag, label;
    printf("ipcclient: server is thread %lu, I am thread %lu\n", server, me);
    echo(server, 0);
    call_keeps_registers(server);
    echo(server, 1);
    echo(server, 8);
    echo(server, 64);
    expect("call with 65 words", ipc_call(server, MSGTAG(OP_ECHO, 65, 0, 0), 0, 0, 0, 0), -E_INVAL);
    expect("unknown operation 9", ipc(9, server, 0, 0, 0, 0), -E_INVAL);
    expect("send to a thread id that does not exist", ipc_send(0x3ff7, 0, TIMEOUT_NEVER),
           -E_NOPARTNER);
    expect("send to the nil thread", ipc_send(IPC_NIL, 0, TIMEOUT_NEVER), -E_NOPARTNER);
    expect("open wait with timeout 0 and no sender", ipc_wait(TIMEOUT_ZERO, &tag, &label),
           -E_RECV_TIMEOUT);
    expect("send with timeout 0 to a thread that is not receiving", ipc_send(me, 0, TIMEOUT_ZERO),
           -E_SEND_TIMEOUT);
    unsigned long t0 = clock_us();
    expect("send with a 5 ms timeout to a thread that is not receiving", ipc_send(me, 0, 5000),
           -E_SEND_TIMEOUT);
    unsigned long t1 = clock_us();
    check("the send timeout took at least 5 ms", t1 - t0 >= 5000 && t1 - t0 < 50000);
    expect("sleep 10 ms (receive from nil)", sleep_us(10000), -E_RECV_TIMEOUT);
    unsigned long t2 = clock_us();
    check("the sleep took at least 10 ms", t2 - t1 >= 10000 && t2 - t1 < 50000);
    expect("closed wait for the server, 3 ms", ipc_recv(server, 3000, &tag, &label),
           -E_RECV_TIMEOUT);
    expect("closed wait for a thread that does not exist", ipc_recv(0x3ff7, 3000, &tag, &label),
           -E_NOPARTNER);
    expect("reply without having received a call", ipc_reply(0), -E_NOREPLY);
    expect("plain send to the waiting server", ipc_send(server, MSGTAG(7, 2, 0, 0), TIMEOUT_NEVER),
           0);
    expect("call whose receiver starts a new wait instead of replying (5 ms)",
           ipc_call(server, MSGTAG(OP_NO_REPLY, 0, 0, 0), TIMEOUT_NEVER, 5000, 0, 0),
           -E_RECV_TIMEOUT);
    expect("call with a 5 ms receive timeout to a slow server",
           ipc_call(server, MSGTAG(OP_SLOW, 0, 0, 0), TIMEOUT_NEVER, 5000, 0, 0), -E_RECV_TIMEOUT);
    sleep_us(30000);
    echo(server, 4);
    static const char text[] = "hello, string item";
    static char big[100];
    memset(big, 'x', sizeof(big));
    long r = send_string(server, (word_t)text, sizeof(text) - 1);
    check("string item copied into the server's buffer, length echoed",
          r == 0 && utcb()->mr[0] == sizeof(text) - 1);
    expect("string of 100 bytes into a 64-byte buffer",
           send_string(server, (word_t)big, sizeof(big)), -E_MSGCUT);
    expect("string from an unmapped address", send_string(server, 0xdead0000, 16), -E_FAULT);
    expect("string longer than IPC_STRING_MAX",
           send_string(server, (word_t)big, IPC_STRING_MAX + 1), -E_INVAL);
    expect("two typed items and 63 words (more than 64 registers)",
           ipc_call(server, MSGTAG(OP_ECHO, 63, 2, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0),
           -E_INVAL);
    echo(server, 2);
    {
        struct ipc_writer w;
        struct ipc_reader rd;
        word_t sum = 0;
        ipc_writer_init(&w, utcb(), OP_STREAM);
        ipc_put_word(&w, 100);
        ipc_put_bytes(&w, "marshalled", 10);
        ipc_put_string(&w, text, sizeof(text) - 1);
        long sr = ipc_stream_call(&w, server, &rd, TIMEOUT_NEVER, TIMEOUT_NEVER);
        ipc_get_word(&rd, &sum);
        check("a call marshalled with IPC streams, answer 100 + 10 + 18",
              sr == 0 && sum == 128 && ipc_reader_done(&rd));
    }
    expect("call to a server that exits without replying",
           ipc_call(server, MSGTAG(OP_DIE, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0),
           -E_CANCELLED);
    expect("call to the dead server", ipc_call(server, 0, TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0),
           -E_NOPARTNER);
    printf("ipcclient: %d unexpected results\n", failures);
    return failures;
}
