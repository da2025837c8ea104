/* site.c — the site's identity (site.h). */
#include "config.h"
#include "base/site.h"

#include <stdlib.h>
#include <string.h>

void site_info_release(site_info *s)
{
	free(s->code);
	free(s->name);
	free(s->server);
	free(s->version);
	free(s->build);
	free(s->mode);
	memset(s, 0, sizeof *s);
}
