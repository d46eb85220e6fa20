/* SPDX-License-Identifier: MIT */
/* A short-lived child for the exhaustion test. */
#include "ulib.h"

int main(void)
{
    yield();
    return 0;
}
