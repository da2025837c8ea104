/* target_agent.h — targets that are not simulated in this process: a live site
 * through an agent speaking doc/agent-protocol.md, and a site snapshot. */
#ifndef CMH_TARGET_AGENT_H
#define CMH_TARGET_AGENT_H

#include <stdbool.h>
#include <stdio.h>

#include "content/lab.h"
#include "target/target.h"

/* The default for CMHARDEN_AGENT_TIMEOUT, in seconds. */
#define AGENT_TIMEOUT_DEFAULT 30.0

/* Starts COMMAND (split into words without a shell, or run by /bin/sh -c when
 * `shell` is true), says hello and learns the site. One process per target;
 * target_close() says bye and reaps it. With w, its cancel hook is the
 * target's from the start: the wait for the hello can be cancelled. */
int agent_target_open(const char *command, bool shell, const target_watch *w, target **out, char **err);

/* The idle time-out from CMHARDEN_AGENT_TIMEOUT (seconds, may be fractional). */
int agent_timeout(double *seconds, char **err);

#endif
