# SPDX-License-Identifier: MIT
# Attack scenarios: one run per (scenario, backend), a verdict read from the kernel's trace.
#   make attack SCENARIO=x [POLICY=y]   one run, its verdict and the trace events behind it
#   make attacks [-j N]                 every scenario under every backend that exists: matrix
SCENARIO_FILES := $(sort $(wildcard scenarios/*/*.scn))
SCENARIO_NAMES := $(basename $(notdir $(SCENARIO_FILES)))
ATTACK_DIR := $(BUILD)/attacks
ATTACK_CELLS := $(foreach s,$(SCENARIO_NAMES),$(foreach p,$(POLICIES),attack-cell/$(s)/$(p)))

.PHONY: attack attacks attacks-build attacks-run $(ATTACK_CELLS)

attack: all analyzer
	@if [ -z "$(SCENARIO)" ]; then \
	    echo "make attack: give SCENARIO=<name>, one of: $(SCENARIO_NAMES)" >&2; exit 2; fi
	@scripts/attack.sh --build $(OUT) $(SCENARIO) $(POLICY)

# Build every backend first, then run the cells in parallel (make -j), then the matrix.
attacks:
	@$(MAKE) --no-print-directory all-policies analyzer
	@rm -rf $(ATTACK_DIR) && mkdir -p $(ATTACK_DIR)
	@echo "attacks: $(words $(ATTACK_CELLS)) runs ($(words $(SCENARIO_NAMES)) scenarios x backends $(POLICIES))"
	@$(MAKE) --no-print-directory attacks-run
	@scripts/attack_matrix.py --dir $(ATTACK_DIR) --policies "$(POLICIES)" $(SCENARIO_FILES)

attacks-run: $(ATTACK_CELLS)

# One cell: never fails the make (the matrix decides); prints a progress line.
$(ATTACK_CELLS): attack-cell/%:
	@s=$(word 1,$(subst /, ,$*)); p=$(word 2,$(subst /, ,$*)); \
	scripts/attack.sh --quiet --progress $(words $(ATTACK_CELLS)) --build $(BUILD)/$$p \
	    --out $(ATTACK_DIR)/$$s/$$p $$s $$p || true

HELP_LINES += "  attack        SCENARIO=x [POLICY=y]: build, boot, trace and judge one attack scenario" \
	"  attacks       every scenario under every backend (make -j N attacks): the matrix"

# The communication graphs of one scenario as its runs showed them, one per backend:
# declared, permitted and observed edges (violations in red), from each run's trace.
GRAPH_SCENARIO ?= $(or $(SCENARIO),unauth_send)
attack-graphs: analyzer
	@for p in $(POLICIES); do \
	    d=$(ATTACK_DIR)/$(GRAPH_SCENARIO)/$$p; \
	    if [ ! -s $$d/trace.txt ]; then \
	        echo "attack-graphs: no run of $(GRAPH_SCENARIO) under $$p; make attack SCENARIO=$(GRAPH_SCENARIO) POLICY=$$p first" >&2; \
	        exit 2; fi; \
	    $(IPCAN) dot --no-z3 -p $$p -t $$d/trace.txt -o $$d/graph.dot $(GRAPH_SCENARIO); \
	    [ $$? -le 1 ] || exit 2; \
	    dot -Tsvg $$d/graph.dot -o $$d/graph.svg && dot -Tpng $$d/graph.dot -o $$d/graph.png || exit 2; \
	    echo "graph: $$d/graph.svg (and .png)"; \
	done
.PHONY: attack-graphs
HELP_LINES += "  attack-graphs [SCENARIO=x]  SVG/PNG communication graphs of x's runs, one per backend"
