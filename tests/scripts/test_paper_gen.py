#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of scripts/paper-gen.py on fixture CSVs (tests/scripts/fixtures/paper): the macros carry
the CSVs' numbers, the tables have one column per backend, evidence is escaped, optional inputs
(Linux anchor) are absent without error, wall-time columns never reach a table, the scaling and
backend cost tables carry the runs' figures and the limits their headers name. CMocka-style summary lines for tests/run-all.sh."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEN = os.path.join(ROOT, "scripts", "paper-gen.py")
FIX = os.path.join(ROOT, "tests", "scripts", "fixtures", "paper")


class PaperGen(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.cmp = os.path.join(self.dir, "compare")
        os.makedirs(self.cmp)
        for f in ("ipc_words.csv", "ipc_items.csv", "breakdown.csv", "backend_capgate.csv", "scale_tasks.csv",
                  "scale_rights.csv", "revoke_fanout.csv", "backend_costs.csv"):
            shutil.copy(os.path.join(FIX, f), self.cmp)
        self.out = os.path.join(self.dir, "gen")
        r = subprocess.run([GEN, "--compare", self.cmp, "--matrix", os.path.join(FIX, "matrix.csv"),
                            "--analyzer", os.path.join(FIX, "analyzer.csv"), "--backends",
                            "capgate none", "--out", self.out], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def read(self, name):
        with open(os.path.join(self.out, name)) as f:
            return f.read()

    def test_macros_carry_the_numbers(self):
        m = self.read("macros.tex")
        self.assertIn("\\newcommand{\\WordsZeroFastNone}{300}", m)
        self.assertIn("\\newcommand{\\WordsZeroFastCapgate}{290}", m)
        self.assertIn("\\newcommand{\\WordsSixFourGeneralNone}{910}", m)
        self.assertIn("\\newcommand{\\PhasePolicyCapgate}{7}", m)
        self.assertIn("\\newcommand{\\PhaseContextFSCRThreeCapgate}{38}", m)
        self.assertIn("\\newcommand{\\CompareCommit}{0123456789ab}", m)
        self.assertIn("\\newcommand{\\MatrixRuns}{2}", m)
        self.assertIn("\\newcommand{\\AnalyzerMaxTasks}{10000}", m)

    def test_tables(self):
        w = self.read("tab_words.tex")
        self.assertIn("0 & fast & 290 & 300 \\\\", w)
        self.assertIn("\\texttt{capgate} & \\texttt{none}", w)
        self.assertIn("delegate\\_then\\_revoke} & 1234", self.read("tab_backends.tex"))
        st = self.read("tab_scale_tasks.tex")
        self.assertIn("24 & 291 & 301 \\\\", st)
        self.assertIn("fig/scale_tasks.pdf", st)
        mx = self.read("tab_matrix.tex")
        self.assertIn("\\texttt{cap\\_leak} & succeeded \\checkmark & blocked \\checkmark & --", mx)

    def test_wall_time_is_never_a_result(self):
        w = self.read("tab_words.tex")
        self.assertNotIn("wall", w)
        self.assertNotIn("1.25", w)
        self.assertNotIn("0.77", self.read("tab_scale_rights.tex"))
        self.assertNotIn("1.25", self.read("tab_costs.tex"))

    def test_scaling_tables_and_macros(self):
        m = self.read("macros.tex")
        self.assertIn("\\newcommand{\\HeldSpreadCapgate}{3}", m)
        self.assertIn("\\newcommand{\\HeldMaxNCapgate}{250}", m)
        self.assertIn("\\newcommand{\\HeldAsked}{10000}", m)
        self.assertIn("\\newcommand{\\HeldVerdict}{changes with}", m)  # 282 .. 285 in the fixture
        # (43987 - 339) / (249 - 1) = 176.0
        self.assertIn("\\newcommand{\\FanoutPerRightCapgate}{176}", m)
        self.assertIn("\\newcommand{\\FanoutPerRightCapgateChain}{173}", m)
        self.assertIn("\\newcommand{\\FanoutPerRightPorts}{--}", m)  # no ports run: a default
        r = self.read("tab_scale_rights.tex")
        self.assertIn("250 & 285 \\\\", r)
        self.assertIn("CAP\\_SLOTS 256", r)
        self.assertIn("\\texttt{none}: n/a", r)
        self.assertIn("fig/scale_rights.pdf", r)
        self.assertIn("249 & 43987 & 43243 \\\\", self.read("tab_revoke_fanout.tex"))

    def test_backend_cost_tables(self):
        c = self.read("tab_costs.tex")
        self.assertIn("tab:cost-capgate", c)
        self.assertIn("name\\_give: a derived capability) & 935 & 3.2 \\\\", c)
        self.assertIn("the one capability derived from a gate & 339 & 1.2", c)
        self.assertIn("\\newcommand{\\CostCapgateCapgateNameGiveDerive}{935}", self.read("macros.tex"))

    def test_evidence_escaped_and_linux_optional(self):
        ev = self.read("matrix_evidence.tex")
        self.assertIn("a -\\textgreater{} b delivered \\& 100\\%", ev)
        self.assertNotIn("clans", ev)
        self.assertTrue(self.read("tab_linux.tex").startswith("%"))
        self.assertIn("fig/graph_none.pdf", self.read("fig_graphs.tex"))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=0).result
    failed = len(result.failures) + len(result.errors)
    print("[  PASSED  ] %d test(s)." % (result.testsRun - failed))
    if failed:
        print("[  FAILED  ] %d test(s), listed below:" % failed)
    sys.exit(1 if failed else 0)
