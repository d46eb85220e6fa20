#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of the authority sweep (scripts/sweep.sh, scripts/sweep_compare.py): the comparison
in both directions on hand-written traces, and real boots where a deliberately broken model
(the declaration with one channel dropped, or one channel added) must fail the sweep while the
true model passes. The boots need build/capgate (make POLICY=capgate) and the analyzer; without
them those tests are skipped. Prints CMocka-style summary lines for tests/run-all.sh."""
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMPARE = os.path.join(ROOT, "scripts", "sweep_compare.py")
SWEEP = os.path.join(ROOT, "scripts", "sweep.sh")
IPCAN = os.path.join(ROOT, "build", "host", "analyzer", "ipcan")
KERNEL = os.path.join(ROOT, "build", "capgate", "kernel.bin")

SETUP = "task root scnroot -\ntask a sweeper root\ntask b sweeper root\ntask c sweeper b\n"
HEADER = "# ipcsec ipc trace v2\npolicy clans\ntask 1 root parent 0\ntask 2 a parent 1\n" \
    "task 3 b parent 1\ntask 4 c parent 3\n"


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def perm_line(a, b, why="a holds a capability"):
    return "%s -> %s  [declared]  because: %s\n" % (a, b, why)


class Compare(unittest.TestCase):
    def run_compare(self, permitted, records, end=None):
        d = tempfile.mkdtemp()
        paths = {k: os.path.join(d, k) for k in ("setup", "permitted", "trace", "result")}
        write(paths["setup"], SETUP)
        write(paths["permitted"], "# x under clans: permitted pairs\n" + permitted)
        n = len(records)
        write(paths["trace"], HEADER + "".join(r + "\n" for r in records) +
              "end records=%d\n" % (n if end is None else end))
        r = subprocess.run([sys.executable, COMPARE, "--name", "x", "--policy", "clans",
                            "--setup", paths["setup"], "--permitted", paths["permitted"],
                            "--trace", paths["trace"], "--result", paths["result"]],
                           capture_output=True, text=True)
        return r.returncode, r.stdout

    def send(self, frm, to, outcome="delivered", dest="0x9", extra=""):
        return ("ipc t=1 op=send from=%s dest=%s to=%s label=0x1 proto=0x5e %swords=2 items=0 "
                "outcome=%s status=OK" % (frm, dest, to, extra, outcome))

    def test_match(self):
        rc, out = self.run_compare(perm_line("a", "b"), [self.send("2.5", "3.6")])
        self.assertEqual(rc, 0, out)
        self.assertIn("\tok", out)

    def test_observed_not_permitted_fails(self):
        rc, out = self.run_compare(perm_line("a", "b"),
                                   [self.send("2.5", "3.6"), self.send("2.5", "4.7")])
        self.assertEqual(rc, 1)
        self.assertIn("observed-not-permitted a -> c", out)

    def test_permitted_not_observed_fails_unless_explained(self):
        rc, out = self.run_compare(perm_line("a", "b") + perm_line("a", "c"),
                                   [self.send("2.5", "3.6")])
        self.assertEqual(rc, 1)
        self.assertIn("permitted-not-observed a -> c", out)
        rc, out = self.run_compare(
            perm_line("a", "b") + perm_line("a", "c", "b holds it and may give it on; b passes "
                                            "it to a in a reply"), [self.send("2.5", "3.6")])
        self.assertEqual(rc, 0, out)
        self.assertIn("delegation=1", out)

    def test_loader_and_refusals_do_not_count(self):
        rc, out = self.run_compare(perm_line("a", "b"), [
            self.send("2.5", "3.6"), self.send("2.5", "1.1"), self.send("1.1", "4.7"),
            self.send("2.5", "4.7", outcome="denied"), self.send("2.5", "4.7", outcome="timeout")])
        self.assertEqual(rc, 0, out)

    def test_forward_counts_for_its_sender_and_a_hop_for_nobody(self):
        # a's message to c goes to chief b first (a hop), b forwards it in a's name (orig=)
        hop = [self.send("2.5", "3.6", outcome="redirected", dest="0x7"),
               self.send("2.5", "3.6", dest="0x7")]
        fwd = [self.send("3.6", "4.7", dest="0x7", extra="orig=2.5 ")]
        rc, out = self.run_compare(perm_line("a", "c"), hop + fwd)
        self.assertEqual(rc, 0, out)
        rc, out = self.run_compare(perm_line("a", "b"), hop + fwd)
        self.assertEqual(rc, 1)
        self.assertIn("observed-not-permitted a -> c", out)
        self.assertIn("permitted-not-observed a -> b", out)

    def test_incomplete_trace_fails(self):
        rc, out = self.run_compare(perm_line("a", "b"), [self.send("2.5", "3.6")], end=5)
        self.assertEqual(rc, 1)
        self.assertIn("incomplete", out)

    def test_cut_permitted_list_is_refused(self):
        rc, out = self.run_compare(perm_line("a", "b") + "# ... 3 more pairs (--max 0 lists all)\n",
                                   [self.send("2.5", "3.6")])
        self.assertNotEqual(rc, 0)


SCN = """scenario sweeptest "the sweep against a broken model"
naming hierarchical
contract rpc {
    in req proto 1
    out resp proto 2
    server {
        states idle busy
        initial idle
        final idle
        idle: req? -> busy
        busy: resp! -> idle
    }
}
task root program root
task a program sweeper parent root
task b program sweeper parent root
task c program sweeper parent root
service sb task b
service sc task c
%s
expect none=n/a clans=n/a ports=n/a refmon=n/a capgate=n/a
"""
CHANNELS = "channel c1 a -> sb contract rpc\nchannel c2 b -> sc contract rpc"


@unittest.skipUnless(os.path.exists(KERNEL) and os.path.exists(IPCAN),
                     "needs build/capgate and the analyzer (make POLICY=capgate analyzer)")
class BrokenModel(unittest.TestCase):
    def sweep(self, model_channels):
        d = tempfile.mkdtemp()
        decl, model = os.path.join(d, "sweeptest.scn"), os.path.join(d, "model.scn")
        write(decl, SCN % CHANNELS)
        write(model, SCN % model_channels)
        r = subprocess.run([SWEEP, "--build", os.path.dirname(KERNEL), "--out", d, "--model",
                            model, decl, "capgate"], capture_output=True, text=True)
        return r.returncode, r.stdout + r.stderr

    def test_true_model_passes(self):
        rc, out = self.sweep(CHANNELS)
        self.assertEqual(rc, 0, out)

    def test_model_without_a_channel_fails(self):
        rc, out = self.sweep("channel c2 b -> sc contract rpc")
        self.assertEqual(rc, 1, out)
        self.assertIn("observed-not-permitted a -> b", out)

    def test_model_with_an_extra_channel_fails(self):
        rc, out = self.sweep(CHANNELS + "\nchannel c3 c -> sb contract rpc")
        self.assertEqual(rc, 1, out)
        self.assertIn("permitted-not-observed c -> b", out)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=0).result
    total = result.testsRun
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    print("[==========] %d test(s) run." % total)
    print("[  PASSED  ] %d test(s)." % (total - failed - skipped))
    if failed:
        print("[  FAILED  ] %d test(s)." % failed)
    sys.exit(1 if failed else 0)
