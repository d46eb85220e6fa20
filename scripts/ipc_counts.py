#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""IPCs per message of each declared channel, observed in a run's kernel trace, next to what
the analyzer predicts (its report's "cost: channel C (a -> b) takes N IPCs per message" lines;
a permitted channel without one costs 1). Under clans a message across clans passes every
chief on the way, each hop one delivered IPC in the original sender's name (the label), to
the same intended destination; the count of one message is those deliveries from the
sender's first send until the one that reaches the destination task.

usage: ipc_counts.py --trace TRACE --report REPORT.txt --json REPORT.json
Prints one line per channel; exit 0 every observed count is the predicted one, 1 one differs
or a channel with a predicted cost saw no message, 2 the input cannot be read."""
import argparse
import json
import re
import sys

IPC = re.compile(r"^ipc t=\d+ op=(\w+) from=(\d+)\.(\d+) dest=(0x[0-9a-f]+) to=(\d+)\.(\d+) "
                 r"label=(0x[0-9a-f]+) .*outcome=(\w+)")
TASK = re.compile(r"^task (\d+) (\S+) parent \d+")
THREAD = re.compile(r"\b(\d+)\.(\d+)\b")
COST = re.compile(r"^\s*cost: channel (\S+) \((\S+) -> (\S+)\) takes (\d+) IPCs per message")


def read_trace(path):
    """Task ids by name, thread ids by task id, the delivered sends and calls in order."""
    tasks, threads, events = {}, {}, []
    with open(path) as f:
        for line in f:
            m = TASK.match(line)
            if m:
                tasks[m.group(2)] = int(m.group(1))
                continue
            for t, th in THREAD.findall(line):
                threads.setdefault(int(t), set()).add(int(th))
            m = IPC.match(line)
            if m and m.group(1) in ("call", "send") and m.group(8) == "delivered":
                events.append({"from": int(m.group(2)), "dest": int(m.group(4), 16),
                               "to": int(m.group(5)), "label": int(m.group(7), 16)})
    return tasks, threads, events


def observed(a, b, threads, events):
    """The IPC count of every message from task a to task b, in order."""
    counts, open_msgs = [], {}
    b_threads = threads.get(b, set())
    for e in events:
        key = (e["label"], e["dest"])
        if key in open_msgs:
            open_msgs[key] += 1
        elif e["from"] == a and e["dest"] in b_threads:
            open_msgs[key] = 1
        else:
            continue
        if e["to"] == b:
            counts.append(open_msgs.pop(key))
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trace", required=True)
    ap.add_argument("--report", required=True, help="the analyzer's text report")
    ap.add_argument("--json", required=True, help="the analyzer's JSON report (the channels)")
    args = ap.parse_args()
    try:
        with open(args.json) as f:
            channels = json.load(f)["channels"]
        with open(args.report) as f:
            predicted = {m.group(1): int(m.group(4)) for m in map(COST.match, f) if m}
        tasks, threads, events = read_trace(args.trace)
    except (OSError, ValueError, KeyError) as e:
        print(f"ipc_counts.py: error: {e}", file=sys.stderr)
        return 2
    differ = False
    for ch in channels:
        name, a, b = ch["name"], ch["from"], ch["to"]
        want = predicted.get(name, 1)
        if a not in tasks or b not in tasks:
            print(f"ipc counts: channel {name} ({a} -> {b}): a task is not in the trace")
            differ = True
            continue
        seen = observed(tasks[a], tasks[b], threads, events)
        kinds = sorted(set(seen))
        if not seen:
            text, same = "no message observed", want == 1 and name not in predicted
            # a channel the analyzer gives no cost may simply be unused; one it costs must show
            text += "" if same else f", the analyzer predicts {want}: CANNOT COMPARE"
            print(f"ipc counts: channel {name} ({a} -> {b}): {text}")
            differ |= not same
            continue
        got = ", ".join(f"{k} IPC{'s' if k != 1 else ''} per message ({seen.count(k)} messages)"
                        for k in kinds)
        same = kinds == [want]
        print(f"ipc counts: channel {name} ({a} -> {b}): observed {got}, the analyzer predicts "
              f"{want}: {'same' if same else 'DIFFERENT'}")
        differ |= not same
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
