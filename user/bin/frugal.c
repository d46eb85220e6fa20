/* SPDX-License-Identifier: MIT */
/* Creates threads and notifications while a hog holds all it may: the pools must still serve. */
#include "ulib.h"

static char stacks[8][1024] __attribute__((aligned(16)));

static long short_lived(word_t arg)
{
    return (long)arg;
}

int main(void)
{
    sleep_us(10000); /* the hog has taken its share by now */
    int threads = 0, notes = 0;
    for (int i = 0; i < 8; i++)
        if (thread_start(short_lived, 0, stacks[i], sizeof(stacks[i]), PRIO_DEFAULT) > 0) threads++;
    for (int i = 0; i < 4; i++)
        if (notify_create(0x20) > 0) notes++;
    printf("frugal: created %d of 8 threads and %d of 4 notifications while the hog is full\n",
           threads, notes);
    sleep_us(1000);
    return threads != 8 || notes != 4;
}
