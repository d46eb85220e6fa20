/* SPDX-License-Identifier: MIT */
/* The run's verdict on one attack, decided from trace events only, with the records that
 * decided it (definitions per attack kind: analyzer/README.md, "Observed verdicts"). */
#ifndef OBSERVE_H
#define OBSERVE_H

#include "bitmat.h"
#include "trace.h"

#define OBS_CITE_MAX 5 /* records cited per attack; the rest are counted */

struct obs_attack {
    enum scn_verdict verdict;        /* SUCCEEDED, BLOCKED, INCONCLUSIVE or INCOMPLETE */
    struct an_buf reason;            /* one sentence: what decided it */
    uint32_t cite[OBS_CITE_MAX + 2]; /* indexes into trace->ev, in trace order */
    uint32_t ncite;
    uint32_t more;  /* further records of the kind cited, not listed */
    char note[200]; /* set when nothing is cited: "no attempt by X in the trace", ... */
};

/* Decides attack k of s from trace t, recorded under backend p; declared is the channel
 * relation (senders -> receiving tasks). */
void observe_attack(const struct scn *s, const struct trace *t, const struct bitmat *declared,
                    enum an_policy_id p, const struct scn_attack *k, struct obs_attack *o);
void obs_attack_free(struct obs_attack *o);
/* "reach prober -> victim", "probe prober", "spoof evil as c_teller". */
void obs_attack_title(const struct scn *s, const struct scn_attack *k, struct an_buf *out);

#endif
