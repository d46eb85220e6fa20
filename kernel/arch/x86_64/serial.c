/* SPDX-License-Identifier: MIT */
/* COM1 console: polled 16550 output at 115200 baud. */
#include "arch.h"
#include "cpu.h"
#include "serial.h"

#define COM1 0x3f8
#define COM2 0x2f8

static void port_init(uint16_t port)
{
    outb(port + 1, 0x00); /* no interrupts */
    outb(port + 3, 0x80); /* DLAB */
    outb(port + 0, 0x01); /* 115200 baud */
    outb(port + 1, 0x00);
    outb(port + 3, 0x03); /* 8N1 */
    outb(port + 2, 0xc7); /* FIFO */
    outb(port + 4, 0x03);
}

void serial_init(void)
{
    port_init(COM1);
    port_init(COM2);
}

static void port_putc(uint16_t port, char c)
{
    while ((inb(port + 5) & 0x20) == 0) {
    }
    outb(port, (uint8_t)c);
}

void arch_trace_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        port_putc(COM2, s[i]);
}

static void serial_putc(char c)
{
    port_putc(COM1, c);
}

void arch_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') serial_putc('\r');
        serial_putc(s[i]);
    }
}
