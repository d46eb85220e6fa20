/* SPDX-License-Identifier: MIT */
/* kmain: bring the machine up, start the root task, then become the idle thread. */
#include "abi/syscall.h"
#include "arch.h"
#include "boot.h"
#include "ipc.h"
#include "ipc_queue.h"
#include "mapdb.h"
#include "notify.h"
#include "pmm.h"
#include "quota.h"
#include "policy.h"
#include "sched.h"
#include "timer.h"

static struct thread idle;

static void memory_init(void)
{
    pmm_reset();
    for (unsigned i = 0; i < boot_info.nmem; i++)
        pmm_add_free(boot_info.mem[i].base, boot_info.mem[i].len);
    /* Low memory (BIOS data) and everything the loader gave us stay off limits. */
    pmm_reserve(0, boot_info.reserved_end);
    struct pmm_stats s = pmm_stats();
    kprintf("[kernel] memory: %lu KiB free in %u regions; modules and image end at 0x%lx\n",
            s.free * 4, boot_info.nmem, boot_info.reserved_end);
}

/* A deliberate kernel fault, so the test suite can check the panic report (ktest=panic). */
static void self_test_panic(void)
{
    kprintf("[kernel] ktest=panic: touching an unmapped kernel address\n");
    *(volatile uint64_t *)0xffffffffc0000000ull = 1;
}

void kmain(uint32_t magic, uint32_t info)
{
    arch_early_init();
    kprintf("\n[kernel] ipcsec microkernel (x86-64), policy '%s'\n", POLICY_NAME);
    arch_boot_info(magic, info, &boot_info);
    memory_init();
    mapdb_init(quota_mapdb_charge);
    objects_init();
    notify_init();
    msgq_boot();
    policy_init();
    sched_init(&idle);
    if (boot_has_option("ktest=panic")) self_test_panic();
    if (boot_has_option("nofastpath")) {
        ipc_fastpath_enable(false);
        kprintf("[kernel] IPC fast path disabled (nofastpath)\n");
    }

    if (boot_info.nmods == 0) panic("no boot modules: the first module must be the root task");
    const struct boot_module *m = &boot_info.mods[0];
    struct task *root;
    enum status s = task_create_from_elf(m->name, arch_phys_to_virt(m->base), m->size, PRIO_DEFAULT,
                                         0, true, NULL, &root);
    if (s != OK) panic("cannot start root task '%s': %s", m->name, status_text(s));
    root->is_root = true;
    root->mcp = PRIO_MAX; /* the root holds the whole CPU and hands out shares of it */
    kprintf("[kernel] %u boot modules; root task '%s' is task %u; boot took %lu instructions\n",
            boot_info.nmods, root->name, root->id, arch_cycles());

    arch_timer_init(TIMER_HZ);
    for (;;) {
        schedule();
        arch_idle();
        sched_preempt_point();
    }
}
