/* SPDX-License-Identifier: MIT */
/*
 * What a fuzzer worker spawns: a child that always ends by itself within a few milliseconds
 * (exits, faults, sleeps, waits or calls briefly, leaves a thread behind), so that orphans of a
 * killed worker never outlive the run. main(arg) picks the behaviour from arg.
 */
#include "ulib.h"

static unsigned char stack[4096] __attribute__((aligned(16)));

static long spin_briefly(word_t arg)
{
    sleep_us((uint32_t)(arg % 3000));
    return 0;
}

int main(word_t arg)
{
    word_t tag, label;
    switch (arg % 7) {
    case 0:
        return (int)(arg >> 8 & 0x7f);
    case 1:
        return *(volatile int *)(arg >> 8 & 0x7fffffffffffUL); /* most likely a fault */
    case 2:
        sleep_us((uint32_t)(arg >> 8) % 5000);
        return 2;
    case 3: /* takes one message (or a fault IPC) and answers it */
        if (ipc_wait((uint32_t)(arg >> 8) % 3000, &tag, &label) == 0) ipc_reply(MSGTAG(0, 0, 0, 0));
        return 3;
    case 4: /* ends the task while another thread sleeps */
        thread_start(spin_briefly, arg >> 8, stack, sizeof(stack), PRIO_DEFAULT);
        return 4;
    case 5:
        ipc_call(arg >> 8 & 0xffff, MSGTAG(1, 2, 0, 0), 1000, 1000, &tag, &label);
        return 5;
    default: /* leaves its other thread to end the task */
        thread_start(spin_briefly, arg >> 8, stack, sizeof(stack), PRIO_DEFAULT);
        thread_exit(6);
    }
    return 0;
}
