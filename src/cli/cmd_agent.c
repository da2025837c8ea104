/* cmd_agent.c — `cmharden agent`: serves a site over the agent protocol on
 * stdin/stdout (agent_server.h), through a target (a training lab by default).
 * Stdout carries the protocol and nothing else; diagnostics go to stderr. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "cli/cli.h"
#include "target/agent_server.h"

static int agent_help(void)
{
	puts(_("Usage: cmharden agent [--lab NAME|FILE] [--read-only]\n"
	       "Serve a site over the agent protocol (doc/agent-protocol.md) on standard input\n"
	       "and output, for a client started with --target 'agent:COMMAND'. Without --lab,\n"
	       "the global --target is served (default: the training lab 'default').\n"
	       "Changes made through the agent persist in the lab's state, as locally.\n\n"
	       "  -l, --lab=NAME|FILE  serve this training lab\n"
	       "  -r, --read-only      refuse every change (the agent offers no 'set', and runs\n"
	       "                       only the capture phase of fix scripts)\n\n"
	       "Example, serving trainees over ssh (in ~/.ssh/authorized_keys):\n"
	       "  command=\"cmharden agent --lab default\" ssh-ed25519 AAAA... trainee"));
	return EXIT_PASS;
}

int cmd_agent(const cli_opts *g, int argc, char **argv)
{
	static const struct option lo[] = {{"lab", required_argument, NULL, 'l'},
					   {"read-only", no_argument, NULL, 'r'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	const char *lab = NULL;
	bool readonly = false;
	int c;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "l:rh", lo, NULL)) != -1) {
		switch (c) {
		case 'l':
			lab = optarg;
			break;
		case 'r':
			readonly = true;
			break;
		case 'h':
			return agent_help();
		default:
			return cli_usage_error("agent ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("agent ", _("unexpected argument '%s'"), argv[optind]);
	char *spec = lab ? xasprintf("lab:%s", lab) : xstrdup(session_target_spec(g));
	char *content = session_content_dir(g), *err = NULL;
	target *t = NULL;
	int rc = EXIT_ERROR;
	if (target_open(spec, content, &t, &err) < 0 || agent_serve(t, readonly, 0, 1, &err) < 0) {
		if (err)
			fprintf(stderr, "cmharden agent: %s\n", err);
	} else
		rc = EXIT_PASS;
	free(err);
	target_close(t);
	free(spec);
	free(content);
	return rc;
}
