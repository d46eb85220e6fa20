# SPDX-License-Identifier: MIT
# ipcsec: an x86-64 L4-style microkernel with pluggable IPC-control backends.
# `make help` lists the targets.

POLICY ?= none
BUILD ?= build
ARCH := x86_64
CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif

POLICIES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard policies/*/policy.h)))))
ifeq ($(filter $(POLICY),$(POLICIES)),)
$(error unknown POLICY '$(POLICY)'; available backends: $(POLICIES))
endif

# IPC_TRACE=0 compiles the IPC decision trace out (the benchmarks' build), in its own folder.
IPC_TRACE ?= 1
OUT := $(BUILD)/$(POLICY)$(if $(filter 0,$(IPC_TRACE)),-notrace,)
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
HOST := $(BUILD)/host

# ---- kernel -----------------------------------------------------------------------------------
KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-builtin -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
	-mno-sse -mno-mmx -mno-sse2 -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-Iinclude -I. -Ikernel -Ikernel/arch/$(ARCH) -Ipolicies/$(POLICY) -MMD -MP \
	-DCONFIG_IPC_TRACE=$(if $(filter 0,$(IPC_TRACE)),0,1) -flto
# Link-time optimisation lets the fast path inline across files (policy, scheduler, arch)
# without giving up one-job-per-file sources: 590 -> 436 instructions per round trip.
KERNEL_LTO_LDFLAGS := -flto=auto -O2 -g -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -mno-sse
KERNEL_SRCS := $(wildcard kernel/*.c) $(wildcard kernel/arch/$(ARCH)/*.c) \
	$(wildcard kernel/arch/$(ARCH)/*.S) $(wildcard policies/$(POLICY)/*.c) lib/fmt.c lib/mem.c
KERNEL_OBJS := $(patsubst %,$(OUT)/obj/%.o,$(KERNEL_SRCS))
KERNEL_ELF := $(OUT)/kernel.elf
KERNEL_BIN := $(OUT)/kernel.bin

# ---- user runtime and programs ----------------------------------------------------------------
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-builtin -mgeneral-regs-only -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) -Iinclude -I. -Iuser/lib -MMD -MP
# Stubs that ipcidl generates from idl/NAME.idl (interface NAME; tools/idl/idl.mk) are part of
# the runtime: NAME_idl.h declares them, NAME_idl.c marshals and dispatches, NAME_idl_user.c calls.
IDL_GEN := $(BUILD)/gen/idl
IDL_NAMES := $(basename $(notdir $(wildcard idl/*.idl)))
USER_CFLAGS += -I$(IDL_GEN)
ULIB_SRCS := $(wildcard user/lib/*.c) user/lib/crt0.S lib/fmt.c lib/mem.c \
	$(foreach n,$(IDL_NAMES),$(IDL_GEN)/$(n)_idl.c $(IDL_GEN)/$(n)_idl_user.c)
ULIB_OBJS := $(patsubst %,$(OUT)/uobj/%.o,$(ULIB_SRCS))
ULIB := $(OUT)/user/libu.a
# One C file per program: test programs in user/bin, policy servers in monitor, scenario
# programs beside their declarations in scenarios/<name>/ (names are unique across all three).
# A larger policy server is a folder, monitor/<name>/, all of whose C files make the program.
PROGRAM_SRCS := $(wildcard user/bin/*.c monitor/*.c scenarios/*/*.c)
PROGRAM_DIRS := $(patsubst %/,%,$(wildcard monitor/*/))
PROGRAM_DIR_SRCS := $(wildcard $(addsuffix /*.c,$(PROGRAM_DIRS)))
PROGRAMS := $(basename $(notdir $(PROGRAM_SRCS))) $(notdir $(PROGRAM_DIRS))
PROGRAM_ELFS := $(patsubst %,$(OUT)/user/%.elf,$(PROGRAMS)) \
	$(OUT)/user/hello_a.elf $(OUT)/user/hello_b.elf $(OUT)/user/notelf.elf

# Every user object may include a generated interface header.
$(ULIB_OBJS) $(patsubst %,$(OUT)/uobj/%.o,$(PROGRAM_SRCS) $(PROGRAM_DIR_SRCS)): | $(patsubst %,$(IDL_GEN)/%_idl.h,$(IDL_NAMES))

LDFLAGS_FREE := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,--no-warn-rwx-segments

# ---- QEMU ---------------------------------------------------------------------------------------
QEMU_RUN := scripts/qemu-run.sh
DEMO_MODULES := root hello_a hello_b kwrite unmapped
TIMEOUT ?= 60

.PHONY: all kernel user run debug test unit-tests boot-tests bench bench-breakdown clean help all-policies
.DEFAULT_GOAL := all
# Keep intermediate objects (user programs): no rebuilds, no "rm" noise.
.SECONDARY:

all: kernel user

kernel: $(KERNEL_BIN)
user: $(PROGRAM_ELFS)

$(OUT)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(OUT)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo '  AS      $<'
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) kernel/arch/$(ARCH)/linker.ld
	@echo '  LD      $@'
	$(Q)$(CC) $(LDFLAGS_FREE) $(KERNEL_LTO_LDFLAGS) -T kernel/arch/$(ARCH)/linker.ld -o $@ $(KERNEL_OBJS)

$(KERNEL_BIN): $(KERNEL_ELF)
	$(Q)objcopy -O binary $< $@

$(OUT)/uobj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo '  CC [U]  $<'
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(OUT)/uobj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo '  AS [U]  $<'
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(ULIB): $(ULIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

define program_rule
$(OUT)/user/$(basename $(notdir $(1))).elf: $(OUT)/uobj/$(1).o $(ULIB) user/lib/link.ld
	@echo '  LD [U]  $$@'
	$(Q)$(CC) $(LDFLAGS_FREE) -T user/lib/link.ld -o $$@ $(OUT)/uobj/user/lib/crt0.S.o $$< $(ULIB)
endef
$(foreach src,$(PROGRAM_SRCS),$(eval $(call program_rule,$(src))))

define program_dir_rule
$(OUT)/user/$(notdir $(1)).elf: $(patsubst %,$(OUT)/uobj/%.o,$(wildcard $(1)/*.c)) $(ULIB) user/lib/link.ld
	@echo '  LD [U]  $$@'
	$(Q)$(CC) $(LDFLAGS_FREE) -T user/lib/link.ld -o $$@ $(OUT)/uobj/user/lib/crt0.S.o $$(filter %.o,$$^) $(ULIB)
endef
$(foreach dir,$(PROGRAM_DIRS),$(eval $(call program_dir_rule,$(dir))))

# Two copies of one program: two tasks with the same virtual layout, separate spaces.
$(OUT)/user/hello_a.elf $(OUT)/user/hello_b.elf: $(OUT)/user/hello.elf
	$(Q)cp $< $@

# A boot module that is not an executable, for the loader's error path.
$(OUT)/user/notelf.elf:
	@mkdir -p $(dir $@)
	$(Q)printf 'this is not an ELF file\n' > $@

run: all
	$(QEMU_RUN) --timeout $(TIMEOUT) $(KERNEL_BIN) $(addprefix $(OUT)/user/,$(addsuffix .elf,$(DEMO_MODULES)))

debug: all
	@echo "QEMU halted with its gdb stub on :1234; in another shell:"
	@echo "  gdb $(KERNEL_ELF) -ex 'target remote :1234'"
	$(QEMU_RUN) --debug --timeout 0 $(KERNEL_BIN) $(addprefix $(OUT)/user/,$(addsuffix .elf,$(DEMO_MODULES)))

# ---- tests -------------------------------------------------------------------------------------
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -I. -Ikernel \
	-Ikernel/arch/$(ARCH) -fsanitize=address,undefined -fno-omit-frame-pointer -pthread
UNIT_TESTS := $(filter-out test_backend_desc,$(basename $(notdir $(wildcard tests/unit/test_*.c))))
# The kernel's backend descriptor against include/abi/backend.h's table: one binary per backend.
BACKEND_DESC_BINS := $(patsubst %,$(HOST)/tests/unit/test_backend_desc_%,$(POLICIES))
UNIT_BINS := $(patsubst %,$(HOST)/tests/unit/%,$(UNIT_TESTS)) $(BACKEND_DESC_BINS)

# Which core sources each host test links (the rest of the kernel never runs on the host).
UNIT_SRCS_test_pool := kernel/pool.c
UNIT_SRCS_test_pmm := kernel/pmm.c
UNIT_SRCS_test_elf := kernel/elf.c
UNIT_SRCS_test_paging := kernel/arch/$(ARCH)/paging.c
UNIT_SRCS_test_sched := kernel/sched_queue.c
UNIT_SRCS_test_fmt := lib/fmt.c
UNIT_SRCS_test_mapdb := kernel/mapdb.c kernel/pool.c
# The IPC path and the backends, driven on the host (tests/unit/host_kernel.c stands in for
# the arch layer: threads switch with ucontext). A test's backend: UNIT_POLICY_<test>.
KERNEL_CORE_FOR_HOST := kernel/ipc.c kernel/ipc_fastpath.c kernel/ipc_map.c kernel/ipc_queue.c \
	kernel/fault.c kernel/sched.c \
	kernel/sched_queue.c kernel/pool.c kernel/thread.c kernel/vm.c kernel/pmm.c kernel/notify.c \
	kernel/elf.c kernel/timer.c kernel/trace.c kernel/mapdb.c kernel/quota.c \
	kernel/arch/$(ARCH)/paging.c tests/unit/host_kernel.c
UNIT_SRCS_test_ipc := $(KERNEL_CORE_FOR_HOST) policies/none/policy.c
UNIT_SRCS_test_capgate := $(KERNEL_CORE_FOR_HOST) $(wildcard policies/capgate/*.c)
UNIT_POLICY_test_capgate := capgate
UNIT_SRCS_test_refmon := $(KERNEL_CORE_FOR_HOST) $(wildcard policies/refmon/*.c)
UNIT_POLICY_test_refmon := refmon
UNIT_SRCS_test_ports := $(KERNEL_CORE_FOR_HOST) $(wildcard policies/ports/*.c)
UNIT_POLICY_test_ports := ports
UNIT_SRCS_test_clans := $(KERNEL_CORE_FOR_HOST) $(wildcard policies/clans/*.c)
UNIT_POLICY_test_clans := clans
# The scripted backend (every route kind and hook, on demand) exists only for the host tests.
UNIT_SRCS_test_route := $(KERNEL_CORE_FOR_HOST) tests/unit/policy_script/policy.c
UNIT_POLICY_DIR_test_route := tests/unit/policy_script
UNIT_SRCS_test_ipc_stream := user/lib/ipc_stream.c

.SECONDEXPANSION:
$(HOST)/tests/unit/%: tests/unit/%.c $$(UNIT_SRCS_%) tests/unit/host_stubs.c
	@mkdir -p $(dir $@)
	@echo '  HOSTCC  $@'
	$(Q)$(CC) $(HOST_CFLAGS) \
		-I$(or $(UNIT_POLICY_DIR_$(notdir $@)),policies/$(or $(UNIT_POLICY_$(notdir $@)),none)) \
		-o $@ $(filter %.c,$^) -lcmocka
	$(Q)$(CC) $(HOST_CFLAGS) -MM -MP -MT $@ \
		-I$(or $(UNIT_POLICY_DIR_$(notdir $@)),policies/$(or $(UNIT_POLICY_$(notdir $@)),none)) \
		$(filter %.c,$^) > $@.d

$(BACKEND_DESC_BINS): $(HOST)/tests/unit/test_backend_desc_%: tests/unit/test_backend_desc.c \
		policies/%/policy.h include/abi/backend.h
	@mkdir -p $(dir $@)
	@echo '  HOSTCC  $@'
	$(Q)$(CC) $(HOST_CFLAGS) -Ipolicies/$* -DTEST_POLICY='"$*"' -o $@ $< -lcmocka

unit-tests: $(UNIT_BINS) idl-tests

boot-tests: all
	tests/boot/run.sh --build $(OUT)

# Host tests once; boot tests under every backend.
test: all-policies unit-tests analyzer-tests
	tests/run-all.sh $(foreach p,$(POLICIES),--build $(BUILD)/$(p)) $(UNIT_BINS) $(IDL_TEST_BINS) \
		$(ANALYZER_TEST_BINS) \
		tests/scripts/test_attack_scripts.py tests/scripts/test_paper_gen.py tests/scripts/test_ipc_counts.py \
		tests/scripts/test_sweep.py

# ---- benchmarks ---------------------------------------------------------------------------------
# Backends as benchmarked: the IPC trace compiled out (IPC_TRACE=0); one column with it compiled in.
bench: all-policies
	@for p in $(POLICIES); do $(MAKE) --no-print-directory POLICY=$$p IPC_TRACE=0 all || exit 1; done
	@echo "# IPC: guest instructions per round trip (call + reply-and-wait, two address spaces);"
	@echo "# one column per backend (trace compiled out); <backend>+trace: with the IPC trace built in"
	@scripts/bench-ipc.sh $(BUILD) $(addsuffix -notrace,$(POLICIES)) $(POLICY)
	@echo "# where the instructions of one fast-path null round trip go (single-stepped; bench/fastpath.md)"
	@scripts/bench-breakdown.sh $(BUILD) $(addsuffix -notrace,$(POLICIES))
	@echo "# Linux 6.1 (Debian's cloud kernel) in the same QEMU, counted the same way: case,instructions"
	@scripts/bench-linux.sh $(BUILD)
	@echo "# boot: wall time and guest instructions until the root task runs"
	@scripts/bench-boot.sh $(KERNEL_BIN) $(OUT)/user/root.elf $(OUT)/user/hello_a.elf

# Only the per-phase breakdown of the fast path (bench/fastpath.md), every backend.
bench-breakdown: all-policies
	@for p in $(POLICIES); do $(MAKE) --no-print-directory POLICY=$$p IPC_TRACE=0 all || exit 1; done
	@scripts/bench-breakdown.sh $(BUILD) $(addsuffix -notrace,$(POLICIES))

all-policies:
	@for p in $(POLICIES); do $(MAKE) --no-print-directory POLICY=$$p all || exit 1; done

boot-tests-all: all-policies
	@for p in $(POLICIES); do tests/boot/run.sh --build $(BUILD)/$$p || exit 1; done

clean:
	rm -rf $(BUILD)

HELP_LINES :=
help:
	@echo "Targets (POLICY=$(POLICY); available: $(POLICIES)):"
	@echo "  all           build the kernel and the user programs into $(OUT)/ (default)"
	@echo "  run           boot the demo in QEMU (root, two printing tasks, two faulting ones)"
	@echo "  debug         boot the demo halted, with QEMU's gdb stub on :1234"
	@echo "  test          host unit tests, QEMU boot tests, analyzer tests; one summary line"
	@echo "  unit-tests    build the host CMocka tests"
	@echo "  boot-tests    run only the QEMU boot tests (tests/boot/*) for POLICY"
	@echo "  boot-tests-all  the QEMU boot tests under every backend"
	@echo "  bench         benchmarks (instructions, wall time) as CSV, with the fast path's breakdown"
	@echo "  bench-breakdown  per-phase instructions of one fast-path round trip, every backend"
	@echo "  all-policies  build every backend, each into $(BUILD)/<policy>/"
	@echo "  clean         remove $(BUILD)/"
	@printf '%s\n' $(HELP_LINES)

include tools/idl/idl.mk
include scenarios/attacks.mk
include scenarios/sweep.mk
include tests/fuzz/kernel.mk
ifneq ($(wildcard analyzer/analyzer.mk),)
include analyzer/analyzer.mk
else
analyzer-tests: ;
endif
include tests/fuzz/fuzz.mk
# Host unit tests are compiled and linked in one step; their header dependencies come from -MM.
-include $(UNIT_BINS:=.d)
-include $(KERNEL_OBJS:.o=.d) $(ULIB_OBJS:.o=.d) $(patsubst %,$(OUT)/uobj/%.d,$(PROGRAM_SRCS) $(PROGRAM_DIR_SRCS))
include papers/paper.mk
