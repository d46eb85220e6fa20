/* SPDX-License-Identifier: MIT */
/* Unit tests for ELF64 validation (kernel/elf.c) on images built in memory, plus a fuzz. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "abi/layout.h"
#include "elf.h"
#include "vm.h"

/* Our own copies of the on-disk layout (the system <elf.h> is shadowed by kernel/elf.h). */
struct t_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct t_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
_Static_assert(sizeof(struct t_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct t_phdr) == 56, "ELF64 program header is 56 bytes");

#define PT_NULL 0
#define PT_LOAD 1
#define PT_NOTE 4
#define PT_GNU_STACK 0x6474e551u
#define PF_X 1u
#define PF_W 2u
#define PF_R 4u
#define PAGE 4096ull
#define BASE 0x400000ull
#define MAX_PH 16
#define IMG_MAX (64 * 1024)

/* An image under construction: header and program headers are edited, then emitted. */
struct builder {
    struct t_ehdr eh;
    struct t_phdr ph[MAX_PH];
    unsigned nph;
    size_t data_end; /* next free file offset for segment contents */
    uint8_t img[IMG_MAX];
    size_t len;
};

static struct builder B;
static struct elf_image out;

static void b_init(struct builder *b)
{
    memset(b, 0, sizeof(*b));
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
    memcpy(b->eh.ident, magic, sizeof(magic));
    b->eh.ident[4] = 2; /* ELFCLASS64 */
    b->eh.ident[5] = 1; /* ELFDATA2LSB */
    b->eh.ident[6] = 1; /* EV_CURRENT */
    b->eh.type = 2;     /* ET_EXEC */
    b->eh.machine = 62; /* EM_X86_64 */
    b->eh.version = 1;
    b->eh.entry = BASE + 0x1000;
    b->eh.phoff = sizeof(struct t_ehdr);
    b->eh.ehsize = sizeof(struct t_ehdr);
    b->eh.phentsize = sizeof(struct t_phdr);
    b->data_end = 0x1000;
}

/* Adds a program header; PT_LOAD contents get a fresh file range congruent to vaddr mod PAGE. */
static struct t_phdr *b_add(struct builder *b, uint32_t type, uint32_t flags, uint64_t vaddr,
                            uint64_t filesz, uint64_t memsz)
{
    assert_true(b->nph < MAX_PH);
    struct t_phdr *p = &b->ph[b->nph++];
    b->eh.phnum = (uint16_t)b->nph;
    p->type = type;
    p->flags = flags;
    p->vaddr = p->paddr = vaddr;
    p->filesz = filesz;
    p->memsz = memsz;
    p->align = PAGE;
    p->offset = ALIGN_UP(b->data_end, PAGE) + (vaddr & (PAGE - 1));
    if (filesz <= IMG_MAX) b->data_end = p->offset + filesz;
    return p;
}

static struct t_phdr *b_load(struct builder *b, uint32_t flags, uint64_t vaddr, uint64_t filesz,
                             uint64_t memsz)
{
    return b_add(b, PT_LOAD, flags, vaddr, filesz, memsz);
}

/* Writes header, program headers and patterned contents; returns the image length. */
static size_t b_emit(struct builder *b)
{
    memset(b->img, 0, sizeof(b->img));
    size_t len = sizeof(struct t_ehdr);
    memcpy(b->img, &b->eh, sizeof(b->eh));
    for (unsigned i = 0; i < b->nph; i++) {
        uint64_t at = b->eh.phoff + i * sizeof(struct t_phdr);
        if (at > IMG_MAX - sizeof(struct t_phdr)) break;
        memcpy(b->img + at, &b->ph[i], sizeof(b->ph[i]));
        if (at + sizeof(struct t_phdr) > len) len = at + sizeof(struct t_phdr);
    }
    for (unsigned i = 0; i < b->nph; i++) {
        const struct t_phdr *p = &b->ph[i];
        if (p->type != PT_LOAD || p->offset > IMG_MAX || p->filesz > IMG_MAX - p->offset) continue;
        for (uint64_t k = 0; k < p->filesz; k++)
            b->img[p->offset + k] = (uint8_t)(i * 31 + k);
        if (p->offset + p->filesz > len) len = p->offset + p->filesz;
    }
    b->len = len;
    return len;
}

/* Parses a copy of exactly `len` bytes on the heap, so ASan sees any read past the end. */
static enum status parse_exact(const uint8_t *img, size_t len, struct elf_image *o)
{
    uint8_t *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, img, len);
    enum status s = elf_parse(copy, len, o);
    free(copy);
    return s;
}

static enum status parse(struct builder *b)
{
    size_t len = b_emit(b);
    return parse_exact(b->img, len, &out);
}

/* Every test starts from an empty ET_EXEC x86-64 header with its entry at BASE + 0x1000. */
static int setup(void **state)
{
    (void)state;
    b_init(&B);
    memset(&out, 0xcc, sizeof(out));
    return 0;
}

/* The common text segment: R+X at BASE + 0x1000, where the default entry point lies. */
static void add_text(void)
{
    b_load(&B, PF_R | PF_X, BASE + 0x1000, 0x234, 0x234);
}

static void assert_rejected(void)
{
    assert_int_equal(parse(&B), E_NOEXEC);
}

/* ---- valid images ---------------------------------------------------------------------------- */

/* Proves: a one-segment image parses to that segment with page-rounded bounds and R|X rights. */
static void test_single_segment(void **state)
{
    (void)state;
    add_text();
    assert_int_equal(parse(&B), OK);
    assert_int_equal(out.entry, BASE + 0x1000);
    assert_int_equal(out.nsegs, 1);
    const struct elf_segment *s = &out.segs[0];
    assert_int_equal(s->vaddr, BASE + 0x1000);
    assert_int_equal(s->memsz, PAGE);
    assert_int_equal(s->offset, B.ph[0].offset);
    assert_int_equal(s->filesz, 0x234);
    assert_int_equal(s->copy_at, BASE + 0x1000);
    assert_int_equal(s->rights, VM_R | VM_X);
}

/* Proves: text, rodata and data+bss segments parse in order with rounded bounds and copy_at. */
static void test_multi_segment(void **state)
{
    (void)state;
    B.eh.entry = BASE + 0x1800;
    b_load(&B, PF_R | PF_X, BASE + 0x1000, 0x1800, 0x1800); /* text: 1.5 pages */
    b_load(&B, PF_R, BASE + 0x3000, 0x100, 0x100);          /* rodata */
    b_load(&B, PF_R | PF_W, BASE + 0x4100, 0x80, 0x2000);   /* data + bss, unaligned start */
    assert_int_equal(parse(&B), OK);
    assert_int_equal(out.entry, BASE + 0x1800);
    assert_int_equal(out.nsegs, 3);

    assert_int_equal(out.segs[0].vaddr, BASE + 0x1000);
    assert_int_equal(out.segs[0].memsz, 0x2000);
    assert_int_equal(out.segs[0].filesz, 0x1800);
    assert_int_equal(out.segs[0].rights, VM_R | VM_X);

    assert_int_equal(out.segs[1].vaddr, BASE + 0x3000);
    assert_int_equal(out.segs[1].memsz, 0x1000);
    assert_int_equal(out.segs[1].rights, VM_R);

    const struct elf_segment *d = &out.segs[2];
    assert_int_equal(d->vaddr, BASE + 0x4000);
    assert_int_equal(d->memsz, 0x3000); /* [0x404000, roundup(0x404100 + 0x2000)) */
    assert_int_equal(d->copy_at, BASE + 0x4100);
    assert_int_equal(d->offset, B.ph[2].offset);
    assert_int_equal(d->offset % PAGE, 0x100);
    assert_int_equal(d->filesz, 0x80);
    assert_int_equal(d->rights, VM_R | VM_W);
    for (unsigned i = 0; i < out.nsegs; i++) {
        assert_int_equal(out.segs[i].vaddr % PAGE, 0);
        assert_int_equal(out.segs[i].memsz % PAGE, 0);
    }
}

/* Proves: each of the eight p_flags combinations maps to exactly the matching VM_R/W/X rights. */
static void test_rights_follow_p_flags(void **state)
{
    (void)state;
    for (uint32_t f = 0; f < 8; f++)
        b_load(&B, f, BASE + (f + 1) * 0x10000, 0x10, 0x10);
    B.eh.entry = BASE + (1 + PF_X) * 0x10000; /* inside the X-only segment */
    assert_int_equal(parse(&B), OK);
    assert_int_equal(out.nsegs, 8);
    for (uint32_t f = 0; f < 8; f++) {
        unsigned want = ((f & PF_R) ? VM_R : 0) | ((f & PF_W) ? VM_W : 0) | ((f & PF_X) ? VM_X : 0);
        assert_int_equal(out.segs[f].rights, want);
    }
}

/* Proves: non-PT_LOAD headers and empty PT_LOADs are ignored, whatever their other fields say. */
static void test_non_load_headers_skipped(void **state)
{
    (void)state;
    struct t_phdr *n = b_add(&B, PT_NOTE, PF_R, 0xffffffff80000000ull, 0x10, 0x10);
    n->offset = ~0ull;
    b_add(&B, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0);
    add_text();
    b_add(&B, PT_NULL, 0, 0, 0, 0);
    b_load(&B, PF_R | PF_X, BASE + 0x1000, 0, 0); /* empty PT_LOAD at the same address */
    assert_int_equal(parse(&B), OK);
    assert_int_equal(out.nsegs, 1);
    assert_int_equal(out.segs[0].vaddr, BASE + 0x1000);
}

/* Proves: the parser reads headers through an unaligned pointer without misaligned accesses. */
static void test_unaligned_image(void **state)
{
    (void)state;
    add_text();
    size_t len = b_emit(&B);
    uint8_t *buf = malloc(len + 1);
    assert_non_null(buf);
    memcpy(buf + 1, B.img, len);
    assert_int_equal(elf_parse(buf + 1, len, &out), OK);
    assert_int_equal(out.nsegs, 1);
    free(buf);
}

/* Proves: exactly ELF_MAX_SEGMENTS loadable segments are accepted. */
static void test_max_segments_accepted(void **state)
{
    (void)state;
    for (unsigned i = 0; i < ELF_MAX_SEGMENTS; i++)
        b_load(&B, PF_R | PF_X, BASE + 0x1000 + i * PAGE, 0x10, 0x10);
    assert_int_equal(parse(&B), OK);
    assert_int_equal(out.nsegs, ELF_MAX_SEGMENTS);
}

/* Proves: segments that touch only at a page boundary do not count as overlapping. */
static void test_adjacent_segments_accepted(void **state)
{
    (void)state;
    b_load(&B, PF_R | PF_X, BASE + 0x1000, 0x1000, 0x1000);
    b_load(&B, PF_R | PF_W, BASE + 0x2000, 0x10, 0x10);
    assert_int_equal(parse(&B), OK);
    assert_int_equal(out.nsegs, 2);
}

/* Proves: an entry at the last byte of an executable segment is accepted. */
static void test_entry_at_last_byte_accepted(void **state)
{
    (void)state;
    add_text();
    B.eh.entry = BASE + 0x1000 + 0x233;
    assert_int_equal(parse(&B), OK);
}

/* Proves: a segment may end exactly at the top of user space. */
static void test_segment_ending_at_user_top_accepted(void **state)
{
    (void)state;
    add_text();
    b_load(&B, PF_R | PF_W, USER_TOP - PAGE, 0x10, PAGE);
    assert_int_equal(parse(&B), OK);
    assert_int_equal(out.segs[1].vaddr + out.segs[1].memsz, USER_TOP);
}

/* ---- rejected images ------------------------------------------------------------------------- */

/* Proves: NULL, empty and shorter-than-a-header images are rejected. */
static void test_reject_too_short(void **state)
{
    (void)state;
    add_text();
    size_t len = b_emit(&B);
    assert_int_equal(elf_parse(NULL, len, &out), E_NOEXEC);
    assert_int_equal(parse_exact(B.img, 0, &out), E_NOEXEC);
    assert_int_equal(parse_exact(B.img, 4, &out), E_NOEXEC);
    assert_int_equal(parse_exact(B.img, sizeof(struct t_ehdr) - 1, &out), E_NOEXEC);
    /* A header alone is long enough to read, but its program headers are then missing. */
    assert_int_equal(parse_exact(B.img, sizeof(struct t_ehdr), &out), E_NOEXEC);
    assert_int_equal(parse_exact(B.img, len, &out), OK);
}

/* Proves: a change to any of the four magic bytes is rejected. */
static void test_reject_bad_magic(void **state)
{
    (void)state;
    add_text();
    for (int i = 0; i < 4; i++) {
        b_emit(&B);
        B.img[i] ^= 0x20;
        assert_int_equal(parse_exact(B.img, B.len, &out), E_NOEXEC);
    }
}

/* Proves: ELFCLASS32 (and an invalid class) is rejected. */
static void test_reject_32bit_class(void **state)
{
    (void)state;
    add_text();
    B.eh.ident[4] = 1;
    assert_rejected();
    B.eh.ident[4] = 0;
    assert_rejected();
}

/* Proves: big-endian (and an invalid data encoding) is rejected. */
static void test_reject_big_endian(void **state)
{
    (void)state;
    add_text();
    B.eh.ident[5] = 2;
    assert_rejected();
    B.eh.ident[5] = 0;
    assert_rejected();
}

/* Proves: ET_DYN, ET_REL, ET_CORE and ET_NONE objects are rejected; only ET_EXEC loads. */
static void test_reject_non_exec_type(void **state)
{
    (void)state;
    add_text();
    const uint16_t types[] = {0, 1, 3, 4};
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        B.eh.type = types[i];
        assert_rejected();
    }
}

/* Proves: machines other than x86-64 (none, i386, AArch64, RISC-V) are rejected. */
static void test_reject_wrong_machine(void **state)
{
    (void)state;
    add_text();
    const uint16_t machines[] = {0, 3, 183, 243};
    for (size_t i = 0; i < ARRAY_SIZE(machines); i++) {
        B.eh.machine = machines[i];
        assert_rejected();
    }
}

/* Proves: a program-header entry size other than 56 is rejected. */
static void test_reject_bad_phentsize(void **state)
{
    (void)state;
    add_text();
    const uint16_t sizes[] = {0, 32, 55, 57, 64};
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        B.eh.phentsize = sizes[i];
        assert_rejected();
    }
}

/* Proves: an image without program headers is rejected. */
static void test_reject_phnum_zero(void **state)
{
    (void)state;
    add_text();
    B.eh.phnum = 0;
    assert_rejected();
}

/* Proves: program headers reaching past the image end, by one byte or by wrapping, are rejected. */
static void test_reject_phdrs_out_of_bounds(void **state)
{
    (void)state;
    add_text();
    size_t len = b_emit(&B);
    /* Each image is cut at the original length, so the moved headers lie (partly) outside. */
    const uint64_t phoffs[] = {len, len + 1, len - sizeof(struct t_phdr) + 1, ~0ull - 8};
    for (size_t i = 0; i < ARRAY_SIZE(phoffs); i++) {
        B.eh.phoff = phoffs[i];
        b_emit(&B);
        assert_int_equal(parse_exact(B.img, len, &out), E_NOEXEC);
    }
    B.eh.phoff = sizeof(struct t_ehdr);
    B.eh.phnum = 0xffff; /* many more headers than the image holds */
    assert_rejected();
    /* Headers placed last in the file: all of them present is fine, one byte short is not. */
    B.eh.phnum = 1;
    B.eh.phoff = ALIGN_UP(len, 8);
    size_t with_ph = b_emit(&B);
    assert_int_equal(with_ph, B.eh.phoff + sizeof(struct t_phdr));
    assert_int_equal(parse_exact(B.img, with_ph, &out), OK);
    assert_int_equal(parse_exact(B.img, with_ph - 1, &out), E_NOEXEC);
}

/* Proves: a segment with more file bytes than memory bytes is rejected. */
static void test_reject_filesz_gt_memsz(void **state)
{
    (void)state;
    add_text();
    b_load(&B, PF_R | PF_W, BASE + 0x3000, 0x101, 0x100);
    assert_rejected();
}

/* Proves: an empty PT_LOAD (memsz 0) that claims file bytes is rejected, not skipped. */
static void test_reject_empty_segment_with_file_bytes(void **state)
{
    (void)state;
    add_text();
    b_load(&B, PF_R, BASE + 0x5000, 0x10, 0);
    assert_rejected();
}

/* Proves: a segment whose file range leaves the image, wraps included, is rejected. */
static void test_reject_file_range_outside_image(void **state)
{
    (void)state;
    add_text();
    struct t_phdr *p = b_load(&B, PF_R | PF_W, BASE + 0x3000, 0x100, 0x100);
    size_t len = b_emit(&B);
    assert_int_equal(parse_exact(B.img, len, &out), OK);
    assert_int_equal(parse_exact(B.img, len - 1, &out), E_NOEXEC); /* last byte missing */
    p->offset = len + 1;
    p->filesz = 0;
    b_emit(&B);
    assert_int_equal(parse_exact(B.img, len, &out), E_NOEXEC); /* offset past the end */
    p->offset = len;
    b_emit(&B);
    assert_int_equal(parse_exact(B.img, len, &out), OK); /* empty range at the very end */
    p->offset = ~0ull - 0x10;
    p->filesz = 0x20;
    b_emit(&B);
    assert_int_equal(parse_exact(B.img, len, &out), E_NOEXEC); /* offset + filesz wraps */
}

/* Proves: segments in page 0, kernel half, last page or non-canonical space are rejected. */
static void test_reject_segment_outside_user_space(void **state)
{
    (void)state;
    const uint64_t bad[] = {0,
                            0x800,
                            0xffffffff80000000ull,
                            0xffff800000000000ull,
                            0x0000800000000000ull,
                            USER_TOP,
                            USER_TOP + 0x10};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        b_init(&B);
        add_text();
        b_load(&B, PF_R | PF_W, bad[i], 0x10, 0x10);
        assert_rejected();
    }
    /* Starting in user space but running past its top. */
    b_init(&B);
    add_text();
    b_load(&B, PF_R | PF_W, USER_TOP - PAGE, 0x10, PAGE + 1);
    assert_rejected();
}

/* Proves: a segment whose vaddr + memsz wraps around the address space is rejected. */
static void test_reject_wrapping_segment(void **state)
{
    (void)state;
    add_text();
    b_load(&B, PF_R | PF_W, BASE + 0x3000, 0x10, 0ull - (BASE + 0x3000)); /* ends at 2^64 */
    assert_rejected();
    b_init(&B);
    add_text();
    b_load(&B, PF_R | PF_W, BASE + 0x3000, 0x10, ~0ull);
    assert_rejected();
}

/* Proves: a segment larger than 1 TiB is rejected even when it fits in user space; 1 TiB is not. */
static void test_reject_oversized_segment(void **state)
{
    (void)state;
    add_text();
    b_load(&B, PF_R | PF_W, 0x100000000000ull, 0x10, (1ull << 40) + 1);
    assert_rejected();
    B.ph[1].memsz = 1ull << 40;
    assert_int_equal(parse(&B), OK);
    assert_int_equal(out.segs[1].memsz, 1ull << 40);
}

/* Proves: identical, partially overlapping, nested and same-page segments are rejected. */
static void test_reject_overlapping_segments(void **state)
{
    (void)state;
    struct {
        uint64_t vaddr, memsz;
    } other[] = {
        {BASE + 0x1000, 0x234},  /* identical */
        {BASE + 0x1100, 0x2000}, /* starts inside */
        {BASE, 0x1001},          /* ends inside */
        {BASE, 0x10000},         /* contains */
        {BASE + 0x1ff0, 0x10},   /* same page as the text's tail, no byte shared */
    };
    for (size_t i = 0; i < ARRAY_SIZE(other); i++) {
        b_init(&B);
        add_text();
        b_load(&B, PF_R | PF_W, other[i].vaddr, 0x10, other[i].memsz);
        assert_rejected();
        /* Order does not matter. */
        b_init(&B);
        b_load(&B, PF_R | PF_W, other[i].vaddr, 0x10, other[i].memsz);
        add_text();
        assert_rejected();
    }
}

/* Proves: an entry outside every executable segment is rejected, even inside a data segment. */
static void test_reject_entry_outside_exec_segment(void **state)
{
    (void)state;
    const uint64_t entries[] = {BASE + 0x1000 - 1, BASE + 0x1000 + 0x234, BASE + 0x3000, 0};
    for (size_t i = 0; i < ARRAY_SIZE(entries); i++) {
        b_init(&B);
        add_text();
        b_load(&B, PF_R | PF_W, BASE + 0x3000, 0x10, 0x10); /* readable, writable, not executable */
        B.eh.entry = entries[i];
        assert_rejected();
    }
}

/* Proves: an image whose program headers contain no (non-empty) PT_LOAD is rejected. */
static void test_reject_no_load_segment(void **state)
{
    (void)state;
    b_add(&B, PT_NOTE, PF_R, BASE + 0x1000, 0x10, 0x10);
    assert_rejected();
    b_init(&B);
    b_load(&B, PF_R | PF_X, BASE + 0x1000, 0, 0);
    assert_rejected();
}

/* Proves: one loadable segment more than ELF_MAX_SEGMENTS is rejected. */
static void test_reject_too_many_segments(void **state)
{
    (void)state;
    for (unsigned i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
        b_load(&B, PF_R | PF_X, BASE + 0x1000 + i * PAGE, 0x10, 0x10);
    assert_rejected();
}

/* ---- mutation fuzz --------------------------------------------------------------------------- */

static uint64_t rng;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* What every accepted image must satisfy, whatever bytes it is made of. */
static void assert_image_sane(const struct elf_image *o, size_t len)
{
    assert_in_range(o->nsegs, 1, ELF_MAX_SEGMENTS);
    bool entry_ok = false;
    for (unsigned i = 0; i < o->nsegs; i++) {
        const struct elf_segment *s = &o->segs[i];
        assert_int_equal(s->vaddr % PAGE, 0);
        assert_int_equal(s->memsz % PAGE, 0);
        assert_true(s->memsz > 0);
        assert_true(vm_user_range_ok(s->vaddr, s->memsz));
        assert_true(s->offset <= len && s->filesz <= len - s->offset);
        assert_true(s->copy_at >= s->vaddr && s->copy_at - s->vaddr < PAGE);
        assert_true(s->filesz <= s->vaddr + s->memsz - s->copy_at);
        assert_int_equal(s->rights & ~(VM_R | VM_W | VM_X), 0);
        if ((s->rights & VM_X) && o->entry >= s->vaddr && o->entry < s->vaddr + s->memsz)
            entry_ok = true;
        for (unsigned j = 0; j < i; j++) {
            const struct elf_segment *t = &o->segs[j];
            assert_false(s->vaddr < t->vaddr + t->memsz && t->vaddr < s->vaddr + s->memsz);
        }
    }
    assert_true(entry_ok);
}

/* Proves: 2000 seeded mutations never crash (ASan) and every accepted image is sane. */
static void test_fuzz_mutations(void **state)
{
    (void)state;
    B.eh.entry = BASE + 0x1010;
    b_load(&B, PF_R | PF_X, BASE + 0x1000, 0x300, 0x300);
    b_load(&B, PF_R, BASE + 0x3000, 0x80, 0x80);
    b_load(&B, PF_R | PF_W, BASE + 0x5100, 0x40, 0x3000);
    b_add(&B, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0);
    size_t len = b_emit(&B);
    const size_t hdr_end = sizeof(struct t_ehdr) + B.nph * sizeof(struct t_phdr);
    uint8_t *m = malloc(len);
    assert_non_null(m);
    unsigned accepted = 0, rejected = 0;
    rng = 0x9e3779b97f4a7c15ull;
    for (int iter = 0; iter < 2000; iter++) {
        memcpy(m, B.img, len);
        unsigned flips = 1 + next_rand() % 8;
        for (unsigned k = 0; k < flips; k++) {
            /* Mostly the headers, where the parser's decisions are made. */
            size_t at = next_rand() % 4 ? next_rand() % hdr_end : next_rand() % len;
            uint64_t r = next_rand();
            m[at] = r & 1 ? (uint8_t)(r >> 8) : m[at] ^ (uint8_t)(1u << ((r >> 8) % 8));
        }
        size_t mlen = next_rand() % 8 ? len : next_rand() % (len + 1); /* sometimes truncated */
        struct elf_image o;
        enum status s = parse_exact(m, mlen, &o);
        if (s == OK) {
            accepted++;
            assert_image_sane(&o, mlen);
        } else {
            assert_int_equal(s, E_NOEXEC);
            rejected++;
        }
    }
    free(m);
    /* The mutations exercised both outcomes, so the checks above were not vacuous. */
    assert_true(accepted > 0);
    assert_true(rejected > 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        T(test_single_segment),
        T(test_multi_segment),
        T(test_rights_follow_p_flags),
        T(test_non_load_headers_skipped),
        T(test_unaligned_image),
        T(test_max_segments_accepted),
        T(test_adjacent_segments_accepted),
        T(test_entry_at_last_byte_accepted),
        T(test_segment_ending_at_user_top_accepted),
        T(test_reject_too_short),
        T(test_reject_bad_magic),
        T(test_reject_32bit_class),
        T(test_reject_big_endian),
        T(test_reject_non_exec_type),
        T(test_reject_wrong_machine),
        T(test_reject_bad_phentsize),
        T(test_reject_phnum_zero),
        T(test_reject_phdrs_out_of_bounds),
        T(test_reject_filesz_gt_memsz),
        T(test_reject_empty_segment_with_file_bytes),
        T(test_reject_file_range_outside_image),
        T(test_reject_segment_outside_user_space),
        T(test_reject_wrapping_segment),
        T(test_reject_oversized_segment),
        T(test_reject_overlapping_segments),
        T(test_reject_entry_outside_exec_segment),
        T(test_reject_no_load_segment),
        T(test_reject_too_many_segments),
        T(test_fuzz_mutations),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]); /* run one test (or a glob) by name */
    return cmocka_run_group_tests_name("elf", tests, NULL, NULL) ? 1 : 0;
}
