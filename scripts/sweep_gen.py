#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Packs random setups from `ipcan gen` into one scenario for one authority-sweep boot.

A boot holds at most 24 modules (the loader, the name server, the reference monitor, the setup
and one per task), so one boot runs several small generated setups side by side: setup k's
tasks, services and channels are renamed gK_..., its root (the loader in `ipcan gen`'s own
output) becomes a task of its own below the one loader, and nothing connects two setups but
what a backend gives every task anyway (global ids). Naming is hierarchical (generated setups
register no names). Seeds are consecutive from --seed; each file lists its setups' commands.
Setups are packed until a boot would hold more than --max-tasks tasks or, under capgate and
ports (where a task may create only 32 endpoints: the loader creates them all), more than
--objects endpoints; one file per boot, their paths printed.
usage: sweep_gen.py --ipcan PATH --seed S --count K --policy P [--give PERMILLE] -o DIR
"""
import argparse
import os
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


def convert(seed, text):
    """Setup `seed` renamed gSEED_..., below the loader: (lines, tasks, loader objects)."""
    p = "g%d_" % seed
    lines = text.split("\n")
    # a service no channel uses costs the loader an object and shows nothing
    used = {l.split()[4] for l in lines if l.startswith("channel ")}
    body, parents, tasks, services, chans = [], set(), 0, 0, 0
    for l in lines:
        w = l.split()
        if not w:
            continue
        if w[0] == "task":
            parent = p + w[5] if len(w) > 5 else "root"
            parents.add(parent)
            tasks += 1
            body.append("task %s%s program sweeper parent %s" % (p, w[1], parent))
        elif w[0] == "service" and w[1] in used:
            services += 1
            body.append("service %s%s task %s%s" % (p, w[1], p, w[3]))
        elif w[0] == "channel":
            chans += 1
            give = " give" if w[-1] == "give" else ""
            body.append("channel %s%s %s%s -> %s%s contract rpc%s" %
                        (p, w[1], p, w[2], p, w[4], give))
    # what the loader creates for it: an endpoint per task (its setup), per parent (its
    # requests), per service and, where a channel is an endpoint of its own (capgate), per
    # channel (monitor/scnroot/main.c)
    return body, tasks, (tasks, len(parents - {"root"}), services, chans)


def write_pack(path, seeds, heads, contract, body):
    with open(path, "w") as f:
        f.write("# authority sweep: %d setups from ipcan gen, side by side below one loader\n" %
                len(seeds))
        f.write("\n".join(heads) + "\n")
        f.write('scenario sweep_g%d "generated setups for the authority sweep"\n' % seeds[0])
        f.write("naming hierarchical\n")
        f.write("\n".join(contract) + "\n")
        f.write("task root program root\n")
        f.write("\n".join(body) + "\n")
        f.write("expect none=n/a clans=n/a ports=n/a refmon=n/a capgate=n/a\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ipcan", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--policy", required=True)
    ap.add_argument("--give", type=int, default=300)
    ap.add_argument("--max-tasks", type=int, default=20)
    ap.add_argument("--objects", type=int, default=28,
                    help="loader objects per boot where a task may create only 32 (capgate, ports)")
    ap.add_argument("-o", "--outdir", required=True)
    o = ap.parse_args()
    os.makedirs(o.outdir, exist_ok=True)
    contract, packs = None, []
    cur = {"seeds": [], "heads": [], "body": [], "tasks": 0, "objects": 0}

    def flush():
        if cur["seeds"]:
            path = os.path.join(o.outdir, "sweep_g%d.scn" % cur["seeds"][0])
            write_pack(path, cur["seeds"], cur["heads"], contract, cur["body"])
            packs.append(path)
        cur.update(seeds=[], heads=[], body=[], tasks=0, objects=0)

    for k in range(o.count):
        seed = o.seed + k
        cmd, text = gen(o.ipcan, seed, o.give)
        lines = text.split("\n")
        if contract is None:  # the one contract every generated channel uses
            start = next(i for i, l in enumerate(lines) if l.startswith("contract"))
            end = next(i for i in range(start, len(lines)) if lines[i] == "}")
            contract = lines[start:end + 1]
        body, tasks, (t, par, svc, ch) = convert(seed, text)
        objects = 0
        if o.policy in ("capgate", "ports"):
            objects = t + par + svc + (ch if o.policy == "capgate" else 0)
        if cur["seeds"] and (cur["tasks"] + tasks > o.max_tasks or
                             cur["objects"] + objects > o.objects):
            flush()
        cur["seeds"].append(seed)
        cur["heads"].append("# setup g%d: ipcan %s" % (seed, cmd))
        cur["body"] += body
        cur["tasks"] += tasks
        cur["objects"] += objects
    flush()
    print("\n".join(packs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
