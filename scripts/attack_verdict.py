#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reads the analyzer's JSON report of one run (ipcan report --json -t TRACE) and prints the
observed verdict for one backend, a tab, then the evidence lines the analyzer cited (trace line
numbers and the raw trace records that decided it). Exit 1 if the report has no verdict."""
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: attack_verdict.py REPORT.json POLICY")
    with open(sys.argv[1]) as f:
        rep = json.load(f)
    pol = next((p for p in rep.get("policies", []) if p.get("name") == sys.argv[2]), None)
    if pol is None or not pol.get("observed"):
        sys.exit("attack_verdict.py: no observed verdict for %s in %s" % (sys.argv[2], sys.argv[1]))
    lines = []
    attacks = pol.get("observed_attacks") or []
    for a in attacks:
        who = a.get("attack", "?") + " " + (a.get("attacker") or "")
        if a.get("target"):
            who += " -> " + a["target"]
        if a.get("as"):
            who += " as " + a["as"]
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
