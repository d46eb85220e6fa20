# SPDX-License-Identifier: MIT
# `make compare` (every backend's IPC costs: CSVs + plots) and `make paper` (papers/build/paper.pdf,
# every table and figure regenerated from runs; reruns only what is stale).
CMP_DIR := $(BUILD)/compare
PAPER_DIR := papers/build
GUEST_SOURCES := $(shell find kernel policies user include monitor -name '*.[chS]' 2>/dev/null)
PAPER_SOURCES := $(GUEST_SOURCES) scripts/bench-ipc.sh scripts/bench-breakdown.sh scripts/compare.sh scripts/compare-plot.sh scripts/compare-scale.sh
PAPER_GRAPH_SCENARIO := unauth_send

.PHONY: compare paper compare-build
compare-build:
	@for p in $(POLICIES); do $(MAKE) --no-print-directory POLICY=$$p IPC_TRACE=0 all || exit 1; done

# One QEMU at a time (the machine is shared): the script runs the backends one after the other.
compare: compare-build
	@scripts/compare.sh $(BUILD) $(CMP_DIR) $(POLICIES)

$(CMP_DIR)/ipc_words.csv: $(PAPER_SOURCES) $(wildcard bench/*.sh)
	@$(MAKE) --no-print-directory compare

$(BUILD)/attacks/matrix.csv: $(GUEST_SOURCES) $(wildcard scenarios/*.scn scenarios/*.mk analyzer/*.c scripts/attack*)
	@$(MAKE) --no-print-directory attacks

$(PAPER_DIR)/analyzer_bench.csv: $(wildcard analyzer/*.c analyzer/*.h)
	@mkdir -p $(PAPER_DIR)
	@$(MAKE) --no-print-directory analyzer
	@$(MAKE) --no-print-directory -s bench-analyzer > $@.tmp && grep -E '^(tasks,|[0-9])' $@.tmp > $@ && rm -f $@.tmp

# The declared/permitted/observed graph of one scenario per backend, as PDF for LaTeX.
$(PAPER_DIR)/graphs.stamp: $(BUILD)/attacks/matrix.csv
	@$(MAKE) --no-print-directory attack-graphs SCENARIO=$(PAPER_GRAPH_SCENARIO)
	@mkdir -p $(PAPER_DIR)/fig
	@for p in $(POLICIES); do d=$(BUILD)/attacks/$(PAPER_GRAPH_SCENARIO)/$$p; \
	    dot -Tpdf $$d/graph.dot -o $(PAPER_DIR)/fig/graph_$$p.pdf || exit 1; done
	@touch $@

paper: $(PAPER_DIR)/paper.pdf
$(PAPER_DIR)/paper.pdf: papers/paper.tex papers/refs.bib scripts/paper-gen.py $(CMP_DIR)/ipc_words.csv \
		$(BUILD)/attacks/matrix.csv $(PAPER_DIR)/analyzer_bench.csv $(PAPER_DIR)/graphs.stamp
	@command -v pdflatex >/dev/null || { echo "paper: pdflatex is missing (scripts/install-deps.sh --paper)" >&2; exit 1; }
	@mkdir -p $(PAPER_DIR)/gen $(PAPER_DIR)/fig
	@cp $(CMP_DIR)/*.pdf $(PAPER_DIR)/fig/
	@scripts/paper-gen.py --compare $(CMP_DIR) --matrix $(BUILD)/attacks/matrix.csv \
		--analyzer $(PAPER_DIR)/analyzer_bench.csv --backends "$(POLICIES)" --out $(PAPER_DIR)/gen
	@cp papers/paper.tex papers/refs.bib $(PAPER_DIR)/
	@cd $(PAPER_DIR) && { pdflatex -interaction=nonstopmode -halt-on-error paper.tex && bibtex paper \
		&& pdflatex -interaction=nonstopmode -halt-on-error paper.tex \
		&& pdflatex -interaction=nonstopmode -halt-on-error paper.tex; } > latex.log 2>&1 \
		|| { tail -30 $(CURDIR)/$(PAPER_DIR)/latex.log >&2; exit 1; }
	@echo "paper: $@"

HELP_LINES += "  compare       every backend's IPC costs, scaling (tasks, rights held, revocation fan-out) and own costs: CSVs + gnuplot plots in $(CMP_DIR)/"
HELP_LINES += "  paper         papers/build/paper.pdf, every table and figure regenerated from (stale) runs"
