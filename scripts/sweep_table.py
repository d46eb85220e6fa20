#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prints the authority sweep as one table per backend, from the `result` files that
scripts/sweep.sh wrote under --dir (shipped scenarios in DIR/<scenario>/<backend>/, generated
packs in DIR/gen/<backend>/...), with every mismatch listed below its table; writes the same as
DIR/sweep.md. Exit status 1 if a run failed or any boot's observation differs from the model
(scripts/sweep_compare.py decides), 0 otherwise."""
import argparse
import glob
import os
import sys

HEAD = ("| setup | boots | setups | tasks | permitted | observed | observed, not permitted | "
        "permitted, not observed | explained (not observable directly) | result |")


def read(path):
    lines = open(path).read().split("\n")
    row = lines[0].split("\t")
    details = [l.strip() for l in lines[1:] if l.strip()]
    return row, details


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--policies", required=True)
    o = ap.parse_args()
    out, bad = [], 0
    for pol in o.policies.split():
        shipped, gen = [], []
        for path in sorted(glob.glob(os.path.join(o.dir, "*", pol, "result"))):
            shipped.append((os.path.basename(os.path.dirname(os.path.dirname(path))),) + read(path))
        for path in sorted(glob.glob(os.path.join(o.dir, "gen", pol, "*", "*", "result"))):
            gen.append((os.path.basename(os.path.dirname(path)),) + read(path))
        if not shipped and not gen:
            continue
        nset = sum(int(r[2]) for _, r, _ in gen if len(r) >= 10)
        out.append("## %s: %d shipped scenario%s, %d generated setup%s in %d boot%s" %
                   (pol, len(shipped), "" if len(shipped) == 1 else "s", nset,
                    "" if nset == 1 else "s", len(gen), "" if len(gen) == 1 else "s"))
        out.append("")
        out.append(HEAD)
        out.append("|" + " --- |" * 10)
        notes = []

        def row(label, boots, rows, details):
            nonlocal bad
            errors = [r for r in rows if len(r) < 10]
            good = [r for r in rows if len(r) >= 10]
            s = [sum(int(r[i]) for r in good) for i in range(2, 8)]
            expl = {}
            for r in good:
                for kv in r[8].split(","):
                    if "=" in kv:
                        k, v = kv.split("=")
                        expl[k] = expl.get(k, 0) + int(v)
            mism = [r for r in good if r[9] != "ok"]
            result = "ok" if not errors and not mism else \
                "**%d mismatch%s, %d failed**" % (len(mism), "es" if len(mism) != 1 else "",
                                                  len(errors))
            bad += len(errors) + len(mism)
            out.append("| %s | %d | %d | %d | %d | %d | %d | %d | %s | %s |" % (
                label, boots, *s, ", ".join("%s %d" % kv for kv in sorted(expl.items())) or "-",
                result))
            for r, d in details:
                if len(r) < 10 or r[9] != "ok" or d:
                    notes.append("%s (%s): %s" % (r[0], pol, "; ".join(d) if d else " ".join(r[2:])))

        for name, r, d in shipped:
            row("`%s`" % name, 1, [r], [(r, d)])
        if gen:
            row("generated (`ipcan gen`)", len(gen), [r for _, r, _ in gen],
                [(r, d) for _, r, d in gen])
        out.append("")
        for n in notes:
            out.append("- " + n)
        if notes:
            out.append("")
    text = "\n".join(out)
    print(text)
    with open(os.path.join(o.dir, "sweep.md"), "w") as f:
        f.write("# Authority sweep: kernel-observed reachability against `ipcan permitted`\n\n")
        f.write(text + "\n")
    print("sweep: %s" % ("every boot matches the model" if not bad else
                         "%d boot%s differ from the model or failed" % (bad, "s" if bad != 1 else "")))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
