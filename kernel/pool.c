/* SPDX-License-Identifier: MIT */
/* Fixed-capacity object pools with a free list and accounting. */
#include "pool.h"
#include "lib/mem.h"

void pool_init(struct pool *p)
{
    for (uint32_t i = 0; i < p->capacity; i++)
        p->next[i] = i + 1 < p->capacity ? i + 1 : POOL_END;
    p->free_head = p->capacity ? 0 : POOL_END;
    p->used = p->peak = p->failures = p->retired = 0;
}

void *pool_alloc(struct pool *p)
{
    if (p->free_head == POOL_END) {
        p->failures++;
        return NULL;
    }
    uint32_t i = p->free_head;
    p->free_head = p->next[i];
    p->next[i] = POOL_IN_USE;
    if (++p->used > p->peak) p->peak = p->used;
    void *obj = p->objs + (size_t)i * p->obj_size;
    memset(obj, 0, p->obj_size);
    return obj;
}

uint32_t pool_index(const struct pool *p, const void *obj)
{
    const uint8_t *o = obj;
    if (o < p->objs || o >= p->objs + (size_t)p->capacity * p->obj_size) return POOL_END;
    size_t off = (size_t)(o - p->objs);
    if (off % p->obj_size != 0) return POOL_END;
    return (uint32_t)(off / p->obj_size);
}

enum status pool_free(struct pool *p, void *obj)
{
    uint32_t i = pool_index(p, obj);
    if (i == POOL_END || p->next[i] != POOL_IN_USE) return E_INVAL;
    p->next[i] = p->free_head;
    p->free_head = i;
    p->used--;
    return OK;
}

uint32_t pool_new_id(const struct pool *p, uint32_t *gen, const void *obj)
{
    uint32_t slot = pool_index(p, obj);
    kassert(slot != POOL_END && gen[slot] < ID_GEN_LIMIT);
    return gen[slot]++ << ID_SLOT_BITS | (slot + 1);
}

void pool_free_id(struct pool *p, const uint32_t *gen, void *obj)
{
    uint32_t i = pool_index(p, obj);
    kassert(i != POOL_END && p->next[i] == POOL_IN_USE);
    if (gen[i] < ID_GEN_LIMIT) {
        kassert(pool_free(p, obj) == OK);
        return;
    }
    p->next[i] = POOL_RETIRED; /* neither in use nor free: pool_at and pool_alloc skip it */
    p->used--;
    p->retired++;
}

uint32_t pool_retired(const struct pool *p)
{
    return p->retired;
}
