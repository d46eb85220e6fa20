/* SPDX-License-Identifier: MIT */
/* User entry: align the stack, call main(arg), end the task with its result. */
    .text
    .global _start
_start:
    xorl %ebp, %ebp
    andq $-16, %rsp
    call main              /* main(arg): rdi as the kernel set it */
    movq %rax, %rdi
    call ulib_exit         /* returning from main ends the task, as in C */
1:  ud2
    jmp 1b

/* Entry of threads made by thread_create(): rdi = argument, the stack is the caller's. */
    .global _thread_start
_thread_start:
    xorl %ebp, %ebp
    popq %rax              /* the function and its argument, pushed by thread_start() */
    popq %rdi
    andq $-16, %rsp
    call *%rax
    movq %rax, %rdi
    call sys_thread_exit
    ud2

    .section .note.GNU-stack, "", @progbits
