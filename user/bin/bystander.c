/* SPDX-License-Identifier: MIT */
/* Stands between two tasks in the boot order, so the next one is given a name for this
 * task, not for the one before it; it does nothing and leaves. */
#include "ulib.h"

int main(void)
{
    sleep_us(250000);
    return 0;
}
