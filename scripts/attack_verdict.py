#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reads the analyzer's JSON report of one run (ipcan report --json -t TRACE) and prints the
observed verdict for one backend, a tab, then the evidence lines the analyzer cited (trace line
numbers and the raw trace records that decided it). Exit 1 if the report has no verdict.

With --unsound: prints nothing if the kernel delivered only what the derived setup permits,
else one line per observed-not-permitted finding (the kernel and the model disagree)."""
import json
import sys


def main():
    args = sys.argv[1:]
    unsound = args[:1] == ["--unsound"]
    if unsound:
        args = args[1:]
    if len(args) != 2:
        sys.exit("usage: attack_verdict.py [--unsound] REPORT.json POLICY")
    with open(args[0]) as f:
        rep = json.load(f)
    pol = next((p for p in rep.get("policies", []) if p.get("name") == args[1]), None)
    if unsound:
        if pol is None or "observed_not_permitted" not in pol:
            sys.exit("attack_verdict.py: no observed_not_permitted count for %s in %s" %
                     (args[1], args[0]))
        n = pol["observed_not_permitted"]
        if n:
            found = [f for f in rep.get("findings", []) if f.get("kind") == "observed-not-permitted"
                     and f.get("policy") == args[1]]
            print("  observed-not-permitted: %d delivered message(s) the derived %s setup forbids"
                  " (the kernel and the analyzer's model disagree)" % (n, args[1]))
            for f in found:
                print("    " + f.get("text", ""))
            if len(found) < n:
                print("    ... %d more (ipcan report --max 0)" % (n - len(found)))
        return
    sys.argv[1:] = args
    if pol is None or not pol.get("observed"):
        sys.exit("attack_verdict.py: no observed verdict for %s in %s" % (sys.argv[2], sys.argv[1]))
    lines = []
    attacks = pol.get("observed_attacks") or []
    for a in attacks:
        who = a.get("attack", "?") + " " + (a.get("attacker") or "")
        if a.get("via"):
            who += " via " + a["via"]
        if a.get("target"):
            who += " -> " + a["target"]
        if a.get("as"):
            who += " as " + a["as"]
        if a.get("phase"):
            who += " " + a["phase"]
        lines.append("  %s: %s: %s" % (who, a.get("verdict"), a.get("reason") or ""))
        for ev in a.get("evidence") or []:
            lines.append("    trace line %s: %s" % (ev.get("line", "?"), ev.get("text", "")))
        if a.get("more_evidence"):
            lines.append("    ... and %s more such records" % a["more_evidence"])
        if a.get("evidence_note"):
            lines.append("    " + a["evidence_note"])
    if not attacks:
        for ev in pol.get("evidence") or []:
            if isinstance(ev, dict):
                lines.append("  %s, trace line %s: %s" % (ev.get("attack", ""), ev.get("line", "?"),
                                                          ev.get("text", "")))
            else:
                lines.append("  " + str(ev))
    if not lines and pol.get("verdict_reason"):
        lines.append("  " + pol["verdict_reason"])
    if not lines and pol["observed"] == "n/a":
        lines.append("  the scenario declares no attack (a cost or behaviour scenario)")
    print(pol["observed"] + "\t" + "\n".join(lines))


if __name__ == "__main__":
    main()
