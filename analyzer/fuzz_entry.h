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

/* Reads data as a run's trace of the shipped scenario its 'scenario NAME' line names (the first
 * one by path if it names none or an unknown one), and if it is valid, runs the contract checks,
 * every backend's comparison with it and every report (text, JSON, dot) on it. The scenarios
 * are loaded from scenario_root/<dir>/<name>.scn on the first call. Returns the trace parse
 * status (an_status; AN_E_IO if no scenario could be loaded). */
int an_fuzz_trace(const uint8_t *data, size_t size, const char *scenario_root);

#endif
