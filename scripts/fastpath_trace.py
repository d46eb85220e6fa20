# SPDX-License-Identifier: MIT
# gdb script (run by scripts/bench-breakdown.sh): waits until pingclient's 0-word calls are
# warm, then single-steps one whole round trip (from one call's entry into syscall_ipc to the
# next) and writes every executed program counter, one per line, to $BREAKDOWN_OUT.
import os
import gdb

out = os.environ["BREAKDOWN_OUT"]
skip = int(os.environ.get("BREAKDOWN_SKIP", "160"))
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("target remote :" + os.environ.get("BREAKDOWN_PORT", "1234"))
# op IPC_CALL (4), 0 words, no items: the benchmark's null call
cond = "$rdi == 4 && ($rdx & 0xffff) == 0"
bp = gdb.Breakpoint("syscall_ipc")
bp.condition = cond
bp.ignore_count = skip
gdb.execute("continue")
bp.enabled = False
pcs = []
start = int(gdb.parse_and_eval("$pc"))
while True:
    pcs.append(int(gdb.parse_and_eval("$pc")))
    gdb.execute("stepi", to_string=True)
    pc = int(gdb.parse_and_eval("$pc"))
    if pc == start and int(gdb.parse_and_eval("$rdi")) == 4 and (int(gdb.parse_and_eval("$rdx")) & 0xffff) == 0:
        break
    if len(pcs) > 20000:
        raise gdb.GdbError("no second call within 20000 instructions")
with open(out, "w") as f:
    for pc in pcs:
        f.write("%x\n" % pc)
gdb.execute("kill")
