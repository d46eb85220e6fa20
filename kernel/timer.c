/* SPDX-License-Identifier: MIT */
/* Timer tick: advances time and charges the running thread's time slice. */
#include "timer.h"
#include "ipc.h"
#include "sched.h"

static uint64_t ticks;

void timer_tick(void)
{
    ticks++;
    ipc_timeout_tick(timer_now_us());
    sched_tick();
}

uint64_t timer_now_us(void)
{
    return ticks * (1000000 / TIMER_HZ);
}
