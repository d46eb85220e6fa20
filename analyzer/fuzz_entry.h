/* SPDX-License-Identifier: MIT */
/* The one entry point the fuzzer and the corpus-replay test drive: bytes in, nothing may break. */
#ifndef FUZZ_ENTRY_H
#define FUZZ_ENTRY_H

#include <stddef.h>
#include <stdint.h>

/* Parses data as a scenario; if it is valid and small, runs the contract checks and every
 * backend's C closure and comparison on it. Also reads data as a trace of a fixed scenario.
 * Returns the scenario parse status (an_status). */
int an_fuzz_one(const uint8_t *data, size_t size);

#endif
