/* SPDX-License-Identifier: MIT */
/*
 * x87/SSE state is per thread: the first copy (arg 0) fills every FPU register, spawns a
 * second copy of itself, and the two call each other many times, each checking its own
 * registers after every switch; the new task first checks that it starts from the clean
 * initial state, not its parent's registers.
 */
#include "fpu.h"
#include "ulib.h"

#define ROUNDS 200

static long own_module(void)
{
    char name[32];
    for (unsigned i = 1;; i++) {
        long r = module_info(i, name, sizeof(name));
        if (r < 0) return r;
        if (strcmp(name, "fpustate") == 0) return i;
    }
}

/* Real arithmetic on both units: x87 1 + 1 and SSE 3.0 + 3.0. */
static bool fpu_computes(void)
{
    long x87 = 0, sse = 0;
    __asm__ volatile("fld1; fld1; faddp; fistpq %0" : "=m"(x87));
    __asm__ volatile("cvtsi2sdq %1, %%xmm0; addsd %%xmm0, %%xmm0; cvttsd2siq %%xmm0, %0"
                     : "=r"(sse)
                     : "r"(3L)); /* no clobber list: this build never uses xmm0 itself */
    return x87 == 2 && sse == 6;
}

static int child(word_t parent)
{
    bool fresh = fpu_is_initial();
    printf("fpustate: the new task starts with the initial FPU state: %s\n",
           fresh ? "yes" : "NO (it sees another task's registers)");
    struct fpu_image img;
    fpu_fill(&img, 2);
    fpu_load(&img);
    int bad = 0;
    word_t tag, label;
    for (int i = 0; i < ROUNDS; i++) {
        long r = ipc_call(parent, MSGTAG(0, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, &label);
        if (r < 0) {
            printf("fpustate: call failed: %s\n", status_text(r));
            return 1;
        }
        if (!fpu_holds(2)) bad++;
        yield();
        if (!fpu_holds(2)) bad++;
    }
    if (bad)
        printf("fpustate: child: REGISTERS CHANGED %d times\n", bad);
    else
        printf("fpustate: child kept its x87 and SSE registers through %d round trips\n", ROUNDS);
    return fresh && bad == 0 ? 0 : 1;
}

static int parent(void)
{
    struct fpu_image img;
    fpu_fill(&img, 1);
    fpu_load(&img);
    long mod = own_module();
    long r = mod < 0 ? mod : task_spawn((unsigned)mod, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    long ep = r < 0 ? r : endpoint_create(self_thread(), 0xf9);
    long child_task = SPAWN_TASK(r);
    long given = ep < 0 ? ep : name_give(child_task, (word_t)ep, NAME_SEND);
    if (given >= 0) given = task_start(child_task, (word_t)given);
    if (given < 0) {
        printf("fpustate: cannot start the second task: %s\n", status_text(given));
        return 1;
    }
    int bad = 0;
    word_t tag, label;
    long w = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    for (int i = 1; w >= 0 && i < ROUNDS; i++) {
        if (!fpu_holds(1)) bad++;
        w = ipc_reply_wait(MSGTAG(0, 0, 0, 0), TIMEOUT_NEVER, &tag, &label);
    }
    if (!fpu_holds(1)) bad++;
    if (w >= 0) w = ipc_reply(MSGTAG(0, 0, 0, 0));
    struct task_exit e;
    task_wait(child_task, &e);
    if (!fpu_holds(1)) bad++;
    if (bad || w < 0)
        printf("fpustate: parent: REGISTERS CHANGED %d times (ipc %ld)\n", bad, w);
    else
        printf("fpustate: parent kept its x87 and SSE registers through %d round trips\n", ROUNDS);
    printf("fpustate: x87 and SSE arithmetic work: %s\n", fpu_computes() ? "yes" : "NO");
    return bad == 0 && e.how == TASK_END_EXIT && e.code == 0 ? 0 : 1;
}

int main(word_t arg)
{
    return arg == 0 ? parent() : child(arg);
}
