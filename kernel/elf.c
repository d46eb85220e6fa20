/* SPDX-License-Identifier: MIT */
/* ELF64 validation for user executables (x86-64, static, ET_EXEC). */
#include "elf.h"
#include "lib/mem.h"
#include "vm.h"

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define ET_EXEC 2
#define EM_X86_64 62
#define PAGE 4096ull

static enum status check_header(const struct elf64_ehdr *h, size_t len)
{
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
    if (memcmp(h->ident, magic, 4) != 0) return E_NOEXEC;
    if (h->ident[4] != 2 || h->ident[5] != 1) return E_NOEXEC; /* 64-bit little-endian */
    if (h->type != ET_EXEC || h->machine != EM_X86_64) return E_NOEXEC;
    if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0) return E_NOEXEC;
    if (h->phoff > len || (uint64_t)h->phnum * sizeof(struct elf64_phdr) > len - h->phoff)
        return E_NOEXEC;
    return OK;
}

enum status elf_parse(const void *image, size_t len, struct elf_image *out)
{
    if (image == NULL || len < sizeof(struct elf64_ehdr)) return E_NOEXEC;
    struct elf64_ehdr h;
    memcpy(&h, image, sizeof(h)); /* the image may be unaligned */
    enum status s = check_header(&h, len);
    if (s != OK) return s;

    out->nsegs = 0;
    out->entry = h.entry;
    bool entry_ok = false;
    for (unsigned i = 0; i < h.phnum; i++) {
        struct elf64_phdr ph;
        memcpy(&ph, (const uint8_t *)image + h.phoff + i * sizeof(ph), sizeof(ph));
        if (ph.type != PT_LOAD) continue;
        /* Checked before the empty-segment skip: a header that lies is refused either way. */
        if (ph.filesz > ph.memsz || ph.offset > len || ph.filesz > len - ph.offset) return E_NOEXEC;
        if (ph.memsz == 0) continue;
        if (out->nsegs == ELF_MAX_SEGMENTS) return E_NOEXEC;
        vaddr_t start = ph.vaddr & ~(PAGE - 1);
        if (ph.memsz > (1ull << 40) || !vm_user_range_ok(ph.vaddr, ph.memsz)) return E_NOEXEC;
        vaddr_t end = (ph.vaddr + ph.memsz + PAGE - 1) & ~(PAGE - 1);
        for (unsigned j = 0; j < out->nsegs; j++) {
            const struct elf_segment *o = &out->segs[j];
            if (start < o->vaddr + o->memsz && o->vaddr < end) return E_NOEXEC; /* overlap */
        }
        struct elf_segment *seg = &out->segs[out->nsegs++];
        seg->vaddr = start;
        seg->memsz = end - start;
        seg->offset = ph.offset;
        seg->filesz = ph.filesz;
        seg->copy_at = ph.vaddr;
        seg->rights = ((ph.flags & PF_R) ? VM_R : 0) | ((ph.flags & PF_W) ? VM_W : 0) |
                      ((ph.flags & PF_X) ? VM_X : 0);
        if ((ph.flags & PF_X) && h.entry >= ph.vaddr && h.entry < ph.vaddr + ph.memsz)
            entry_ok = true;
    }
    if (out->nsegs == 0 || !entry_ok) return E_NOEXEC;
    return OK;
}
