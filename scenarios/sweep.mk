# SPDX-License-Identifier: MIT
# The authority sweep: the analyzer's model of each backend checked against the kernel.
#   make sweep [SCENARIO=x] [POLICY=y] [SWEEP_GEN=n]
# Every shipped scenario (or x) under every backend (or y) boots with the sweeper in every task
# (scripts/sweep.sh), plus n random setups from `ipcan gen` per backend (default 200, none with
# SCENARIO=x), packed several to a boot (scripts/sweep_gen.py); each boot's kernel-observed
# reachability is compared with `ipcan permitted` both ways (scripts/sweep_compare.py) and the
# tables per backend printed (scripts/sweep_table.py, build/sweep/sweep.md). A mismatch fails.
SWEEP_DIR := $(BUILD)/sweep
SWEEP_SCENARIOS := $(or $(SCENARIO),$(SCENARIO_NAMES))
SWEEP_POLICIES := $(if $(filter command line environment,$(origin POLICY)),$(POLICY),$(POLICIES))
SWEEP_GEN ?= $(if $(SCENARIO),0,200)
SWEEP_CHUNK := 20
SWEEP_CHUNKS := $(shell n=$(SWEEP_GEN); i=0; while [ $$((i * $(SWEEP_CHUNK))) -lt $$n ]; do echo $$i; i=$$((i + 1)); done)
SWEEP_CELLS := $(foreach s,$(SWEEP_SCENARIOS),$(foreach p,$(SWEEP_POLICIES),sweep-cell/$(s)/$(p))) \
	$(foreach c,$(SWEEP_CHUNKS),$(foreach p,$(SWEEP_POLICIES),sweep-gen/$(p)/$(c)))

.PHONY: sweep sweep-run sweep-selftest $(SWEEP_CELLS)

sweep:
	@$(MAKE) --no-print-directory all-policies analyzer
	@rm -rf $(SWEEP_DIR) && mkdir -p $(SWEEP_DIR)
	@echo "sweep: $(words $(SWEEP_SCENARIOS)) scenario(s) and $(SWEEP_GEN) generated setup(s) per backend, backends $(SWEEP_POLICIES)"
	@t0=$$(date +%s); $(MAKE) --no-print-directory sweep-run; \
	    echo "sweep: $$(find $(SWEEP_DIR) -name result | wc -l) boots in $$(( $$(date +%s) - t0 )) s"
	@scripts/sweep_table.py --dir $(SWEEP_DIR) --policies "$(SWEEP_POLICIES)"

sweep-run: $(SWEEP_CELLS)

# One shipped scenario under one backend: never fails the make (the table decides).
$(filter sweep-cell/%,$(SWEEP_CELLS)): sweep-cell/%:
	@s=$(word 1,$(subst /, ,$*)); p=$(word 2,$(subst /, ,$*)); \
	IPCAN=$(IPCAN) scripts/sweep.sh --quiet --build $(BUILD)/$$p --out $(SWEEP_DIR)/$$s/$$p $$s $$p; \
	printf '  %-16s %-8s %s\n' $$s $$p "$$(awk -F'\t' 'NR == 1 { print $$3 == "error" ? "error: " $$4 : $$10 }' \
	    $(SWEEP_DIR)/$$s/$$p/result)"

# SWEEP_CHUNK generated setups (seeds chunk * SWEEP_CHUNK on) under one backend, in as many
# boots as they need there.
$(filter sweep-gen/%,$(SWEEP_CELLS)): sweep-gen/%:
	@p=$(word 1,$(subst /, ,$*)); c=$(word 2,$(subst /, ,$*)); d=$(SWEEP_DIR)/gen/$$p/c$$c; \
	n=$$(( $(SWEEP_GEN) - c * $(SWEEP_CHUNK) )); [ $$n -le $(SWEEP_CHUNK) ] || n=$(SWEEP_CHUNK); \
	packs=$$(scripts/sweep_gen.py --ipcan $(IPCAN) --seed $$((c * $(SWEEP_CHUNK))) --count $$n \
	    --policy $$p -o $$d/scn) || exit 0; \
	for f in $$packs; do \
	    IPCAN=$(IPCAN) scripts/sweep.sh --quiet --build $(BUILD)/$$p --out $$d/$$(basename $$f .scn) $$f $$p; \
	done; \
	printf '  generated %-6s %-8s %d setups in %d boots: %s\n' c$$c $$p $$n $$(echo $$packs | wc -w) \
	    "$$(awk -F'\t' 'FNR == 1 { print $$3 == "error" ? "error" : $$10 }' $$d/*/result | sort | uniq -c | tr '\n' ' ')"

HELP_LINES += "  sweep         [SCENARIO=x] [POLICY=y] [SWEEP_GEN=n]: authority sweep, kernel-observed reachability vs ipcan permitted (tables per backend)"
