# SPDX-License-Identifier: MIT
# libFuzzer harnesses beside the analyzer's fuzz-analyzer: the trace reader (fuzz-trace) and the
# IPC state machine of the host-built kernel core under each backend (fuzz-ipc); fuzz-smoke runs
# all three briefly (test.sh). Included by the top-level Makefile. FUZZ_SECONDS per target.

FUZZ_OUT := $(HOST)/fuzz
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_IPC_POLICIES := none capgate
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-tautological-constant-compare \
	-fno-omit-frame-pointer $(FUZZ_SAN) -Iinclude -I. -Ikernel -Ikernel/arch/$(ARCH) -Itests/unit -Itests/fuzz
# The kernel core (host_kernel.c aside) keeps its globals in sections the harness restores, and
# only it is instrumented for coverage (edges, not comparisons: the input names no magic values,
# and tracing the core's pool scans would halve the speed); the harness's loops would only add noise.
FUZZ_CORE_SRCS := $(filter-out tests/unit/host_kernel.c,$(KERNEL_CORE_FOR_HOST))
FUZZ_DEPS_OK := $(FUZZ_OUT)/.deps-ok

.PHONY: fuzz-ipc fuzz-trace fuzz-smoke fuzz-bins

$(FUZZ_DEPS_OK):
	@scripts/install-deps.sh --fuzz
	@mkdir -p $(dir $@) && touch $@

define fuzz_ipc_rules
$(FUZZ_OUT)/$(1)/core/%.c.o: %.c | $(FUZZ_DEPS_OK)
	@mkdir -p $$(dir $$@)
	@echo '  FUZZCC  $$<'
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp -Ipolicies/$(1) -include tests/fuzz/kcore_sections.h -MMD -MP -c $$< -o $$@

$(FUZZ_OUT)/$(1)/host/%.c.o: %.c | $(FUZZ_DEPS_OK)
	@mkdir -p $$(dir $$@)
	@echo '  FUZZCC  $$<'
	$(Q)clang $(FUZZ_CFLAGS) -Ipolicies/$(1) -MMD -MP -c $$< -o $$@

FUZZ_IPC_OBJS_$(1) := $(patsubst %,$(FUZZ_OUT)/$(1)/core/%.o,$(FUZZ_CORE_SRCS) $(wildcard policies/$(1)/*.c)) \
	$(patsubst %,$(FUZZ_OUT)/$(1)/host/%.o,tests/unit/host_kernel.c tests/unit/host_stubs.c \
	tests/fuzz/fuzz_ipc.c tests/fuzz/fuzz_policy_$(1).c)

$(FUZZ_OUT)/fuzz_ipc_$(1): $$(FUZZ_IPC_OBJS_$(1))
	@echo '  FUZZLD  $$@'
	$(Q)clang -fsanitize=fuzzer $(FUZZ_SAN) -o $$@ $$^ -lcmocka

-include $$(FUZZ_IPC_OBJS_$(1):.o=.d)
endef
$(foreach p,$(FUZZ_IPC_POLICIES),$(eval $(call fuzz_ipc_rules,$(p))))

FUZZ_IPC_BINS := $(patsubst %,$(FUZZ_OUT)/fuzz_ipc_%,$(FUZZ_IPC_POLICIES))

# One run per backend, each FUZZ_SECONDS, each with its own corpus (seeded from tests/fuzz/ipc).
fuzz-ipc: $(FUZZ_IPC_BINS)
	@for p in $(FUZZ_IPC_POLICIES); do mkdir -p $(FUZZ_OUT)/corpus-ipc-$$p; \
		echo "fuzz-ipc: backend $$p, $(FUZZ_SECONDS) s"; \
		$(FUZZ_OUT)/fuzz_ipc_$$p -max_total_time=$(FUZZ_SECONDS) -max_len=1024 -timeout=10 $(FUZZ_FLAGS) \
			-artifact_prefix=$(FUZZ_OUT)/ipc-$$p- $(FUZZ_OUT)/corpus-ipc-$$p tests/fuzz/ipc \
			|| exit 1; done

fuzz-bins: $(FUZZ_IPC_BINS) $(AN_FUZZ) $(AN_FUZZ_TRACE)

# A few seconds of each harness: the seeds and what grows from them must not crash.
fuzz-smoke: fuzz-bins
	@$(MAKE) --no-print-directory fuzz-analyzer FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) FUZZ_FLAGS=-print_final_stats=1
	@$(MAKE) --no-print-directory fuzz-trace FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) FUZZ_FLAGS=-print_final_stats=1
	@$(MAKE) --no-print-directory fuzz-ipc FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) FUZZ_FLAGS=-print_final_stats=1

HELP_LINES += "  fuzz-ipc      libFuzzer on the IPC path (host kernel core), every backend, FUZZ_SECONDS each"
HELP_LINES += "  fuzz-smoke    every fuzzer for FUZZ_SMOKE_SECONDS (5) each (run by test.sh)"
