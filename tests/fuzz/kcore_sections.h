/* SPDX-License-Identifier: MIT */
/* Forced into every kernel-core file of the IPC fuzzer: its globals go to sections of their own,
 * which the harness copies back to their pristine image before each input (fuzz_ipc.c). */
#pragma clang section bss = "kcore_bss" data = "kcore_data"
