#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Packs random setups from `ipcan gen` into one scenario for one authority-sweep boot.

A boot holds at most 24 modules (the loader, the name server, the reference monitor, the setup
and one per task), so one boot runs several small generated setups side by side: setup k's
tasks, services and channels are renamed gK_..., its root (the loader in `ipcan gen`'s own
output) becomes a task of its own below the one loader, and nothing connects two setups but
what every backend gives every task anyway (global ids, the flat name service). Seeds are
consecutive from --seed, so a pack is reproducible from its file's first lines.
usage: sweep_gen.py --ipcan PATH --seed S --count K [--tasks-max N] [--give PERMILLE] -o FILE
"""
import argparse
import random
import subprocess
import sys


def gen(ipcan, seed, give):
    rnd = random.Random(seed)
    tasks = rnd.randint(3, 4)
    chans = rnd.randint(tasks - 1, 2 * tasks)
    fanout = rnd.randint(1, 2)
    cmd = [ipcan, "gen", "--tasks", str(tasks), "--channels", str(chans), "--fanout", str(fanout),
           "--seed", str(seed), "--give", str(give)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return " ".join(cmd[1:]), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ipcan", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--give", type=int, default=300)
    ap.add_argument("-o", "--output", required=True)
    o = ap.parse_args()
    head, contract, body = [], None, []
    for k in range(o.count):
        seed = o.seed + k
        cmd, text = gen(o.ipcan, seed, o.give)
        head.append("# setup g%d: ipcan %s" % (seed, cmd))
        lines = text.split("\n")
        if contract is None:  # the one contract every generated channel uses
            start = next(i for i, l in enumerate(lines) if l.startswith("contract"))
            end = next(i for i in range(start, len(lines)) if lines[i] == "}")
            contract = lines[start:end + 1]
        p = "g%d_" % seed
        # a service no channel uses costs the loader an object and shows nothing
        used = {l.split()[4] for l in lines if l.startswith("channel ")}
        for l in lines:
            w = l.split()
            if not w:
                continue
            if w[0] == "task":
                parent = p + w[5] if len(w) > 5 else "root"
                body.append("task %s%s program sweeper parent %s" % (p, w[1], parent))
            elif w[0] == "service" and w[1] in used:
                body.append("service %s%s task %s%s" % (p, w[1], p, w[3]))
            elif w[0] == "channel":
                give = " give" if w[-1] == "give" else ""
                body.append("channel %s%s %s%s -> %s%s contract rpc%s" %
                            (p, w[1], p, w[2], p, w[4], give))
    with open(o.output, "w") as f:
        f.write("# authority sweep: %d setups from ipcan gen, side by side below one loader\n" %
                o.count)
        f.write("\n".join(head) + "\n")
        f.write('scenario sweep_g%d "generated setups for the authority sweep"\n' % o.seed)
        f.write("\n".join(contract) + "\n")
        f.write("task root program root\n")
        f.write("\n".join(body) + "\n")
        f.write("expect none=n/a clans=n/a ports=n/a refmon=n/a capgate=n/a\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
