/* SPDX-License-Identifier: MIT */
/* The user address-space layout every task starts with. */
#ifndef ABI_LAYOUT_H
#define ABI_LAYOUT_H

#define PAGE_SIZE 4096UL
#define USER_MIN 0x0000000000001000UL /* page 0 is never mapped */
#define USER_TOP 0x00007ffffffff000UL /* exclusive; the last canonical page stays unmapped */
#define USER_IMAGE_BASE 0x0000000000400000UL
#define USER_STACK_TOP 0x0000700000000000UL
#define USER_STACK_PAGES 16UL
/* Demand-zero memory: the root task, default pager of every task it starts, maps pages of
 * its own boot memory here on first touch. */
#define USER_HEAP_BASE 0x0000000040000000UL
#define USER_HEAP_SIZE 0x0000000001000000UL /* 16 MiB of address space */

#endif
