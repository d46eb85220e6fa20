# SPDX-License-Identifier: MIT
# The IDL compiler (ipcidl), the stubs it generates from idl/*.idl, and their tests.
# Included by the top-level Makefile, which puts the generated stubs into the user runtime
# (IDL_GEN, IDL_NAMES: each idl/NAME.idl declares interface NAME).

IPCIDL := $(HOST)/idl/ipcidl
IDL_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -Itools/idl
IDL_TEST_BINS := $(patsubst %,$(HOST)/tests/idl/test_%_idl,$(IDL_NAMES)) $(HOST)/tests/idl/test_ipcidl
IDL_HDRS := $(patsubst %,$(IDL_GEN)/%_idl.h,$(IDL_NAMES))

.PHONY: idl idl-tests

$(IPCIDL): $(wildcard tools/idl/*.c tools/idl/*.h)
	@mkdir -p $(dir $@)
	@echo '  HOSTLD  $@'
	$(Q)$(CC) $(IDL_CFLAGS) -o $@ $(filter %.c,$^)

# One run writes every file of an interface (a grouped pattern rule).
$(IDL_GEN)/%_idl.h $(IDL_GEN)/%_idl.c $(IDL_GEN)/%_idl_user.c $(IDL_GEN)/%.contract \
		$(IDL_GEN)/%.md $(IDL_GEN)/test_%_idl.c: idl/%.idl $(IPCIDL)
	@mkdir -p $(IDL_GEN)
	@echo '  IDL     $<'
	$(Q)$(IPCIDL) -o $(IDL_GEN) $<

idl: $(IDL_HDRS)

# The generated test of each interface: the stubs over the host IPC path (backend none).
$(HOST)/tests/idl/test_%_idl: $(IDL_GEN)/test_%_idl.c $(IDL_GEN)/%_idl.c $(IDL_GEN)/%_idl.h \
		user/lib/ipc_stream.c $(KERNEL_CORE_FOR_HOST) policies/none/policy.c tests/unit/host_stubs.c
	@mkdir -p $(dir $@)
	@echo '  HOSTCC  $@'
	$(Q)$(CC) $(HOST_CFLAGS) -Ipolicies/none -Iuser/lib -I$(IDL_GEN) -Itests/unit -o $@ \
		$(filter %.c,$^) -lcmocka

# The compiler's own test: its command line, diagnostics and outputs.
$(HOST)/tests/idl/test_ipcidl: tests/idl/test_ipcidl.c $(IPCIDL) $(IPCAN)
	@mkdir -p $(dir $@)
	@echo '  HOSTCC  $@'
	$(Q)$(CC) -std=gnu11 -Wall -Wextra -Werror -O1 -g -DIPCIDL_BIN='"$(abspath $(IPCIDL))"' \
		-DIPCAN_BIN='"$(abspath $(IPCAN))"' -DSRC_ROOT='"$(CURDIR)"' \
		-DIDL_TMP='"$(abspath $(HOST)/tests/idl/tmp)"' -o $@ $< -lcmocka

idl-tests: $(IDL_TEST_BINS)

HELP_LINES += "  idl           the IDL compiler $(IPCIDL) and the stubs of idl/*.idl in $(IDL_GEN)/" \
	"  idl-tests     build the IDL compiler's test and each interface's generated test"
