#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The attack matrix: every scenario against every backend, each observed verdict (from the
run's trace, see attack.sh) beside the verdict the declaration expects. Prints a terminal
table and writes matrix.md (with the trace events behind each verdict) and matrix.csv to the
results directory. Exit status 1 if any run's verdict differs from its declaration, a run
delivered what its derived setup forbids (observed-not-permitted: the kernel and the analyzer's
model disagree), or a run failed; backends that do not exist yet show only their expectation.

usage: attack_matrix.py --dir DIR --policies "none capgate" SCENARIO.scn ..."""
import argparse
import csv
import os
import re
import sys

ALL = ["none", "clans", "ports", "refmon", "capgate"]


def expectations(path):
    exp = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0]
            if line.split()[:1] == ["expect"]:
                for m in re.finditer(r"(\w+)=([a-z/]+)", line):
                    exp[m.group(1)] = m.group(2)
    return exp


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--policies", required=True)
    ap.add_argument("scenarios", nargs="+")
    a = ap.parse_args()
    built = a.policies.split()
    rows, bad = [], 0
    for path in a.scenarios:
        name = os.path.splitext(os.path.basename(path))[0]
        exp = expectations(path)
        cells = {}
        for p in ALL:
            want = exp.get(p, "?")
            if p not in built:
                cells[p] = dict(want=want, got=None, state="absent", evidence="")
                continue
            d = os.path.join(a.dir, name, p)
            res = read(os.path.join(d, "result"))
            if res is None:
                cells[p] = dict(want=want, got="error", state="error", evidence="no result")
                bad += 1
                continue
            f = res.split(" ", 4)
            got = f[3] if len(f) > 3 else "error"
            state = ("ok" if len(f) > 4 and f[4] == "ok" else "error" if got == "error" else
                     "unsound" if len(f) > 4 and f[4] == "UNSOUND" else "unexpected")
            if state != "ok":
                bad += 1
            ev = read(os.path.join(d, "evidence")) or (f[4] if got == "error" and len(f) > 4 else "")
            cells[p] = dict(want=want, got=got, state=state, evidence=ev)
        rows.append((name, cells))

    def cell_text(c):
        if c["state"] == "absent":
            return "- (%s)" % c["want"]
        if c["state"] == "ok":
            return "%s = %s" % (c["got"], c["want"])
        if c["state"] == "unsound":
            return "%s %s %s, not permitted  <--" % (c["got"], "=" if c["got"] == c["want"] else "!=",
                                                     c["want"])
        return "%s != %s  <--" % (c["got"], c["want"])

    w0 = max(len(r[0]) for r in rows + [("scenario", None)])
    widths = {p: max([len(p)] + [len(cell_text(r[1][p])) for r in rows]) for p in ALL}
    head = "scenario".ljust(w0) + "  " + "  ".join(p.ljust(widths[p]) for p in ALL)
    print("\nattack matrix: observed verdict = declared expectation; - (x): no such backend yet, x declared")
    print(head)
    print("-" * len(head))
    for name, cells in rows:
        print(name.ljust(w0) + "  " + "  ".join(cell_text(cells[p]).ljust(widths[p]) for p in ALL))

    md = [
        "# Attack matrix",
        "",
        "Each cell: the verdict observed in the run (read from the kernel's IPC trace by "
        "`ipcan report -t`) and the one the declaration expects; ✓ they agree, ✗ they do not "
        "or the run delivered what the derived setup forbids (observed-not-permitted). "
        "`-`: the backend does not exist yet.",
        "",
        "| scenario | " + " | ".join(ALL) + " |",
        "| --- | " + " | ".join("---" for _ in ALL) + " |",
    ]
    for name, cells in rows:
        md.append("| `%s` | " % name + " | ".join(
            ("- (declared %s)" % c["want"]) if c["state"] == "absent" else
            ("%s (declared %s) ✓" % (c["got"], c["want"])) if c["state"] == "ok" else
            ("**%s** (declared %s) ✗ observed-not-permitted" % (c["got"], c["want"]))
            if c["state"] == "unsound" else
            ("**%s** (declared %s) ✗" % (c["got"], c["want"]))
            for c in (cells[p] for p in ALL)) + " |")
    md += ["", "## Evidence", "", "The trace events that decided each verdict "
           "(`build/attacks/<scenario>/<backend>/trace.txt`).", ""]
    for name, cells in rows:
        for p in ALL:
            c = cells[p]
            if c["state"] == "absent":
                continue
            md.append("### %s under %s: %s" % (name, p, c["got"]))
            md.append("")
            md.append("```")
            md.append(c["evidence"] or "(none)")
            md.append("```")
            md.append("")
    with open(os.path.join(a.dir, "matrix.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(a.dir, "matrix.csv"), "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["scenario", "backend", "expected", "observed", "matches", "evidence"])
        for name, cells in rows:
            for p in ALL:
                c = cells[p]
                wr.writerow([name, p, c["want"], c["got"] or "", "" if c["state"] == "absent"
                             else ("yes" if c["state"] == "ok" else "no"),
                             " | ".join(l.strip() for l in c["evidence"].splitlines())])
    print("\nwritten: %s, %s" % (os.path.join(a.dir, "matrix.md"), os.path.join(a.dir, "matrix.csv")))
    if bad:
        print("attacks: %d run(s) did not match their declared expectation, delivered what their "
              "setup forbids, or failed" % bad)
        return 1
    print("attacks: every run matches its declared expectation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
