/* SPDX-License-Identifier: MIT */
/* System calls that report: console output, boot modules, accounting, the clock. */
#include "abi/backend.h"
#include "abi/ipc.h"
#include "abi/layout.h"
#include "arch.h"
#include "boot.h"
#include "lib/mem.h"
#include "ipc_queue.h"
#include "mapdb.h"
#include "notify.h"
#include "pmm.h"
#include "policy.h"
#include "pool.h"
#include "sched.h"
#include "syscall.h"
#include "timer.h"

#define CONSOLE_MAX 4096

long sys_console_write(word_t buf, word_t len, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    if (len > CONSOLE_MAX) return -E_RANGE;
    char chunk[256];
    for (word_t done = 0; done < len;) {
        size_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
        if (vspace_copy_in(&current->task->vs, chunk, buf + done, n) != OK) return -E_FAULT;
        arch_console_write(chunk, n);
        done += n;
    }
    return (long)len;
}

long sys_module_info(word_t index, word_t name, word_t len, word_t a3, word_t a4)
{
    (void)a3, (void)a4;
    if (index >= boot_info.nmods) return -E_NOENT;
    const struct boot_module *m = &boot_info.mods[index];
    size_t n = strlen(m->name) + 1;
    if (len < n) return -E_RANGE;
    if (vspace_copy_out(&current->task->vs, name, m->name, n) != OK) return -E_FAULT;
    return (long)m->size;
}

/* Boot modules that are data, not programs (a scenario's setup), reach the root task this way;
 * other tasks get what the root decides to tell them. */
long sys_module_read(word_t index, word_t buf, word_t len, word_t offset, word_t a4)
{
    (void)a4;
    if (!current->task->is_root) return -E_PERM;
    if (index >= boot_info.nmods) return -E_NOENT;
    const struct boot_module *m = &boot_info.mods[index];
    if (offset > m->size) return -E_RANGE;
    word_t n = m->size - offset < len ? m->size - offset : len;
    const void *src = (const uint8_t *)arch_phys_to_virt(m->base) + offset;
    if (n && vspace_copy_out(&current->task->vs, buf, src, n) != OK) return -E_FAULT;
    return (long)n;
}

static struct kinfo_pool pool_info(const struct pool *p)
{
    return (struct kinfo_pool){p->capacity, p->used, p->peak, p->failures};
}

long sys_kinfo(word_t which, word_t out, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    struct vspace *vs = &current->task->vs;
    if (which == KINFO_POOLS) {
        struct mapdb_usage m;
        mapdb_get_usage(mapdb_kernel(), &m);
        struct kinfo_pools k = {pool_info(&task_pool),
                                pool_info(&thread_pool),
                                {m.capacity, m.used, m.peak, m.failures},
                                notify_pool_info(),
                                msgq_pool_info()};
        return vspace_copy_out(vs, out, &k, sizeof(k)) == OK ? OK : -E_FAULT;
    }
    if (which == KINFO_QUOTA) {
        struct kinfo_quota k;
        for (unsigned r = 0; r < QUOTA_COUNT; r++) {
            k.used[r] = current->task->quota.used[r];
            k.limit[r] = current->task->quota.limit[r];
        }
        return vspace_copy_out(vs, out, &k, sizeof(k)) == OK ? OK : -E_FAULT;
    }
    if (which == KINFO_MEMORY) {
        struct pmm_stats s = pmm_stats();
        struct kinfo_memory k = {s.total, s.free};
        return vspace_copy_out(vs, out, &k, sizeof(k)) == OK ? OK : -E_FAULT;
    }
    if (which == KINFO_POLICY) {
        struct backend_desc k = POLICY_DESCRIPTOR;
        return vspace_copy_out(vs, out, &k, sizeof(k)) == OK ? OK : -E_FAULT;
    }
    return -E_INVAL;
}

long sys_clock(word_t a0, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a0, (void)a1, (void)a2, (void)a3, (void)a4;
    return (long)timer_now_us();
}

/* Recursive revocation: every mapping derived from the caller's pages (or, for a backend's
 * kind, its names) in the flexpage disappears from every space it reached, at once. */
long sys_unmap(word_t fpage, word_t flags, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    if (flags & ~(word_t)(UNMAP_SELF | UNMAP_KIND(0xff))) return -E_INVAL;
    unsigned kind = UNMAP_KIND_OF(flags);
    if (kind != FPAGE_KIND_MEM) return policy_unmap(current, kind, fpage, flags & UNMAP_SELF);
    unsigned order = FPAGE_ORDER(fpage);
    if (order < 12 || order > 22) return -E_INVAL;
    word_t size = 1ul << order, base = FPAGE_BASE(fpage) & ~(size - 1);
    if (!vm_user_range_ok(base, size)) return -E_INVAL;
    long revoked = 0;
    for (word_t off = 0; off < size; off += PAGE_SIZE)
        if (vspace_unmap(&current->task->vs, base + off, flags & UNMAP_SELF) == OK) revoked++;
    return revoked;
}
