/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the trace reader against the shipped scenarios (make fuzz-trace). */
#include "fuzz_entry.h"

#ifndef SRC_ROOT
#define SRC_ROOT "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    an_fuzz_trace(data, size, SRC_ROOT "/scenarios");
    return 0;
}
