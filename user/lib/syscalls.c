/* SPDX-License-Identifier: MIT */
/* Raw system-call stubs, one per SYSCALL_LIST entry (abi/syscall.h). */
#include "ulib.h"

/* The one trap into the kernel; argument registers follow the ABI in abi/syscall.h. */
long syscall5(word_t no, word_t a0, word_t a1, word_t a2, word_t a3, word_t a4)
{
    register word_t r10 __asm__("r10") = a3;
    register word_t r8 __asm__("r8") = a4;
    long ret;
    /* SYS_ipc may hand back anything in its scratch registers (abi/syscall.h): say so for all */
    __asm__ volatile("syscall"
                     : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8)
                     : "a"(no)
                     : "rcx", "r9", "r11", "memory");
    return ret;
}

#define SYSCALL_STUB(num, name, nargs)                                                             \
    long sys_##name(word_t a0, word_t a1, word_t a2, word_t a3, word_t a4)                         \
    {                                                                                              \
        return syscall5(num, a0, a1, a2, a3, a4);                                                  \
    }
SYSCALL_LIST(SYSCALL_STUB)
#undef SYSCALL_STUB
