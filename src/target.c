/* target.c — opening a target from its spec, and the calls every target answers. */
#include "config.h"
#include "i18n.h"
#include "lab.h"
#include "target.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int target_open(const char *spec, const char *content_dir, target **out, char **err)
{
	*out = NULL;
	if (!spec || !*spec)
		spec = "lab:default";
	if (!strncmp(spec, "lab:", 4) && spec[4])
		return lab_target_open(content_dir, spec + 4, out, err);
	*err = xasprintf(_("unknown target '%s' (expected lab:NAME or lab:FILE.yaml)"), spec);
	return -1;
}

void target_close(target *t)
{
	if (!t)
		return;
	t->ops->close(t);
	free(t->spec);
	free(t->description);
	free(t);
}

int target_site(target *t, site_info *out, char **err)
{
	return t->ops->site(t, out, err);
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
	if (t->readonly) {
		*err = xasprintf(_("the target %s is read-only"), t->spec);
		return -1;
	}
	return t->ops->set(t, cls, key, prop, v, prev, err);
}
