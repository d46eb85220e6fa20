#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of scripts/ipc_counts.py (the IPCs per message a trace shows, beside the analyzer's
prediction): counts from made-up traces, a difference or a costed channel without messages
fails; then the clan_redirect scenario booted under clans (about 2 s): every channel's
observed count is the analyzer's (c_far 5, c_up 3, c_near 1). Prints CMocka-style summary
lines so tests/run-all.sh counts it like the other test binaries."""
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COUNTS = os.path.join(ROOT, "scripts", "ipc_counts.py")
ATTACK = os.path.join(ROOT, "scripts", "attack.sh")
BUILD = os.path.join(ROOT, "build")

HEAD = "# ipcsec ipc trace v2\npolicy clans\ntask 1 a parent 0\ntask 2 c parent 0\ntask 3 b parent 2\n"


def ipc(frm, dest, to, label, outcome="delivered"):
    return (f"ipc t=1 op=call from={frm} dest={dest:#x} to={to} label={label:#x} proto=0x1 "
            f"words=1 items=0 outcome={outcome} status=OK\n")


def files(trace, cost):
    d = tempfile.mkdtemp()
    paths = [os.path.join(d, n) for n in ("trace.txt", "report.txt", "report.json")]
    with open(paths[0], "w") as f:
        f.write(HEAD + trace)
    with open(paths[1], "w") as f:
        f.write("policy clans: ...\n")
        if cost:
            f.write(f"  cost: channel ch (a -> b) takes {cost} IPCs per message\n")
    with open(paths[2], "w") as f:
        f.write('{"channels": [{"name": "ch", "from": "a", "to": "b", "contract": "rpc"}]}')
    return paths


def run_counts(paths):
    t, r, j = paths
    return subprocess.run([sys.executable, COUNTS, "--trace", t, "--report", r, "--json", j],
                          capture_output=True, text=True)


# a (thread 1.4) -> b (thread 3.6) through c's chief thread 2.5: two IPCs per message
TWO_HOPS = (ipc("1.4", 6, "2.5", 4, "redirected") + ipc("1.4", 6, "2.5", 4) + ipc("2.5", 6, "3.6", 4)
            + ipc("3.6", 0, "1.4", 6).replace("op=call", "op=reply"))


class Counts(unittest.TestCase):
    def test_same_as_predicted(self):
        r = run_counts(files(TWO_HOPS * 3, 2))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("observed 2 IPCs per message (3 messages), the analyzer predicts 2: same",
                      r.stdout)

    def test_different_fails(self):
        r = run_counts(files(TWO_HOPS, 3))
        self.assertEqual(r.returncode, 1)
        self.assertIn("DIFFERENT", r.stdout)
        r = run_counts(files(TWO_HOPS, None))  # no cost line: the analyzer says 1
        self.assertEqual(r.returncode, 1)

    def test_costed_channel_without_messages_fails(self):
        r = run_counts(files("", 2))
        self.assertEqual(r.returncode, 1)
        self.assertIn("CANNOT COMPARE", r.stdout)
        self.assertEqual(run_counts(files("", None)).returncode, 0)  # unused, costs 1

    def test_other_traffic_is_not_counted(self):
        other = ipc("1.4", 5, "2.5", 4) + ipc("2.5", 4, "1.4", 5)  # a <-> its chief only
        r = run_counts(files(other + TWO_HOPS + other, 2))
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("(1 messages)", r.stdout)


class ClanRedirect(unittest.TestCase):
    def test_scenario_counts_are_the_analyzers(self):
        kernel = os.path.join(BUILD, "clans", "kernel.bin")
        ipcan = os.path.join(BUILD, "host", "analyzer", "ipcan")
        for need in (kernel, ipcan):
            self.assertTrue(os.path.exists(need), f"{need} is missing: make all-policies analyzer")
        out = tempfile.mkdtemp()
        r = subprocess.run([ATTACK, "--quiet", "--build", os.path.join(BUILD, "clans"), "--out",
                            out, "clan_redirect", "clans"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(os.path.join(out, "ipc_counts")) as f:
            lines = f.read()
        for ch, n in (("c_far", 5), ("c_up", 3), ("c_near", 1)):
            self.assertRegex(lines, rf"channel {ch} .*: observed {n} IPCs? per message \(16 "
                             rf"messages\), the analyzer predicts {n}: same")
        r = run_counts([os.path.join(out, n) for n in ("trace.txt", "report.txt", "report.json")])
        self.assertEqual(r.returncode, 0, r.stdout)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=0).result
    failed = len(result.failures) + len(result.errors)
    print(f"[  PASSED  ] {result.testsRun - failed} test(s).")
    if failed:
        print(f"[  FAILED  ] {failed} test(s).")
    sys.exit(1 if failed else 0)
