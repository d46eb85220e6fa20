#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns the program counters of one traced round trip into a per-phase breakdown.

usage: fastpath_breakdown.py KERNEL_ELF PCS_FILE BACKEND
Each kernel instruction is attributed, through the DWARF line table (addr2line -i: the
innermost inlined function), to a phase of the fast path; user-mode instructions are the
client's and server's stubs and loops. Prints CSV: backend,phase,instructions.
"""
import subprocess
import sys

PHASES = [  # (phase, test on (function, file)) in order; the first match wins
    ("entry: frame saves (entry.S)", lambda fn, f: f.endswith("entry.S") and fn in ("syscall_entry", "ipc_entry")),
    ("exit: register loads + sysret (entry.S)", lambda fn, f: f.endswith("entry.S")),
    ("policy check (policy.h)", lambda fn, f: f.endswith("policy.h") or "/policies/" in f
     or fn in ("thread_lookup", "thread_slot_of", "task_lookup", "cap_lookup")),
    ("context: FS, CR3, TSS, FPU (arch.c)", lambda fn, f: "/arch/" in f),
    ("scheduler bookkeeping (sched.c)", lambda fn, f: f.endswith("sched.c")),
    ("fast path: checks, copy, state (ipc_fastpath.c)", lambda fn, f: f.endswith("ipc_fastpath.c") or f.endswith("ipc.h") or f.endswith("thread.h")),
    ("dispatch (sys_ipc.c)", lambda fn, f: f.endswith("sys_ipc.c") or f.endswith("syscall.c")),
]


def main():
    elf, pcs_file, backend = sys.argv[1:4]
    pcs = [int(l, 16) for l in open(pcs_file) if l.strip()]
    kernel = sorted({pc for pc in pcs if pc >= 0xFFFF800000000000})
    where = {}
    if kernel:
        out = subprocess.run(["addr2line", "-e", elf, "-f", "-i", "-a"] + ["%x" % pc for pc in kernel],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        # records: 0xADDR, then (function, file:line) pairs, innermost first
        i, cur = 0, None
        while i < len(out):
            line = out[i]
            if line.startswith("0x"):
                cur = int(line, 16)
                where[cur] = None
                i += 1
                continue
            fn, loc = line, out[i + 1] if i + 1 < len(out) else "?"
            if where[cur] is None:
                where[cur] = (fn, loc.split(":")[0])
            i += 2
    counts = {}
    for pc in pcs:
        if pc < 0x800000000000:
            phase = "user: client and server stubs and loops"
        else:
            fn, f = where.get(pc) or ("?", "?")
            phase = next((p for p, test in PHASES if test(fn, f)), "other kernel (%s)" % fn)
        counts[phase] = counts.get(phase, 0) + 1
    order = [p for p, _ in PHASES] + ["user: client and server stubs and loops"]
    for p in order + sorted(set(counts) - set(order)):
        if p in counts:
            print("%s,%s,%d" % (backend, p, counts[p]))
    print("%s,total,%d" % (backend, len(pcs)))


if __name__ == "__main__":
    main()
