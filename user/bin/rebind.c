/* SPDX-License-Identifier: MIT */
/*
 * A client holding a gate with send and give rights tries to bind it to itself (it would then
 * receive every other client's messages under the label they trust): a right to give is not a
 * right to rebind. Its own gate, created by itself, it may bind.
 */
#include "ulib.h"

int main(word_t given)
{
    long me = self_thread();
    printf("rebind: binding the gate it was given (send+give) to itself: %s\n",
           status_text(endpoint_bind(given, (word_t)me)));
    printf("rebind: handing itself the gate with the bind right: %s\n",
           status_text(name_give((long)self_task(), given, NAME_ALL)));
    long own = endpoint_create(0, 0x51);
    printf("rebind: binding a gate it created to itself: %s\n",
           status_text(own < 0 ? own : endpoint_bind((word_t)own, (word_t)me)));
    return 0;
}
