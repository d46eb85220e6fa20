#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks a serial log against an expect file: each line must occur after the previous one
(in order, possibly on the same log line); a line starting with '!' must occur nowhere;
blank lines and '#' comments are ignored. Prints why on failure and exits 1."""
import sys


def main(log_path, expect_path):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        log = f.read().replace("\r", "")
    pos = 0
    with open(expect_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if line.startswith("!"):
                if line[1:] in log:
                    print(f"forbidden output present (expect line {number}): {line[1:]}")
                    return 1
                continue
            found = log.find(line, pos)
            if found < 0:
                where = "anywhere" if log.find(line) < 0 else "after the previous expectation"
                print(f"missing {where} (expect line {number}): {line}")
                return 1
            pos = found + len(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
