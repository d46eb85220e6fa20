// SPDX-License-Identifier: MIT
// Linux IPC round trips, measured the way the microkernel's are: the guest TSC under
// QEMU -icount shift=0 counts executed instructions (user and kernel). Runs as /init of a
// tiny initramfs, prints "bench,linux_<case>,<instructions per round trip>", powers off.
#define _GNU_SOURCE
#include <linux/futex.h>
#include <linux/reboot.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define WARMUP 100
#define BATCHES 20
#define PER_BATCH 50

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

// One round trip over a pair of descriptors: a byte there, a byte back.
static void fd_client(int out, int in, int n)
{
    char c = 'x';
    for (int i = 0; i < n; i++) {
        if (write(out, &c, 1) != 1 || read(in, &c, 1) != 1) _exit(1);
    }
}

static void fd_server(int in, int out)
{
    char c;
    while (read(in, &c, 1) == 1)
        if (write(out, &c, 1) != 1) break;
    _exit(0);
}

static uint64_t best_of(void (*trip)(void *, int), void *ctx)
{
    trip(ctx, WARMUP);
    uint64_t best = ~0ull;
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = rdtsc();
        trip(ctx, PER_BATCH);
        uint64_t d = rdtsc() - t0;
        if (d < best) best = d;
    }
    return best / PER_BATCH;
}

struct fds {
    int out, in;
};
static void fd_trip(void *ctx, int n)
{
    struct fds *f = ctx;
    fd_client(f->out, f->in, n);
}

static void bench_pipe(void)
{
    int a[2], b[2];
    if (pipe(a) || pipe(b)) return;
    pid_t pid = fork();
    if (pid == 0) {
        close(a[1]);
        close(b[0]);
        fd_server(a[0], b[1]);
    }
    close(a[0]);
    close(b[1]);
    struct fds f = {a[1], b[0]};
    printf("bench,linux_pipe,%llu\n", (unsigned long long)best_of(fd_trip, &f));
    close(a[1]);
    waitpid(pid, NULL, 0);
}

static void bench_socket(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) return;
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        fd_server(sv[1], sv[1]);
    }
    close(sv[1]);
    struct fds f = {sv[0], sv[0]};
    printf("bench,linux_unix_socket,%llu\n", (unsigned long long)best_of(fd_trip, &f));
    close(sv[0]);
    waitpid(pid, NULL, 0);
}

// Futex ping-pong in shared memory: each side waits until the word is its turn.
static volatile int *turn;
static long futex(volatile int *uaddr, int op, int val)
{
    return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}
static void futex_pass(int mine, int theirs)
{
    *turn = theirs;
    futex(turn, FUTEX_WAKE, 1);
    while (*turn != mine)
        futex(turn, FUTEX_WAIT, theirs);
}
static void futex_trip(void *ctx, int n)
{
    (void)ctx;
    for (int i = 0; i < n; i++)
        futex_pass(0, 1);
}

static void bench_futex(void)
{
    turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (turn == MAP_FAILED) return;
    *turn = 0;
    pid_t pid = fork();
    if (pid == 0) {
        for (;;) {
            while (*turn != 1)
                futex(turn, FUTEX_WAIT, 0);
            if (turn[1]) _exit(0);
            *turn = 0;
            futex(turn, FUTEX_WAKE, 1);
        }
    }
    printf("bench,linux_futex,%llu\n", (unsigned long long)best_of(futex_trip, NULL));
    turn[1] = 1;
    *turn = 1;
    futex(turn, FUTEX_WAKE, 1);
    waitpid(pid, NULL, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    bench_pipe();
    bench_socket();
    bench_futex();
    printf("bench,linux_done,0\n");
    sync();
    reboot(LINUX_REBOOT_CMD_POWER_OFF);
    return 0;
}
