/* agent_server.h — a target served over the agent protocol (doc/agent-protocol.md). */
#ifndef CMH_AGENT_SERVER_H
#define CMH_AGENT_SERVER_H

#include <stdbool.h>

#include "target/target.h"

/* Answers requests read from fd `in` with replies on fd `out`, through t, until
 * the client says bye or closes. read_only (or a read-only target) refuses
 * set and run. 0 at the end of the session; -1 with *err when reading
 * failed, -1 with *err NULL when the client went away (replies cannot be written). */
int agent_serve(target *t, bool read_only, int in, int out, char **err);

#endif
