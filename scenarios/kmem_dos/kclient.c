/* SPDX-License-Identifier: MIT */
/*
 * The honest client (kmem_dos): calls the file service every 5 ms while the flood goes on and
 * records how each call ended, and logs each answer to the log service (one-way, a short
 * timeout). A message of it refused for lack of kernel memory is the denial of service; the
 * trace shows them either way.
 */
#include "rpc_idl.h"
#include "scn.h"

#define CALLS 30

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long fs = scn_channel("c_fs");
    if (fs < 0) return report_error("kclient: no channel c_fs", fs);
    long log = scn_channel("c_klog");
    if (log < 0) return report_error("kclient: no channel c_klog", log);
    unsigned ok = 0, failed = 0, logged = 0;
    long last_error = 0;
    for (unsigned i = 0; i < CALLS; i++) {
        word_t label;
        long r = rpc_req_call_to((word_t)fs, 50000, &label); /* generated: idl/rpc.idl */
        if (r == 0)
            ok++;
        else
            failed++, last_error = r;
        utcb()->mr[0] = (word_t)r;
        if (ipc_send((word_t)log, MSGTAG(7, 1, 0, 0), 2000) == 0) logged++;
        sleep_us(5000);
    }
    scn_record("%u of %u calls to fs answered during the flood%s%s; %u of %u log entries sent", ok,
               CALLS, failed ? "; last failure: " : "", failed ? status_text(last_error) : "",
               logged, CALLS);
    return 0;
}
