/* SPDX-License-Identifier: MIT */
/*
 * Bounded object pools: every kernel object comes from a fixed array with a free list and
 * accounting (used, peak, failed allocations). Exhaustion returns NULL, never panics.
 */
#ifndef KERNEL_POOL_H
#define KERNEL_POOL_H

#include "kernel.h"

#define POOL_RETIRED 0xfffffffdu
#define POOL_IN_USE 0xfffffffeu
#define POOL_END 0xffffffffu

struct pool {
    const char *name;
    uint8_t *objs;
    uint32_t *next; /* free-list links; POOL_IN_USE marks an allocated slot */
    size_t obj_size;
    uint32_t capacity;
    uint32_t free_head;
    uint32_t used, peak, failures, retired;
};

/* Defines storage for `cap` objects of `type` and a struct pool named `var`. */
#define POOL_DEFINE(var, type, cap)                                                                \
    static type var##_storage[cap];                                                                \
    POOL_DEFINE_OVER(var, type, cap, var##_storage)
/* The same over storage defined elsewhere (e.g. visible to an inline lookup). */
#define POOL_DEFINE_OVER(var, type, cap, storage)                                                  \
    static uint32_t var##_links[cap];                                                              \
    struct pool var = {#var, (uint8_t *)storage, var##_links, sizeof(type), cap, 0, 0, 0, 0, 0}

void pool_init(struct pool *p);
void *pool_alloc(struct pool *p);                 /* zeroed object, or NULL when exhausted */
enum status pool_free(struct pool *p, void *obj); /* E_INVAL: not this pool's, or not in use */
uint32_t pool_index(const struct pool *p, const void *obj);
/* NULL if out of range or free. Inline: id lookups on the IPC path go through it. */
static inline void *pool_at(const struct pool *p, uint32_t index)
{
    if (index >= p->capacity || p->next[index] != POOL_IN_USE) return NULL;
    return p->objs + (size_t)index * p->obj_size;
}

/*
 * Ids that never repeat: generation << ID_SLOT_BITS | (slot + 1), with a generation counter
 * per slot (`gen`, capacity entries, zeroed at boot). A slot whose generations are used up is
 * retired when its object is freed, never handed out again, so a stale id can never name a new
 * object for the life of the system (the pool shrinks by one slot per 2^22 reuses instead).
 */
#define ID_SLOT_BITS 10
#define ID_GEN_LIMIT (1u << (32 - ID_SLOT_BITS))
uint32_t pool_new_id(const struct pool *p, uint32_t *gen, const void *obj);
/* Frees the object's slot, or retires it for good if its generations are used up. */
void pool_free_id(struct pool *p, const uint32_t *gen, void *obj);
uint32_t pool_retired(const struct pool *p); /* slots taken out of circulation */

#endif
