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


def drop_wall(header, rows):
    """Leaves out the wall_s columns (host seconds: a secondary figure, never a result)."""
    keep = [i for i, h in enumerate(header) if not h.startswith("wall_s")]
    return [header[i] for i in keep], [[r[i] for i in keep if i < len(r)] for r in rows]


def table(caption, label, header, rows, align=None):
    align = align or "l" + "r" * (len(header) - 1)
    out = ["\\begin{table}[tbp]", "\\centering\\small", "\\caption{%s}\\label{%s}" % (caption, label),
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
    head, rows = drop_wall(head, rows)
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
    head, rows = drop_wall(head, rows)
    with open(os.path.join(out, "tab_items.tex"), "w") as f:
        f.write(table("Guest instructions per round trip carrying items (one 4\\,KiB string; one "
                      "page mapped then unmapped) and through the IDL stubs.", "tab:items",
                      ["case"] + ["\\texttt{%s}" % tex(b) for b in head[1:]],
                      [["\\texttt{%s}" % tex(r[0])] + r[1:] for r in rows]))
    lpath = os.path.join(cdir, "linux.csv")
    if os.path.exists(lpath):
        _, head, rows = read_csv(lpath)
        head, rows = drop_wall(head, rows)
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
        _, head, rows = read_csv(bpath)
        wall = 1 if head and head[-1].startswith("wall_s") else 0
        phases, bks, val = [], [], {}
        for r in rows:  # the phase names hold commas (unquoted): backend first, count last
            r = r[:len(r) - wall]
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
        head, rows = drop_wall(head, rows)
        if rows:
            macros.append(("ScaleTasksMax", rows[-1][0]))
        with open(os.path.join(out, "tab_scale_tasks.tex"), "w") as f:
            f.write(table("Fast-path null round trip (guest instructions) against the number of "
                          "tasks in the system; the measured pair is the same.", "tab:scale-tasks",
                          ["tasks"] + ["\\texttt{%s}" % tex(b) for b in head[1:]], rows))
            f.write("\\begin{figure}[tbp]\\centering\\includegraphics[width=0.6\\linewidth]"
                    "{fig/scale_tasks.pdf}\\caption{Null round trip against tasks in the system, "
                    "backends side by side.}\\label{fig:scale-tasks}\\end{figure}\n")
    else:
        with open(os.path.join(out, "tab_scale_tasks.tex"), "w") as f:
            f.write("% no scaling run\n")
    extra = []
    for name in sorted(os.listdir(cdir)):
        m = re.match(r"backend_(.+)\.csv$", name)
        if not m or m.group(1) == "costs":  # backend_costs.csv: gen_backend_costs' own table
            continue
        _, head, rows = read_csv(os.path.join(cdir, name))
        head, rows = drop_wall(head, rows)
        extra.append(table("Backend-specific costs of \\texttt{%s} (its \\texttt{bench/%s.sh})."
                           % (tex(m.group(1)), tex(m.group(1))), "tab:backend-" + m.group(1),
                           ["case", "instructions"], [["\\texttt{%s}" % tex(r[0]), r[1]] for r in rows]))
    with open(os.path.join(out, "tab_backends.tex"), "w") as f:
        f.write("\n".join(extra) if extra else "% no backend-specific experiments in this run\n")


SCALE = {  # file: (n's name, caption, label, x label of the macros)
    "scale_rights": ("rights held", "Fast-path null round trip (guest instructions) against the "
                     "rights the caller holds besides the one it calls through.", "held"),
    "revoke_fanout": ("derived rights", "One revocation (guest instructions, best of three) "
                      "against the number of derived rights it takes away.", "fanout"),
}


def limits_text(comments):
    """The header's per-backend limits ('limit b: n (status); bounded by ...', 'b: n/a ...')."""
    out = []
    for c in comments:
        m = re.match(r"limit (\S+): (.*)$", c)
        if m:
            out.append("\\texttt{%s}: %s" % (tex(m.group(1)), tex(m.group(2))))
        elif re.match(r"\S+: n/a", c):
            b, rest = c.split(":", 1)
            out.append("\\texttt{%s}:%s" % (tex(b), tex(rest)))
    return "; ".join(out)


def gen_scale(cdir, out, macros):
    """The scaling tables and figures (compare-scale.sh), with macros for the text: per backend
    the spread of the round trip over the rights held, the limit reached, and the cost of one
    revocation per derived right (the slope from the first point to the last)."""
    for name, (nname, caption, key) in SCALE.items():
        path = os.path.join(cdir, name + ".csv")
        frag = os.path.join(out, "tab_%s.tex" % name)
        if not os.path.exists(path):
            with open(frag, "w") as f:
                f.write("%% no %s run\n" % name)
            continue
        com, head, rows = read_csv(path)
        head, rows = drop_wall(head, rows)
        what = [c for c in com if c.startswith(("rights held:", "revocation:"))]
        for i, b in enumerate(head[1:], 1):
            pts = [(int(r[0]), int(r[i])) for r in rows if r[i].isdigit()]
            if not pts:
                continue
            tag = b.replace("_", " ")
            macros.append((macro_name(key, "max n", tag), str(pts[-1][0])))
            macros.append((macro_name(key, "at max", tag), str(pts[-1][1])))
            macros.append((macro_name(key, "first", tag), str(pts[0][1])))
            vals = [v for _, v in pts]
            macros.append((macro_name(key, "spread", tag), str(max(vals) - min(vals))))
            if pts[-1][0] > pts[0][0]:
                slope = (pts[-1][1] - pts[0][1]) / (pts[-1][0] - pts[0][0])
                macros.append((macro_name(key, "per right", tag), "%.0f" % slope))
        if key == "held":  # the verdict the text states, from the data, not typed
            spreads = []
            for i in range(1, len(head)):
                vals = [int(r[i]) for r in rows if r[i].isdigit()]
                spreads += [max(vals) - min(vals)] if vals else []
            flat = bool(spreads) and max(spreads) == 0
            macros.append(("HeldVerdict", "does not change with" if flat else "changes with"))
        asked = [c.split(" to ")[-1] for c in com if c.startswith("asked for:")]
        cap = caption + " " + tex(" ".join(what)) + ". Each series asks for 1 to %s and ends " \
            "where the backend's pool or quota stops it: " % (asked[0] if asked else "?") \
            + limits_text(com) + "."
        macros.append((macro_name(key, "asked"), asked[0] if asked else "?"))
        with open(frag, "w") as f:
            cap += " n/a: no figure at that point (beyond the backend's pool, or a point of " \
                "another backend's series)."
            f.write(table(cap, "tab:" + name, [nname] + ["\\texttt{%s}" % tex(b) for b in head[1:]],
                          rows, "r" * len(head)))
            f.write("\\begin{figure}[tbp]\\centering\\includegraphics[width=0.7\\linewidth]"
                    "{fig/%s.pdf}\\caption{%s, backends side by side (data: "
                    "Table~\\ref{tab:%s}).}\\label{fig:%s}\\end{figure}\n"
                    % (name, caption.rstrip("."), name, name))


# The backend-specific cost tables: which experiment each backend's table shows, and each case.
COST_TITLE = {
    "clans": "cross-clan IPC through one and two chiefs (real chief threads forwarding)",
    "ports": "queued messages against handoff: a call is a round trip whose receiver waits "
             "(direct rendezvous), a queued row is a send into a port nobody waits on plus the "
             "receive that takes it (two copies)",
    "refmon": "first contact against a cached right, and revoking then contacting again",
    "capgate": "delegation and revocation of a gate capability",
}
COST_CASE = {
    "ipc_call_0_words": "null call (round trip), fast path",
    "ipc_call_0_words_general_path": "null call, general path (right cached)",
    "clans_intra_clan_null_rt": "null call inside a clan",
    "clans_one_chief_null_rt": "null call to another clan through one chief",
    "clans_two_chiefs_null_rt": "null call to another clan through two chiefs",
    "ipc_call_copy_send_right": "call carrying a copy of a send right (handoff)",
    "queued_send_copy_send_right_then_receive": "queued send carrying a send right, then receive",
    "refmon_first_contact": "first contact: fault to the monitor, its grant, the retry",
    "refmon_revoke_then_recontact": "unmap of the right, then the call that faults again",
    "capgate_name_give_derive": "delegation to oneself (name\\_give: a derived capability)",
    "capgate_name_drop_derived": "name\\_drop of a derived capability",
    "capgate_call_delegating_gate_then_unmap": "call mapping the gate to the server, then unmap",
    "ipc_call_map_1_page_then_unmap": "call mapping one memory page, then unmap (for comparison)",
}
COST_REVOKE = {
    "capgate": "unmap revoking the one capability derived from a gate",
    "ports": "port death turning one send-once right into a dead name",
    "refmon": "unmap taking one right mapped on to the server",
}


def words(n):
    return "%s word%s" % (n, "" if n == "1" else "s")


def cost_case(backend, case):
    m = re.match(r"ipc_call_(\d+)_words$", case)
    if m and backend == "ports":
        return "call with %s (handoff, round trip)" % words(m.group(1))
    m = re.match(r"queued_send_then_receive_(\d+)_words$", case)
    if m:
        return "queued send of %s, then receive" % words(m.group(1))
    if case.startswith("revoke_fanout_"):
        return COST_REVOKE.get(backend, tex(case))
    return COST_CASE.get(case, "\\texttt{%s}" % tex(case))


def gen_backend_costs(cdir, out, macros):
    path = os.path.join(cdir, "backend_costs.csv")
    frag = os.path.join(out, "tab_costs.tex")
    if not os.path.exists(path):
        with open(frag, "w") as f:
            f.write("% no backend cost run\n")
        return
    _, head, rows = read_csv(path)
    ix = {h: i for i, h in enumerate(head)}
    null = {}
    _, whead, wrows = read_csv(os.path.join(cdir, "ipc_words.csv"))
    for r in wrows:
        if r[0] == "0" and r[1] == "fast":
            null = dict(zip(whead[2:], r[2:]))
    parts = []
    for b in [b for b in COST_TITLE if any(r[ix["backend"]] == b for r in rows)]:
        trows = []
        for r in rows:
            if r[ix["backend"]] != b:
                continue
            v, case = r[ix["instructions"]], r[ix["case"]]
            macros.append((macro_name("cost", b, case), v))
            ratio = "%.1f" % (int(v) / int(null[b])) if v.isdigit() and null.get(b, "").isdigit() else "--"
            trows.append([cost_case(b, case), v, ratio])
        parts.append(table("\\texttt{%s}: %s. Guest instructions; the last column divides by "
                           "the backend's null call on the fast path." % (b, COST_TITLE[b]),
                           "tab:cost-" + b, ["operation", "instructions", "$\\times$ null call"],
                           trows, "lrr"))
    with open(frag, "w") as f:
        f.write("\n".join(parts))


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


def graph_aspect(path):
    """Height over width of a PDF's first page (its /MediaBox), 0 if it cannot be read: a tall
    graph gets more of the page, so that its labels stay legible."""
    try:
        with open(path, "rb") as f:
            m = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", f.read())
    except OSError:
        return 0
    if not m:
        return 0
    x0, y0, x1, y1 = (float(v) for v in m.groups())
    return (y1 - y0) / (x1 - x0) if x1 > x0 else 0


def gen_graphs(backends, out):
    """One figure per backend's graph at the full text width (a whole figure of several graphs
    would shrink their labels below legibility); the first and last carry the labels the text
    refers to (fig:graphs-first, fig:graphs-last)."""
    lines = []
    for i, b in enumerate(backends):
        height = "0.62" if graph_aspect(os.path.join(os.path.dirname(out), "fig",
                                                    "graph_%s.pdf" % b)) > 0.8 else "0.42"
        label = "\\label{fig:graphs-first}" if i == 0 else ""
        label += "\\label{fig:graphs-last}" if i == len(backends) - 1 else ""
        lines.append("\\begin{figure}[tbp]\\centering\\includegraphics[width=\\linewidth,"
                     "height=%s\\textheight,keepaspectratio]{fig/graph_%s.pdf}"
                     "\\caption{Scenario \\texttt{unauth\\_send} under \\texttt{%s}: declared, "
                     "permitted and observed channels (\\texttt{ipcan dot} on the run's trace).}%s"
                     "\\end{figure}" % (height, b, tex(b), label))
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
    gen_scale(a.compare, a.out, macros)
    gen_backend_costs(a.compare, a.out, macros)
    if a.matrix:
        gen_matrix(a.matrix, a.out, macros)
    if a.analyzer:
        gen_analyzer(a.analyzer, a.out, macros)
    gen_graphs(a.backends.split(), a.out)
    # The macros the text names for backends a run may lack: "--" rather than a LaTeX error.
    macros.append(("HeldVerdict", "(not measured in this run) against"))
    for key in ("held", "fanout"):
        macros.append((macro_name(key, "asked"), "--"))
        for b in ("capgate", "capgate chain", "ports", "refmon"):
            for what in ("max n", "at max", "first", "spread", "per right"):
                macros.append((macro_name(key, what, b), "--"))
    for b, cases in (("clans", ("clans_one_chief_null_rt", "clans_two_chiefs_null_rt",
                                "clans_intra_clan_null_rt")),
                     ("ports", ("queued_send_then_receive_1_words", "ipc_call_1_words")),
                     ("refmon", ("refmon_first_contact", "ipc_call_0_words",
                                 "refmon_revoke_then_recontact")),
                     ("capgate", ("capgate_name_give_derive",
                                  "capgate_call_delegating_gate_then_unmap"))):
        for c in cases:
            macros.append((macro_name("cost", b, c), "--"))
    with open(os.path.join(a.out, "macros.tex"), "w") as f:
        seen = set()
        for name, val in macros:
            if name not in seen:
                seen.add(name)
                f.write("\\newcommand{\\%s}{%s}\n" % (name, val))


if __name__ == "__main__":
    main()
