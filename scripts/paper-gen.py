#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the paper's generated LaTeX fragments (tables, number macros) from the runs' CSVs."""
import argparse
import csv
import os
import re

DIGITS = "Zero One Two Three Four Five Six Seven Eight Nine".split()


def tex(s):
    """Escapes text for LaTeX."""
    out = []
    for ch in s:
        if ch in "&%$#_{}":
            out.append("\\" + ch)
        elif ch == "\\":
            out.append("\\textbackslash{}")
        elif ch == "~":
            out.append("\\textasciitilde{}")
        elif ch == "^":
            out.append("\\textasciicircum{}")
        elif ch in "<>|":
            out.append("\\textless{}" if ch == "<" else "\\textgreater{}" if ch == ">" else "\\textbar{}")
        else:
            out.append(ch)
    return "".join(out)


def macro_name(*parts):
    """A LaTeX macro name (letters only) from parts such as ('null', 'fast', 'capgate')."""
    name = ""
    for p in parts:
        for word in re.split(r"[^A-Za-z0-9]+", str(p)):
            word = "".join(DIGITS[int(c)] if c.isdigit() else c for c in word)
            name += word[:1].upper() + word[1:]
    return name


def read_csv(path):
    """Rows of a CSV whose '#' lines are comments; returns (comments, header, rows)."""
    comments, lines = [], []
    with open(path, newline="") as f:
        for line in f:
            (comments if line.startswith("#") else lines).append(line)
    rows = list(csv.reader(lines))
    return [c[1:].strip() for c in comments], rows[0], rows[1:]


def table(caption, label, header, rows, align=None):
    align = align or "l" + "r" * (len(header) - 1)
    out = ["\\begin{table}[t]", "\\centering\\small", "\\caption{%s}\\label{%s}" % (caption, label),
           "\\begin{tabular}{%s}" % align, "\\hline", " & ".join(header) + " \\\\", "\\hline"]
    out += [" & ".join(r) + " \\\\" for r in rows]
    out += ["\\hline", "\\end{tabular}", "\\end{table}", ""]
    return "\n".join(out)


def commit_of(comments):
    for c in comments:
        if c.startswith("commit "):
            return c.split()[1]
    return "unknown"


def gen_compare(cdir, out, macros):
    com, head, rows = read_csv(os.path.join(cdir, "ipc_words.csv"))
    macros.append(("CompareCommit", tex(commit_of(com)[:12])))
    backends = head[2:]
    macros.append(("NumBackends", str(len(backends))))
    macros.append(("BackendList", ", ".join("\\texttt{%s}" % tex(b) for b in backends)))
    trows = []
    for r in rows:
        trows.append([r[0], r[1]] + r[2:])
        for b, v in zip(backends, r[2:]):
            macros.append((macro_name("words", r[0], r[1], b), v))
    with open(os.path.join(out, "tab_words.tex"), "w") as f:
        f.write(table("Guest instructions per IPC round trip (call + reply-and-wait) against the "
                      "number of message words, fast and general path, trace compiled out.",
                      "tab:words", ["words", "path"] + ["\\texttt{%s}" % tex(b) for b in backends],
                      trows, "rl" + "r" * len(backends)))
    _, head, rows = read_csv(os.path.join(cdir, "ipc_items.csv"))
    with open(os.path.join(out, "tab_items.tex"), "w") as f:
        f.write(table("Guest instructions per round trip carrying items (one 4\\,KiB string; one "
                      "page mapped then unmapped) and through the IDL stubs.", "tab:items",
                      ["case"] + ["\\texttt{%s}" % tex(b) for b in head[1:]],
                      [["\\texttt{%s}" % tex(r[0])] + r[1:] for r in rows]))
    lpath = os.path.join(cdir, "linux.csv")
    if os.path.exists(lpath):
        _, _, rows = read_csv(lpath)
        for r in rows:
            macros.append((macro_name(r[0]), r[1]))
        with open(os.path.join(out, "tab_linux.tex"), "w") as f:
            f.write(table("Linux in the same QEMU, counted the same way (guest instructions).",
                          "tab:linux", ["case", "instructions"],
                          [["\\texttt{%s}" % tex(r[0]), r[1]] for r in rows]))
    else:
        with open(os.path.join(out, "tab_linux.tex"), "w") as f:
            f.write("% no Linux anchor in this run\n")
    bpath = os.path.join(cdir, "breakdown.csv")
    if os.path.exists(bpath):
        _, _, rows = read_csv(bpath)
        phases, bks, val = [], [], {}
        for r in rows:  # the phase names hold commas (unquoted): backend first, count last
            b, ph, n = r[0], ",".join(r[1:-1]), r[-1]
            if ph not in phases:
                phases.append(ph)
            if b not in bks:
                bks.append(b)
            val[(b, ph)] = n
            macros.append((macro_name("phase", ph, b), n))
        with open(os.path.join(out, "tab_breakdown.tex"), "w") as f:
            f.write(table("Where the instructions of one fast-path null round trip go, per phase "
                          "(single-stepped, attributed through the kernel's line table).",
                          "tab:breakdown", ["phase"] + ["\\texttt{%s}" % tex(b) for b in bks],
                          [[tex(p)] + [val.get((b, p), "--") for b in bks] for p in phases]))
    spath = os.path.join(cdir, "scale_tasks.csv")
    if os.path.exists(spath):
        _, head, rows = read_csv(spath)
        if rows:
            macros.append(("ScaleTasksMax", rows[-1][0]))
        with open(os.path.join(out, "tab_scale_tasks.tex"), "w") as f:
            f.write(table("Fast-path null round trip (guest instructions) against the number of "
                          "tasks in the system; the measured pair is the same.", "tab:scale-tasks",
                          ["tasks"] + ["\\texttt{%s}" % tex(b) for b in head[1:]], rows))
            f.write("\\begin{figure}[t]\\centering\\includegraphics[width=0.6\\linewidth]"
                    "{fig/scale_tasks.pdf}\\caption{Null round trip against tasks in the system, "
                    "backends side by side.}\\label{fig:scale-tasks}\\end{figure}\n")
    else:
        with open(os.path.join(out, "tab_scale_tasks.tex"), "w") as f:
            f.write("% no scaling run\n")
    extra = []
    for name in sorted(os.listdir(cdir)):
        m = re.match(r"backend_(.+)\.csv$", name)
        if not m:
            continue
        _, _, rows = read_csv(os.path.join(cdir, name))
        extra.append(table("Backend-specific costs of \\texttt{%s} (its \\texttt{bench/%s.sh})."
                           % (tex(m.group(1)), tex(m.group(1))), "tab:backend-" + m.group(1),
                           ["case", "instructions"], [["\\texttt{%s}" % tex(r[0]), r[1]] for r in rows]))
    with open(os.path.join(out, "tab_backends.tex"), "w") as f:
        f.write("\n".join(extra) if extra else "% no backend-specific experiments in this run\n")


def gen_matrix(path, out, macros):
    _, head, rows = read_csv(path)
    ix = {h: i for i, h in enumerate(head)}
    scen, bks, cell = [], [], {}
    for r in rows:
        s, b = r[ix["scenario"]], r[ix["backend"]]
        scen += [s] if s not in scen else []
        bks += [b] if b not in bks else []
        cell[(s, b)] = r
    agree = sum(1 for r in rows if r[ix["matches"]] == "yes")
    ran = sum(1 for r in rows if r[ix["observed"]])
    macros += [("MatrixScenarios", str(len(scen))), ("MatrixRuns", str(ran)), ("MatrixAgree", str(agree))]
    trows = []
    for s in scen:
        line = ["\\texttt{%s}" % tex(s)]
        for b in bks:
            r = cell.get((s, b))
            if not r or not r[ix["observed"]]:
                line.append("--")
            else:
                mark = "\\checkmark" if r[ix["matches"]] == "yes" else "$\\times$"
                line.append("%s %s" % (tex(r[ix["observed"]]), mark))
        trows.append(line)
    with open(os.path.join(out, "tab_matrix.tex"), "w") as f:
        f.write(table("Attack matrix: the verdict observed in each run (read from the kernel's IPC "
                      "trace); \\checkmark: it agrees with the declared expectation, $\\times$: it "
                      "does not; --: no run (backend not built).", "tab:matrix",
                      ["scenario"] + ["\\texttt{%s}" % tex(b) for b in bks], trows))
    ev = ["\\begin{description}\\footnotesize"]
    for s in scen:
        for b in bks:
            r = cell.get((s, b))
            if r and r[ix["observed"]] and r[ix["evidence"]]:
                ev.append("\\item[\\texttt{%s}/\\texttt{%s}] %s" % (tex(s), tex(b), tex(r[ix["evidence"]])))
    ev.append("\\end{description}")
    with open(os.path.join(out, "matrix_evidence.tex"), "w") as f:
        f.write("\n".join(ev) + "\n")


def gen_analyzer(path, out, macros):
    _, head, rows = read_csv(path)
    rows = [r for r in rows if len(r) == len(head)]
    if rows:
        macros.append(("AnalyzerMaxTasks", rows[-1][0]))
        macros.append(("AnalyzerMaxSeconds", rows[-1][2]))
    with open(os.path.join(out, "tab_analyzer.tex"), "w") as f:
        f.write(table("Analyzer (\\texttt{ipcan}) time and memory against the size of generated "
                      "scenarios.", "tab:analyzer", [tex(h) for h in head], rows))


def gen_graphs(backends, out):
    lines = []
    for b in backends:
        lines.append("\\includegraphics[width=\\linewidth,height=7.5cm,keepaspectratio]"
                     "{fig/graph_%s.pdf}\\\\\\texttt{%s}\\par\\medskip" % (b, tex(b)))
    with open(os.path.join(out, "fig_graphs.tex"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--compare", required=True)
    ap.add_argument("--matrix")
    ap.add_argument("--analyzer")
    ap.add_argument("--backends", default="")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    macros = []
    gen_compare(a.compare, a.out, macros)
    if a.matrix:
        gen_matrix(a.matrix, a.out, macros)
    if a.analyzer:
        gen_analyzer(a.analyzer, a.out, macros)
    gen_graphs(a.backends.split(), a.out)
    with open(os.path.join(a.out, "macros.tex"), "w") as f:
        seen = set()
        for name, val in macros:
            if name not in seen:
                seen.add(name)
                f.write("\\newcommand{\\%s}{%s}\n" % (name, val))


if __name__ == "__main__":
    main()
