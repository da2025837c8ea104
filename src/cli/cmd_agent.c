/* cmd_agent.c — `cmharden agent`: serves a site over the agent protocol on
 * stdin/stdout (agent_server.h), through a target (a training lab by default).
 * Stdout carries the protocol and nothing else; diagnostics go to stderr. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/util.h"
#include "cli/cli.h"
#include "target/agent_server.h"

static int agent_help(void)
{
	puts(_("Usage: cmharden agent [--lab NAME|FILE] [--read-only] [--break SOURCE@SERVER=WHY]...\n"
	       "       [--deny-modify CLASS]...\n"
	       "Serve a site over the agent protocol (doc/agent-protocol.md) on standard input\n"
	       "and output, for a client started with --target 'agent:COMMAND'. Without --lab,\n"
	       "the global --target is served (default: the training lab 'default').\n"
	       "Changes made through the agent persist in the lab's state, as locally.\n\n"
	       "  -l, --lab=NAME|FILE  serve this training lab\n"
	       "  -r, --read-only      refuse every change (the agent offers no 'set', and runs\n"
	       "                       only the capture phase of fix scripts)\n"
	       "  -b, --break=SOURCE@SERVER=WHY\n"
	       "                       rehearse a broken site: the data source (provider,\n"
	       "                       sitecontrol, registry, services, iis, groups, shares,\n"
	       "                       certificates, admin) fails on SERVER with WHY (denied,\n"
	       "                       winrm, unresolved, timeout, unavailable), in the probe\n"
	       "                       and for every class read from it\n"
	       "  -m, --deny-modify=CLASS\n"
	       "                       rehearse an account without the MODIFY right on a\n"
	       "                       secured class of the SMS Provider (SMS_Collection,\n"
	       "                       SMS_Package, SMS_Advertisement): the probe says so, and\n"
	       "                       every change to that class is refused (access denied)\n\n"
	       "Example, serving trainees over ssh (in ~/.ssh/authorized_keys):\n"
	       "  command=\"cmharden agent --lab default\" ssh-ed25519 AAAA... trainee"));
	return EXIT_PASS;
}

int cmd_agent(const cli_opts *g, int argc, char **argv)
{
	static const struct option lo[] = {{"lab", required_argument, NULL, 'l'},
					   {"read-only", no_argument, NULL, 'r'},
					   {"break", required_argument, NULL, 'b'},
					   {"deny-modify", required_argument, NULL, 'm'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	const char *lab = NULL;
	bool readonly = false;
	agent_break broken[32];
	size_t nbroken = 0;
	const char *deny[32];
	size_t ndeny = 0;
	int c, rc = EXIT_ERROR;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "l:rb:m:h", lo, NULL)) != -1) {
		switch (c) {
		case 'm': {
			bool known = false;
			for (size_t i = 0; i < probe_nsecured_classes && !known; i++)
				known = !strcasecmp(probe_secured_classes[i], optarg);
			if (ndeny == ARRAY_SIZE(deny) || !known) {
				rc = cli_usage_error("agent ", _("--deny-modify takes a secured class: SMS_Collection, "
								 "SMS_Package or SMS_Advertisement"));
				goto out;
			}
			deny[ndeny++] = optarg;
			break;
		}
		case 'b':
			if (nbroken == ARRAY_SIZE(broken) || agent_break_parse(optarg, &broken[nbroken]) < 0) {
				rc = cli_usage_error("agent ", _("--break takes SOURCE@SERVER=WHY, e.g. registry@CM02=denied"));
				goto out;
			}
			nbroken++;
			break;
		case 'l':
			lab = optarg;
			break;
		case 'r':
			readonly = true;
			break;
		case 'h':
			rc = agent_help();
			goto out;
		default:
			rc = cli_usage_error("agent ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		rc = cli_usage_error("agent ", _("unexpected argument '%s'"), argv[optind]);
		goto out;
	}
	char *spec = lab ? xasprintf("lab:%s", lab) : NULL, *err = NULL;
	core_session ses;
	session_init(&ses, g);
	if (spec)
		ses.tspec = spec;
	if (session_open(&ses, g->needs, &err) < 0 ||
	    agent_serve_broken(ses.t, readonly, broken, nbroken, deny, ndeny, 0, 1, &err) < 0) {
		if (err)
			fprintf(stderr, "cmharden agent: %s\n", err);
	} else
		rc = EXIT_PASS;
	free(err);
	session_close(&ses);
	free(spec);
out:
	for (size_t i = 0; i < nbroken; i++)
		agent_break_release(&broken[i]);
	return rc;
}
