/* SPDX-License-Identifier: MIT */
/* The periodic tick: time since boot and scheduler time slices. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H
#include "kernel.h"
#define TIMER_HZ 1000
void timer_tick(void);
uint64_t timer_now_us(void);
#endif
