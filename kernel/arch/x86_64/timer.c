/* SPDX-License-Identifier: MIT */
/* Legacy PIC (remapped to vectors 32-47) and the PIT as the periodic preemption timer. */
#include "arch.h"
#include "cpu.h"
#include "irq.h"

#define PIC1 0x20
#define PIC2 0xa0
#define PIT_HZ 1193182

void pic_init(void)
{
    outb(PIC1, 0x11);
    outb(PIC2, 0x11);
    outb(PIC1 + 1, IRQ_BASE);
    outb(PIC2 + 1, IRQ_BASE + 8);
    outb(PIC1 + 1, 4);
    outb(PIC2 + 1, 2);
    outb(PIC1 + 1, 1);
    outb(PIC2 + 1, 1);
    outb(PIC1 + 1, 0xff); /* all masked until a driver unmasks its line */
    outb(PIC2 + 1, 0xff);
}

void pic_unmask(unsigned irq)
{
    uint16_t port = irq < 8 ? PIC1 + 1 : PIC2 + 1;
    outb(port, inb(port) & ~(1u << (irq & 7)));
    if (irq >= 8) outb(PIC1 + 1, inb(PIC1 + 1) & ~(1u << 2));
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8) outb(PIC2, 0x20);
    outb(PIC1, 0x20);
}

void arch_timer_init(unsigned hz)
{
    unsigned divisor = PIT_HZ / hz;
    outb(0x43, 0x34); /* channel 0, lo/hi, rate generator */
    outb(0x40, divisor & 0xff);
    outb(0x40, (divisor >> 8) & 0xff);
    pic_unmask(0);
}
