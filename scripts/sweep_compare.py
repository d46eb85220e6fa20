#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compares one authority-sweep run with the analyzer's model, in both directions.

Observed: every message the kernel's trace shows delivered (or queued into the receiver's
port) from one declared task to another (a forwarded message counts for its original sender,
orig=), replies left out, the loader (a task without a parent) and undeclared infrastructure
(name server, reference monitor) left out, as `ipcan report` reads a trace, and so is a
redirected message's delivery to a chief on its way (a hop, not its receiver). Permitted:
`ipcan permitted` for the same setup. An observed pair that is not permitted fails the sweep
(a model gap or a kernel hole). A permitted pair that was not observed fails too unless its
derivation says why a sweep cannot show it directly:
  delegation  the right must first be passed on ("passes it to"): the sweeper passes no rights
  name-race   only one of the provider and a claimant of a name can win it ("registers it first")
  rebind      the endpoint must first move to another receiver at run time (capgate `bind`:
              "may rebind to itself"; ports `receive`: "may come to hold"): the sweeper moves none
The sweep's result row is tab-separated: name, policy, setups, tasks, permitted, observed,
observed-not-permitted, permitted-not-observed (unexplained), explained, verdict.
"""
import argparse
import re
import sys

SEND_OPS = {"send", "call", "notify"}
REACHED = {"delivered", "queued"}
CLASSES = (("delegation", "passes it to"), ("name-race", "registers it first"),
           ("rebind", "may rebind to itself"), ("rebind", "may come to hold"))


def read_setup(path):
    """Declared tasks (without the loader) in declaration order."""
    tasks = []
    for line in open(path):
        w = line.split()
        if len(w) >= 4 and w[0] == "task" and w[3] != "-":
            tasks.append(w[1])
    return tasks


def read_permitted(path, tasks):
    """{(a, b): derivation} between declared non-root tasks."""
    perm = {}
    pat = re.compile(r"^(\S+) -> (\S+)\s+\[[^\]]*\]\s+because: (.*)$")
    for line in open(path):
        if re.match(r"^# \.\.\. \d+ more", line):
            raise SystemExit("sweep_compare.py: %s is cut short (%s); run ipcan permitted --max 0"
                             % (path, line.strip()))
        m = pat.match(line.rstrip("\n"))
        if m and m.group(1) in tasks and m.group(2) in tasks:
            perm[(m.group(1), m.group(2))] = m.group(3)
    return perm


def read_trace(path, tasks):
    """({(a, b): first trace line}, problems): what the kernel delivered between tasks."""
    names, seen, problems, last, hops = {}, {}, [], {}, 0
    records, end = 0, None
    lines = open(path, errors="replace").read().split("\n")
    if lines and lines[-1] != "":
        problems.append("the trace's last line is cut off")
    for no, line in enumerate(lines, 1):
        w = line.split()
        if not w:
            continue
        if w[0] == "#":
            if re.search(r"dropped|lost", line):
                problems.append("trace line %d: %s" % (no, line))
            continue
        if w[0] == "task" and len(w) >= 3:
            names[w[1]] = w[2]
        elif w[0] == "end":
            end = int(w[1].split("=")[1])
        elif w[0] in ("ipc", "auth"):
            records += 1
            if w[0] != "ipc":
                continue
            f = dict(x.split("=", 1) for x in w[1:] if "=" in x)
            key = (f.get("op"), f.get("dest"), f.get("to"))
            prev, last[f.get("from")] = last.get(f.get("from")), (key, f.get("outcome"))
            if f.get("op") not in SEND_OPS or f.get("outcome") not in REACHED:
                continue
            if prev == (key, "redirected"):
                hops += 1  # the kernel took it to a chief on the way, not to its receiver
                continue
            src = f.get("orig", f.get("from", "-"))
            a = names.get(src.split(".")[0])
            b = names.get(f.get("to", "-").split(".")[0])
            if a in tasks and b in tasks and a != b and (a, b) not in seen:
                seen[(a, b)] = no
    if end is None:
        problems.append("no end line: the trace is not complete")
    elif end != records:
        problems.append("end records=%d but %d records" % (end, records))
    return seen, problems


def classify(why):
    for name, key in CLASSES:
        if key in why:
            return name
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--name", required=True)
    ap.add_argument("--policy", required=True)
    ap.add_argument("--setup", required=True)
    ap.add_argument("--permitted", required=True)
    ap.add_argument("--trace", required=True)
    ap.add_argument("--result", required=True)
    ap.add_argument("--setups", type=int, default=1, help="setups packed into this boot")
    ap.add_argument("--quiet", action="store_true")
    o = ap.parse_args()
    tasks = read_setup(o.setup)
    perm = read_permitted(o.permitted, tasks)
    seen, problems = read_trace(o.trace, tasks)
    lines = []
    bad_obs = sorted(p for p in seen if p not in perm)
    for a, b in bad_obs:
        lines.append("observed-not-permitted %s -> %s (trace line %d): the kernel delivered "
                     "what the %s model forbids" % (a, b, seen[(a, b)], o.policy))
    unexplained, explained = [], {}
    for p in sorted(perm):
        if p in seen:
            continue
        c = classify(perm[p])
        if c:
            explained[c] = explained.get(c, 0) + 1
        else:
            unexplained.append(p)
            lines.append("permitted-not-observed %s -> %s: %s" % (p[0], p[1], perm[p]))
    for p in problems:
        lines.append("incomplete: " + p)
    ok = not bad_obs and not unexplained and not problems
    expl = ",".join("%s=%d" % kv for kv in sorted(explained.items())) or "-"
    row = [o.name, o.policy, str(o.setups), str(len(tasks)), str(len(perm)), str(len(seen)), str(len(bad_obs)),
           str(len(unexplained)), expl, "ok" if ok else "MISMATCH"]
    with open(o.result, "w") as f:
        f.write("\t".join(row) + "\n")
        for line in lines:
            f.write("  " + line + "\n")
    if not o.quiet:
        print("\t".join(row))
        for line in lines:
            print("  " + line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
