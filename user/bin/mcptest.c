/* SPDX-License-Identifier: MIT */
/*
 * Priority is authority over the CPU (L4's maximum controlled priority): a task can give its
 * threads and its children at most the priority its creator gave it. main(0) is the creator;
 * main(1) a child with the default MCP (its initial priority) that tries to climb and then
 * spins at the top it may use; main(2) a child given two levels more. Without the bound, the
 * spinner of main(1) would run at PRIO_MAX and its creator would never run again.
 */
#include "ulib.h"

static char stack[4096] __attribute__((aligned(16)));

static unsigned self_module(void)
{
    char name[32];
    for (unsigned i = 1; module_info(i, name, sizeof(name)) >= 0; i++)
        if (strcmp(name, "mcptest") == 0) return i;
    return 0;
}

static long short_lived(word_t arg)
{
    (void)arg;
    return 0;
}

static long spin(word_t arg)
{
    (void)arg;
    for (;;)
        __asm__ volatile("" ::: "memory");
    return 0;
}

static void expect(const char *what, long got, long want)
{
    printf("mcptest: %s: %s%s\n", what, got < 0 ? status_text(got) : "ok",
           (got < 0 ? got : 0) == want ? "" : " (UNEXPECTED)");
}

/* A child whose MCP is its initial priority, PRIO_DEFAULT. */
static int climber(void)
{
    unsigned self = self_module();
    expect("thread above its MCP",
           thread_start(short_lived, 0, stack, sizeof(stack), PRIO_DEFAULT + 1), -E_PERM);
    expect("thread at PRIO_MAX", thread_start(spin, 0, stack, sizeof(stack), PRIO_MAX), -E_PERM);
    expect("child above its MCP", task_spawn(self, PRIO_DEFAULT + 1, 9), -E_PERM);
    expect("child with a higher MCP", task_spawn(self, PRIO_DEFAULT | SPAWN_MCP(PRIO_MAX), 9),
           -E_PERM);
    expect("thread at its MCP", thread_start(short_lived, 0, stack, sizeof(stack), PRIO_DEFAULT),
           0);
    spin(0); /* at PRIO_DEFAULT: it shares the CPU with its creator's threads, never more */
    return 1;
}

/* A child given an MCP two levels above its priority. */
static int raised(void)
{
    expect("raised child: thread at its MCP",
           thread_start(short_lived, 0, stack, sizeof(stack), PRIO_DEFAULT + 2), 0);
    static char stack2[4096] __attribute__((aligned(16)));
    expect("raised child: thread above its MCP",
           thread_start(short_lived, 0, stack2, sizeof(stack2), PRIO_DEFAULT + 3), -E_PERM);
    return 0;
}

static int creator(void)
{
    unsigned self = self_module();
    expect("spawn with an MCP below the priority",
           task_spawn(self, PRIO_DEFAULT | SPAWN_MCP(PRIO_DEFAULT - 1), 9), -E_RANGE);
    expect("spawn with unknown flag bits", task_spawn(self, PRIO_DEFAULT | 0x200, 9), -E_INVAL);

    long r = task_spawn(self, PRIO_DEFAULT | SPAWN_MCP(PRIO_DEFAULT + 2), 2);
    struct task_exit e = {0};
    long w = r < 0 ? r : task_wait(SPAWN_TASK(r), &e);
    printf("mcptest: raised child ended: %s, how %lu code %lu\n", status_text(w), e.how, e.code);

    r = task_spawn(self, PRIO_DEFAULT, 1);
    if (r < 0) {
        printf("mcptest: cannot spawn the climber: %s\n", status_text(r));
        return 1;
    }
    sleep_us(20000); /* the climber is spinning by now: we wake only if it cannot starve us */
    printf("mcptest: the creator runs while its child spins\n");
    long k = task_kill(SPAWN_TASK(r), 7);
    long w2 = task_wait(SPAWN_TASK(r), &e);
    printf("mcptest: climber killed: %s, ended how %lu code %lu\n", status_text(k < 0 ? k : w2),
           e.how, e.code);
    return k != 0 || w2 != 0 || e.how != TASK_END_TERMINATED;
}

int main(word_t role)
{
    switch (role) {
    case 0:
        return creator();
    case 1:
        return climber();
    case 2:
        return raised();
    }
    return 1;
}
