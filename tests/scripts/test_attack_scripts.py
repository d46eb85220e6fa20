#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of the attack harness's judgement scripts (scripts/attack_verdict.py,
scripts/attack_matrix.py): an unexpected verdict, a run that delivered what its setup forbids
(observed-not-permitted) or a failed run fails the matrix, absent
backends only show their expectation, evidence reaches every output. Prints CMocka-style
summary lines so tests/run-all.sh counts it like the other test binaries."""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VERDICT = os.path.join(ROOT, "scripts", "attack_verdict.py")
MATRIX = os.path.join(ROOT, "scripts", "attack_matrix.py")
SCN = "scenario demo\nattack reach a -> b\nexpect none=succeeded clans=blocked ports=blocked refmon=blocked capgate=blocked\n"


def run(*args):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True)


class Verdict(unittest.TestCase):
    def report(self, pol):
        d = tempfile.mkdtemp()
        path = os.path.join(d, "report.json")
        with open(path, "w") as f:
            json.dump({"policies": [pol]}, f)
        return path

    def test_evidence_is_printed(self):
        path = self.report({"name": "none", "observed": "succeeded", "evidence": [
            {"attack": "reach a -> b", "line": 7, "text": "ipc t=1 op=send outcome=delivered"}]})
        r = run(VERDICT, path, "none")
        self.assertEqual(r.returncode, 0)
        verdict, evidence = r.stdout.split("\t", 1)
        self.assertEqual(verdict, "succeeded")
        self.assertIn("trace line 7: ipc t=1 op=send outcome=delivered", evidence)

    def test_no_attack_is_na(self):
        path = self.report({"name": "capgate", "observed": "n/a", "evidence": None})
        r = run(VERDICT, path, "capgate")
        self.assertEqual(r.returncode, 0)
        self.assertIn("declares no attack", r.stdout)

    def test_unsound_lists_the_findings(self):
        d = tempfile.mkdtemp()
        path = os.path.join(d, "report.json")
        text = "evil -> net was delivered (trace line 127) although the derived capgate setup ..."
        with open(path, "w") as f:
            json.dump({"policies": [{"name": "capgate", "observed": "succeeded",
                                     "observed_not_permitted": 2}],
                       "findings": [{"kind": "observed-not-permitted", "policy": "capgate",
                                     "text": text},
                                    {"kind": "violation", "policy": "capgate", "text": "other"}]},
                      f)
        r = run(VERDICT, "--unsound", path, "capgate")
        self.assertEqual(r.returncode, 0)
        self.assertIn("observed-not-permitted: 2 delivered message(s)", r.stdout)
        self.assertIn(text, r.stdout)
        self.assertNotIn("other", r.stdout)
        self.assertIn("1 more", r.stdout)  # two counted, one listed

    def test_sound_run_prints_nothing(self):
        path = self.report({"name": "ports", "observed": "blocked", "observed_not_permitted": 0})
        r = run(VERDICT, "--unsound", path, "ports")
        self.assertEqual((r.returncode, r.stdout), (0, ""))
        # a report without the count (an old ipcan) is an error, not a clean run
        path = self.report({"name": "ports", "observed": "blocked"})
        self.assertNotEqual(run(VERDICT, "--unsound", path, "ports").returncode, 0)

    def test_missing_verdict_fails(self):
        path = self.report({"name": "none", "observed": None})
        self.assertNotEqual(run(VERDICT, path, "none").returncode, 0)
        self.assertNotEqual(run(VERDICT, path, "capgate").returncode, 0)


class Matrix(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.scn = os.path.join(self.dir, "demo.scn")
        with open(self.scn, "w") as f:
            f.write(SCN)

    def cell(self, policy, result, evidence="  reach a -> b, trace line 3: ipc ..."):
        d = os.path.join(self.dir, "demo", policy)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "result"), "w") as f:
            f.write(result + "\n")
        with open(os.path.join(d, "evidence"), "w") as f:
            f.write(evidence + "\n")

    def matrix(self):
        return run(MATRIX, "--dir", self.dir, "--policies", "none capgate", self.scn)

    def test_all_expected_passes(self):
        self.cell("none", "demo none succeeded succeeded ok")
        self.cell("capgate", "demo capgate blocked blocked ok")
        r = self.matrix()
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("succeeded = succeeded", r.stdout)
        self.assertIn("- (blocked)", r.stdout)  # clans does not exist: expectation only
        md = open(os.path.join(self.dir, "matrix.md")).read()
        self.assertIn("trace line 3", md)
        rows = list(csv.DictReader(open(os.path.join(self.dir, "matrix.csv"))))
        self.assertEqual(len(rows), 5)
        none = [x for x in rows if x["backend"] == "none"][0]
        self.assertEqual((none["expected"], none["observed"], none["matches"]),
                         ("succeeded", "succeeded", "yes"))
        self.assertEqual([x for x in rows if x["backend"] == "clans"][0]["matches"], "")

    def test_unexpected_verdict_fails(self):
        self.cell("none", "demo none succeeded blocked UNEXPECTED")
        self.cell("capgate", "demo capgate blocked blocked ok")
        r = self.matrix()
        self.assertEqual(r.returncode, 1)
        self.assertIn("blocked != succeeded", r.stdout)

    def test_observed_not_permitted_fails(self):
        # the verdict is the declared one, but the kernel delivered what the setup forbids
        self.cell("none", "demo none succeeded succeeded ok")
        self.cell("capgate", "demo capgate blocked blocked UNSOUND",
                  "  observed-not-permitted: 1 delivered message(s) ...")
        r = self.matrix()
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("blocked = blocked, not permitted  <--", r.stdout)
        md = open(os.path.join(self.dir, "matrix.md")).read()
        self.assertIn("✗ observed-not-permitted", md)
        rows = list(csv.DictReader(open(os.path.join(self.dir, "matrix.csv"))))
        self.assertEqual([x for x in rows if x["backend"] == "capgate"][0]["matches"], "no")

    def test_failed_or_missing_run_fails(self):
        self.cell("none", "demo none succeeded error QEMU exit status 124")
        self.assertEqual(self.matrix().returncode, 1)
        os.remove(os.path.join(self.dir, "demo", "none", "result"))
        self.cell("capgate", "demo capgate blocked blocked ok")
        self.assertEqual(self.matrix().returncode, 1)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=0).result
    failed = len(result.failures) + len(result.errors)
    print("[  PASSED  ] %d test(s)." % (result.testsRun - failed))
    if failed:
        print("[  FAILED  ] %d test(s), listed below:" % failed)
    sys.exit(1 if failed else 0)
