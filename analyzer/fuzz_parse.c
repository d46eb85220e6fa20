/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the scenario and trace readers (make fuzz-analyzer). */
#include "fuzz_entry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    an_fuzz_one(data, size);
    return 0;
}
