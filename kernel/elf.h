/* SPDX-License-Identifier: MIT */
/*
 * ELF64 executable validation. elf_parse() checks everything the loader relies on before a
 * single page is mapped: header, program-header bounds, loadable segments inside user space,
 * file ranges inside the image, no overlaps, an entry point in an executable segment.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include "kernel.h"

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
    vaddr_t vaddr;   /* page-aligned start in user space */
    size_t memsz;    /* bytes from vaddr to the end of the segment, page-aligned start */
    size_t offset;   /* file offset of the first byte to copy */
    size_t filesz;   /* bytes to copy from the file */
    vaddr_t copy_at; /* where the copied bytes start (vaddr + the segment's page offset) */
    unsigned rights; /* VM_R | VM_W | VM_X */
};

struct elf_image {
    vaddr_t entry;
    unsigned nsegs;
    struct elf_segment segs[ELF_MAX_SEGMENTS];
};

enum status elf_parse(const void *image, size_t len, struct elf_image *out);

#endif
