# SPDX-License-Identifier: MIT
# The in-tree syscall fuzzer (user/bin/sysfuzz.c supervises, fuzzworker fuzzes, fuzzchild is
# what workers spawn), run in QEMU; deterministic per seed (-icount).
#   make fuzz-kernel POLICY=x SEED=n CALLS=n [VERBOSE=1]   one run; VERBOSE prints every call
#   make fuzz-kernel-long                                   FUZZ_LONG_SEEDS x FUZZ_LONG_CALLS per backend
# The short campaign CI runs is three boot tests per backend (tests/boot/sysfuzz_*).
SEED ?= 1
CALLS ?= 20000
FUZZ_TIMEOUT ?= 900
FUZZ_LONG_SEEDS ?= 1 2 3 4 5 6 7 8
FUZZ_LONG_CALLS ?= 250000

.PHONY: fuzz-kernel fuzz-kernel-long

fuzz-kernel: all
	@tests/fuzz/fuzz-kernel.sh --build $(OUT) --calls $(CALLS) --timeout $(FUZZ_TIMEOUT) \
	    $(if $(filter 1,$(VERBOSE)),--verbose) $(SEED)

# Every backend; the runs of one backend two at a time. Prints calls/panics/hangs/leaks per
# backend and fails if any run failed (the failing runs' reproducers are printed).
fuzz-kernel-long: all-policies
	@fail=0; for p in $(POLICIES); do \
	    tests/fuzz/fuzz-kernel.sh --build $(BUILD)/$$p --calls $(FUZZ_LONG_CALLS) \
	        --timeout $(FUZZ_TIMEOUT) -j 2 $(FUZZ_LONG_SEEDS) || fail=1; \
	done; exit $$fail

HELP_LINES += "  fuzz-kernel   POLICY=x SEED=n CALLS=n [VERBOSE=1]: one syscall-fuzzer run in QEMU" \
	"  fuzz-kernel-long  $(words $(FUZZ_LONG_SEEDS)) seeds x $(FUZZ_LONG_CALLS) fuzzed calls per backend: calls, panics, hangs, leaks"
