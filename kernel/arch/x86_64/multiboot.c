/* SPDX-License-Identifier: MIT */
/* Reads the Multiboot (v1) information into the generic struct boot_info. */
#include "arch.h"
#include "boot.h"
#include "layout.h"
#include "lib/mem.h"

#define MB_BOOT_MAGIC 0x2badb002

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module {
    uint32_t start, end, cmdline, reserved;
} __attribute__((packed));

struct mb_mmap {
    uint32_t size;
    uint64_t base, len;
    uint32_t type;
} __attribute__((packed));

extern char _kernel_end[];

static paddr_t max_paddr(paddr_t a, paddr_t b)
{
    return a > b ? a : b;
}

/* "path/to/hello.elf args" -> "hello" */
static void module_name(const char *cmd, char *out, size_t len)
{
    const char *start = cmd, *end = cmd;
    while (*end && *end != ' ') {
        if (*end == '/') start = end + 1;
        end++;
    }
    size_t n = (size_t)(end - start);
    if (n > 4 && memcmp(end - 4, ".elf", 4) == 0) n -= 4;
    if (n >= len) n = len - 1;
    memcpy(out, start, n);
    out[n] = '\0';
}

void arch_boot_info(uint32_t magic, uint32_t info_phys, struct boot_info *bi)
{
    if (magic != MB_BOOT_MAGIC) panic("not booted by a Multiboot loader (magic 0x%x)", magic);
    const struct mb_info *mb = arch_phys_to_virt(info_phys);
    bi->reserved_end = max_paddr((paddr_t)_kernel_end - KERNEL_VMA, info_phys + sizeof(*mb));

    if (mb->flags & (1 << 2)) {
        const char *c = arch_phys_to_virt(mb->cmdline);
        strlcpy(bi->cmdline, c, sizeof(bi->cmdline));
        bi->reserved_end = max_paddr(bi->reserved_end, mb->cmdline + strlen(c) + 1);
    }
    if (!(mb->flags & (1 << 6))) panic("boot loader gave no memory map");
    for (uint32_t off = 0; off < mb->mmap_length;) {
        const struct mb_mmap *m = arch_phys_to_virt(mb->mmap_addr + off);
        if (m->type == 1 && bi->nmem < BOOT_MAX_REGIONS && m->base < PHYS_MAP_SIZE) {
            uint64_t len = m->len;
            if (m->base + len > PHYS_MAP_SIZE) len = PHYS_MAP_SIZE - m->base;
            bi->mem[bi->nmem++] = (struct boot_region){m->base, len};
        }
        off += m->size + 4;
    }
    bi->reserved_end = max_paddr(bi->reserved_end, mb->mmap_addr + mb->mmap_length);

    if (mb->flags & (1 << 3)) {
        const struct mb_module *mods = arch_phys_to_virt(mb->mods_addr);
        bi->reserved_end = max_paddr(bi->reserved_end, mb->mods_addr + mb->mods_count * 16);
        for (uint32_t i = 0; i < mb->mods_count; i++) {
            if (bi->nmods == BOOT_MAX_MODULES) {
                kprintf("[kernel] warning: more than %d boot modules; the rest are ignored\n",
                        BOOT_MAX_MODULES);
                break;
            }
            struct boot_module *bm = &bi->mods[bi->nmods++];
            bm->base = mods[i].start;
            bm->size = mods[i].end - mods[i].start;
            const char *cmd = mods[i].cmdline ? arch_phys_to_virt(mods[i].cmdline) : "module";
            module_name(cmd, bm->name, sizeof(bm->name));
            bi->reserved_end = max_paddr(bi->reserved_end, mods[i].end);
            if (mods[i].cmdline)
                bi->reserved_end = max_paddr(bi->reserved_end, mods[i].cmdline + strlen(cmd) + 1);
        }
    }
    bi->reserved_end = ALIGN_UP(bi->reserved_end, 4096);
}
