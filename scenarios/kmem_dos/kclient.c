/* SPDX-License-Identifier: MIT */
/*
 * The honest client (kmem_dos): calls the file service every 5 ms while the flood goes on and
 * records how each call ended. Its calls refused for lack of kernel memory would be the
 * denial of service; the trace shows them either way.
 */
#include "rpc_idl.h"
#include "scn.h"

#define CALLS 30

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long fs = scn_channel("c_fs");
    if (fs < 0) return report_error("kclient: no channel c_fs", fs);
    unsigned ok = 0, failed = 0;
    long last_error = 0;
    for (unsigned i = 0; i < CALLS; i++) {
        word_t label;
        long r = rpc_req_call_to((word_t)fs, 50000, &label); /* generated: idl/rpc.idl */
        if (r == 0)
            ok++;
        else
            failed++, last_error = r;
        sleep_us(5000);
    }
    scn_record("%u of %u calls to fs answered during the flood%s%s", ok, CALLS,
               failed ? "; last failure: " : "", failed ? status_text(last_error) : "");
    return 0;
}
