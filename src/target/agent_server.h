/* agent_server.h — a target served over the agent protocol (doc/agent-protocol.md). */
#ifndef CMH_AGENT_SERVER_H
#define CMH_AGENT_SERVER_H

#include <stdbool.h>

#include "target/probe.h"
#include "target/target.h"

/* A data source made to fail on purpose (cmharden agent --break), to rehearse
 * the doctor and the error paths on a lab: the probe reports it, and every
 * class read from it answers classerror 503 naming the server. */
typedef struct agent_break {
	char *source, *server;
	probe_state state;
} agent_break;

/* SOURCE@SERVER=STATE: 0, or -1 when it is not of that form. */
int agent_break_parse(const char *arg, agent_break *out);
void agent_break_release(agent_break *b);

/* Answers requests read from fd `in` with replies on fd `out`, through t, until
 * the client says bye or closes. read_only (or a read-only target) refuses
 * set and run. 0 at the end of the session; -1 with *err when reading
 * failed, -1 with *err NULL when the client went away (replies cannot be written). */
int agent_serve(target *t, bool read_only, int in, int out, char **err);
/* The same, with data sources broken on purpose, and secured classes
 * (probe_secured_classes) the account may not modify (cmharden agent
 * --deny-modify): the probe says `right CLASS modify no`, and a set on one is
 * refused as the SMS Provider refuses it (access denied). */
int agent_serve_broken(target *t, bool read_only, const agent_break *broken, size_t nbroken,
		       const char *const *deny_modify, size_t ndeny, int in, int out, char **err);

#endif
