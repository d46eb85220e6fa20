# SPDX-License-Identifier: MIT
# The host-side analyzer (ipcan), its CMocka tests, graphs, benchmark and fuzzer.
# Included by the top-level Makefile; also works alone: make -f analyzer/analyzer.mk <target>.

BUILD ?= build
CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
POLICY ?= none
FUZZ_SECONDS ?= 60

AN_HOST := $(BUILD)/host
AN_OUT := $(AN_HOST)/analyzer
AN_TEST_OUT := $(AN_HOST)/tests/analyzer
AN_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -Ianalyzer -Iinclude
# `contract NAME from idl "FILE"` uses the IDL compiler's parser and contract generator.
AN_IDL_SRCS := tools/idl/idl_parse.c tools/idl/idl_gen_doc.c
AN_SRCS := $(filter-out analyzer/main.c analyzer/fuzz_parse.c analyzer/fuzz_trace.c,$(wildcard analyzer/*.c)) \
	$(AN_IDL_SRCS)
AN_OBJS := $(patsubst tools/idl/%.c,$(AN_OUT)/obj/%.o,$(patsubst analyzer/%.c,$(AN_OUT)/obj/%.o,$(AN_SRCS)))
AN_LIB := $(AN_OUT)/libipcan.a
IPCAN := $(AN_OUT)/ipcan
AN_TESTS := $(basename $(notdir $(wildcard tests/analyzer/test_*.c)))
ANALYZER_TEST_BINS := $(patsubst %,$(AN_TEST_OUT)/%,$(AN_TESTS))
AN_SCENARIOS := $(sort $(basename $(notdir $(wildcard scenarios/*/*.scn))))

.PHONY: analyzer analyzer-tests test-analyzer graph analyze bench-analyzer fuzz-analyzer fuzz-trace

analyzer: $(IPCAN)

$(AN_OUT)/obj/%.o: analyzer/%.c $(wildcard analyzer/*.h)
	@mkdir -p $(dir $@)
	@echo '  HOSTCC  $<'
	@$(CC) $(AN_CFLAGS) -c $< -o $@

$(AN_OUT)/obj/idl_%.o: tools/idl/idl_%.c tools/idl/idl.h
	@mkdir -p $(dir $@)
	@echo '  HOSTCC  $<'
	@$(CC) $(AN_CFLAGS) -c $< -o $@

# Scenario names resolve from this tree's scenarios/, wherever ipcan runs.
$(AN_OUT)/obj/main.o: AN_CFLAGS += -DAN_SRC_ROOT='"$(CURDIR)"'

$(AN_LIB): $(AN_OBJS)
	@rm -f $@ && ar rcs $@ $^

$(IPCAN): $(AN_OUT)/obj/main.o $(AN_LIB)
	@echo '  HOSTLD  $@'
	@$(CC) -o $@ $^

# Every test binary links the analyzer library; tests that run the CLI find it through IPCAN.
$(AN_TEST_OUT)/%: tests/analyzer/%.c tests/analyzer/an_test.h $(AN_LIB) | $(IPCAN)
	@mkdir -p $(dir $@)
	@echo '  HOSTCC  $@'
	@$(CC) $(AN_CFLAGS) -Itests/analyzer -DIPCAN_BIN='"$(abspath $(IPCAN))"' \
		-DSRC_ROOT='"$(CURDIR)"' -o $@ $< $(AN_LIB) -lcmocka

analyzer-tests: $(ANALYZER_TEST_BINS)

test-analyzer: analyzer-tests
	@fail=0; for t in $(ANALYZER_TEST_BINS); do $$t || fail=1; done; exit $$fail

analyze: $(IPCAN)
	@if [ -z "$(SCENARIO)" ]; then echo "SCENARIO is not set; scenarios: $(AN_SCENARIOS)"; exit 2; fi
	@$(IPCAN) report $(if $(filter command line,$(origin POLICY)),-p $(POLICY)) \
		$(if $(TRACE),-t $(TRACE)) $(SCENARIO); rc=$$?; [ $$rc -le 1 ] || exit $$rc

graph: $(IPCAN)
	@if [ -z "$(SCENARIO)" ]; then echo "SCENARIO is not set; scenarios: $(AN_SCENARIOS)"; exit 2; fi
	@mkdir -p $(BUILD)/graphs
	@$(IPCAN) dot -p $(POLICY) $(if $(TRACE),-t $(TRACE)) -o $(BUILD)/graphs/$(SCENARIO)-$(POLICY).dot \
		$(SCENARIO); rc=$$?; [ $$rc -le 1 ] || exit $$rc
	dot -Tsvg $(BUILD)/graphs/$(SCENARIO)-$(POLICY).dot -o $(BUILD)/graphs/$(SCENARIO)-$(POLICY).svg
	dot -Tpng $(BUILD)/graphs/$(SCENARIO)-$(POLICY).dot -o $(BUILD)/graphs/$(SCENARIO)-$(POLICY).png
	@echo "wrote $(BUILD)/graphs/$(SCENARIO)-$(POLICY).{dot,svg,png}"

# tasks,channels pairs; the last is the target size (10,000 tasks, 100,000 channels).
BENCH_SIZES ?= 100:1000 1000:10000 2500:25000 5000:50000 10000:100000
bench-analyzer: $(IPCAN)
	@mkdir -p $(AN_OUT)/bench
	@echo "tasks,channels,seconds,max_rss_kb"
	@for sz in $(BENCH_SIZES); do t=$${sz%%:*}; c=$${sz##*:}; f=$(AN_OUT)/bench/gen_$${t}_$${c}.scn; \
		$(IPCAN) gen --tasks $$t --channels $$c --seed 1 --give 10 > $$f || exit 2; \
		$(IPCAN) bench $$f || exit 2; done

AN_FUZZ := $(AN_OUT)/fuzz_parse
$(AN_FUZZ): analyzer/fuzz_parse.c $(AN_SRCS) $(wildcard analyzer/*.h)
	@scripts/install-deps.sh --fuzz
	@mkdir -p $(dir $@)
	clang -std=c11 -g -O1 -Ianalyzer -Iinclude -fsanitize=fuzzer,address,undefined -o $@ analyzer/fuzz_parse.c $(AN_SRCS)

fuzz-analyzer: $(AN_FUZZ)
	@mkdir -p $(AN_OUT)/fuzz-corpus
	$(AN_FUZZ) -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=5 $(FUZZ_FLAGS) \
		$(AN_OUT)/fuzz-corpus tests/analyzer/corpus scenarios/*/

# The trace reader: traces of the shipped scenarios (hand-written and recorded runs) as seeds.
AN_FUZZ_TRACE := $(AN_OUT)/fuzz_trace
$(AN_FUZZ_TRACE): analyzer/fuzz_trace.c $(AN_SRCS) $(wildcard analyzer/*.h)
	@scripts/install-deps.sh --fuzz
	@mkdir -p $(dir $@)
	clang -std=c11 -g -O1 -Ianalyzer -Iinclude -DSRC_ROOT='"$(CURDIR)"' \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ analyzer/fuzz_trace.c $(AN_SRCS)

fuzz-trace: $(AN_FUZZ_TRACE)
	@mkdir -p $(AN_OUT)/fuzz-trace-corpus
	$(AN_FUZZ_TRACE) -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 $(FUZZ_FLAGS) \
		-artifact_prefix=$(AN_OUT)/trace- $(AN_OUT)/fuzz-trace-corpus tests/analyzer/traces \
		tests/analyzer/trace-corpus

HELP_LINES += "  analyzer      build the scenario analyzer $(IPCAN)"
HELP_LINES += "  analyzer-tests  build the analyzer's CMocka tests"
HELP_LINES += "  test-analyzer  build and run the analyzer's tests"
HELP_LINES += "  analyze SCENARIO=x [POLICY=y] [TRACE=f]  analyzer report to stdout"
HELP_LINES += "  graph SCENARIO=x POLICY=y [TRACE=f]  $(BUILD)/graphs/x-y.{dot,svg,png}"
HELP_LINES += "  bench-analyzer  analyzer time and memory against scenario size (CSV)"
HELP_LINES += "  fuzz-analyzer  libFuzzer on the scenario parser for FUZZ_SECONDS (60)"
HELP_LINES += "  fuzz-trace    libFuzzer on the trace reader (shipped scenarios) for FUZZ_SECONDS (60)"
