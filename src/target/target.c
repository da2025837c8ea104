/* target.c — opening a target from its spec, and the calls every target answers. */
#include "config.h"
#include "base/i18n.h"
#include "target/target_lab.h"
#include "target/target.h"
#include "target/target_agent.h"
#include "target/target_snapshot.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

int target_open(const char *spec, const char *content_dir, target **out, char **err)
{
	*out = NULL;
	if (!spec || !*spec)
		spec = "lab:default";
	if (!strncmp(spec, "lab:", 4) && spec[4])
		return lab_target_open(content_dir, spec + 4, out, err);
	if (!strncmp(spec, "agent:", 6) || !strncmp(spec, "agent-shell:", 12)) {
		bool shell = spec[5] != ':';
		if (agent_target_open(spec + (shell ? 12 : 6), shell, out, err) < 0)
			return -1;
		/* Where the fix scripts an agent may run are read from (script_run). */
		(*out)->content_dir = content_dir ? xstrdup(content_dir) : NULL;
		return 0;
	}
	if (!strncmp(spec, "snapshot:", 9) && spec[9])
		return snapshot_target_open(spec + 9, out, err);
	*err = xasprintf(_("unknown target '%s' (expected lab:NAME, lab:FILE.yaml, agent:COMMAND or "
			 "snapshot:FILE)"),
			 spec);
	return -1;
}

void target_close(target *t)
{
	if (!t)
		return;
	t->ops->close(t);
	free(t->spec);
	free(t->description);
	free(t->content_dir);
	free(t);
}

int target_site(target *t, site_info *out, char **err)
{
	return t->ops->site(t, out, err);
}

int target_prefetch(target *t, const char *const *classes, size_t n, char **err)
{
	if (!t->ops->prefetch || !n)
		return 0;
	return t->ops->prefetch(t, classes, n, err);
}

int target_query(target *t, const char *cls, objset *out, char **err)
{
	return t->ops->query(t, cls, out, err);
}

int target_get(target *t, const char *cls, const char *key, const char *prop, value *out, char **err)
{
	return t->ops->get(t, cls, key, prop, out, err);
}

int target_set(target *t, const char *cls, const char *key, const char *prop, const value *v,
	       value *prev, char **err)
{
	t->set_outcome_unknown = false;
	if (t->readonly) {
		*err = t->readonly_why ? xasprintf(_("the target %s is read-only: %s"), t->spec, t->readonly_why)
				       : xasprintf(_("the target %s is read-only"), t->spec);
		return -1;
	}
	return t->ops->set(t, cls, key, prop, v, prev, err);
}

bool target_set_outcome_unknown(const target *t)
{
	return t->set_outcome_unknown;
}
