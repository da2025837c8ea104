/* cmd_waive.c — `cmharden waive`: a deliberate deviation from a check, with a reason. */
#include "config.h"
#include "cli/cli_change.h"

int cmd_waive(const cli_opts *g, int argc, char **argv)
{
	return cli_record_verdict(g, argc, argv, true);
}
