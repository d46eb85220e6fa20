#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the IPC fuzzer's seed inputs (tests/fuzz/ipc/): short scripted exchanges in the
harness's encoding (fuzz_ipc.c, step()), so the fuzzer starts from calls that get answered,
gates, notifications, timeouts and kills instead of from nothing. Run it again after changing
the encoding."""
import os
import random

SEND, CALL, RECV, WAIT, REPLY, REPLY_WAIT, RAW, TICK, N_CREATE, N_BIND, N_TRIGGER, \
    ENDPOINT, BIND, GIVE, DROP, BUFFERS, EXIT, KILL, NEW_THREAD, NEW_TASK = range(20)
Z, NEVER, T500, T1000, T2500 = 0, 1, 3, 4, 5  # timeout choices
W1 = [0x01, 0x00]  # tag: one word, no items
W0 = [0x00, 0x00]


def actor(k):  # the current name of actor k's thread
    return [1 | k << 2]


def slot(n):  # a small number: a capability slot under capgate
    return [2 | n << 2]


def seen(i):  # the i-th name the harness has seen
    return [i << 2]


def ipc(op, who, dest, tag=W1, snd=NEVER, rcv=NEVER):
    return [op, who] + dest + tag + [snd, rcv]


def head(fast=True, tasks=2, extra=0):
    cfg = (1 if fast else 0) | (tasks - 2) << 1 | extra << 3
    return [cfg] + [2] * (tasks + extra)


def echo(fast, dest):
    s = head(fast)
    s += ipc(WAIT, 1, slot(0))
    s += [ENDPOINT, 0, 0] + actor(1) + [0x42]  # capgate: a gate to actor 1 (slot 5)
    for _ in range(3):
        s += ipc(CALL, 0, dest)
        s += ipc(REPLY_WAIT, 1, slot(0))
    s += [TICK, 3]
    return s


seeds = {
    "echo-none-fast": echo(True, actor(1)),
    "echo-none-slow": echo(False, actor(1)),
    "echo-capgate-fast": echo(True, slot(5)),
    "echo-capgate-slow": echo(False, slot(5)),
    "call-timeout": head() + ipc(CALL, 0, actor(1), rcv=T1000) + [TICK, 3] +
    ipc(WAIT, 1, slot(0), rcv=T500) + [TICK, 3, TICK, 3],
    "notify": head(tasks=3) + [N_CREATE, 0, 7] + [N_BIND, 0] + seen(3) +
    [GIVE, 0, 1] + seen(3) + [3] + ipc(WAIT, 0, slot(0)) + [N_TRIGGER, 1] + seen(4) + [5] +
    [N_TRIGGER, 2] + seen(3) + [9] + ipc(WAIT, 0, slot(0), rcv=Z),
    "kill-mid-call": head(tasks=3) + ipc(WAIT, 0, slot(0)) +
    [ENDPOINT, 1, 0] + actor(0) + [1] + ipc(CALL, 1, actor(0)) + ipc(CALL, 2, actor(0)) +
    ipc(CALL, 1, slot(5)) + [KILL, 1] + ipc(REPLY_WAIT, 0, slot(0)) + [KILL, 0, TICK, 1],
    "park-then-bind": head() + [ENDPOINT, 0, 1, 0x33] + [GIVE, 0, 1] + slot(4) + [3] +
    ipc(SEND, 1, slot(4)) + ipc(SEND, 1, slot(5)) + ipc(WAIT, 0, slot(0)) +
    [BIND, 0] + slot(4) + actor(0) + [TICK, 1] + [DROP, 0] + slot(4),
    "items": head() + [BUFFERS, 1, 0x1a, 0x05, 0x04, 0x05, 0x00, 0x08, 0x04, 0x00] +
    ipc(WAIT, 1, slot(0)) + ipc(SEND, 0, actor(1), tag=[0x52, 0x00, 0x00, 0x00, 0x01, 0x00]) +
    ipc(WAIT, 1, slot(0)) + ipc(CALL, 0, actor(1), tag=[0x51, 0x00, 0x25, 0xc0]) +
    ipc(REPLY, 1, slot(0), tag=[0x62, 0x00, 0x26, 0x02, 0x06, 0x41]),
    "threads-exit": head(tasks=2, extra=2) + ipc(WAIT, 2, slot(0)) + ipc(SEND, 0, actor(2)) +
    [NEW_THREAD, 1, 3] + ipc(RECV, 1, actor(0)) + [EXIT, 1] + ipc(SEND, 0, actor(1), snd=T500) +
    [TICK, 1, NEW_TASK, 2] + ipc(CALL, 0, actor(5), snd=T2500, rcv=T500) + [TICK, 3],
}
rng = random.Random(1)
for i in range(6):
    seeds[f"random-{i}"] = [rng.randrange(256) for _ in range(300)]

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ipc")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes(data))
