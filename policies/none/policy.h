/* SPDX-License-Identifier: MIT */
/* IPC-control backend `none`: global thread ids, no checks; the baseline. */
#ifndef POLICY_H
#define POLICY_H

#define POLICY_NAME "none"

#endif
