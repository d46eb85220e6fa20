/* SPDX-License-Identifier: MIT */
/*
 * Between the scenario loader (monitor/scnroot/) and the reference monitor (monitor/refmon/),
 * under backends that fault sends to a monitor (refmon). The loader starts the monitor with
 * its own thread id as main's argument; only that thread may give it rules or ask it to
 * revoke. Every other message it gets is a policy fault (abi/ipc.h IPC_LABEL_POLICY_FAULT;
 * the label is the sender's task id) or is refused.
 *   RM_OP_RULES   mr[2i] = a task id, mr[2i+1] = a thread id it may reach (| RM_RULE_MAP: the
 *                 right may be mapped on; | RM_RULE_LIFE(ms): the rule lives that long after
 *                 its first grant, then the monitor forgets it and revokes the rights to that
 *                 thread at run time, so the next send faults and is refused); the first such
 *                 message also carries a map item of the IPC rights the monitor grants from
 *                 (every id). -> mr[0] = rules now held
 *   RM_OP_REVOKE  mr[0] = a thread id: every right to it the monitor granted is unmapped, so
 *                 the next send to it faults again. -> mr[0] = rights revoked, or -status
 *   RM_OP_FORGET  mr[0] = a task id, mr[1] = a thread id: the rule goes (and the rights it
 *                 granted, as RM_OP_REVOKE). -> mr[0] = rules removed
 */
#ifndef ULIB_REFMON_PROTO_H
#define ULIB_REFMON_PROTO_H

#define RM_OP_RULES 0x5e01
#define RM_OP_REVOKE 0x5e02
#define RM_OP_FORGET 0x5e03
#define RM_RULE_MAP (1UL << 63)
#define RM_RULE_LIFE(ms) ((unsigned long)((ms)&0xffffu) << 32) /* 1..65535 ms; 0: forever */
#define RM_RULE_LIFE_OF(w) ((unsigned)((w) >> 32) & 0xffffu)
#define RM_RULE_THREAD(w) ((w)&0xffffffffUL)
#define RM_RULES_PER_MSG 30

#endif
