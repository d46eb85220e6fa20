/* SPDX-License-Identifier: MIT */
/* Interrupt controller (arch-internal). */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H
#define IRQ_BASE 32
void pic_init(void);
void pic_unmask(unsigned irq);
void pic_eoi(unsigned irq);
#endif
