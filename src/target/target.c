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
#include <strings.h>

/* The cancel hook of a target just opened. */
static void watch(const target_watch *w, target *t)
{
	if (w && t) {
		t->cancelled = w->cancelled;
		t->cancel_ud = w->ud;
	}
}

int target_open(const char *spec, const char *content_dir, target **out, char **err)
{
	return target_open_watched(spec, content_dir, NULL, out, err);
}

int target_open_watched(const char *spec, const char *content_dir, const target_watch *w, target **out,
			char **err)
{
	*out = NULL;
	if (!spec || !*spec)
		spec = "lab:default";
	/* Only an agent waits while it opens (agent_target_open sets the hook
	 * first); the others get it once open. */
	if (!strncmp(spec, "lab:", 4) && spec[4]) {
		if (lab_target_open(content_dir, spec + 4, out, err) < 0)
			return -1;
		watch(w, *out);
		return 0;
	}
	if (!strncmp(spec, "agent:", 6) || !strncmp(spec, "agent-shell:", 12)) {
		bool shell = spec[5] != ':';
		if (agent_target_open(spec + (shell ? 12 : 6), shell, w, out, err) < 0)
			return -1;
		/* Where the fix scripts an agent may run are read from (script_run). */
		(*out)->content_dir = content_dir ? xstrdup(content_dir) : NULL;
		return 0;
	}
	if (!strncmp(spec, "snapshot:", 9) && spec[9]) {
		if (snapshot_target_open(spec + 9, out, err) < 0)
			return -1;
		watch(w, *out);
		return 0;
	}
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

const char *target_partial(target *t, const char *cls)
{
	return t->ops->partial ? t->ops->partial(t, cls) : NULL;
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

int target_probe(target *t, probe_result *out, char **err)
{
	if (!t->ops->probe)
		return 0;
	return t->ops->probe(t, out, err);
}

/* Classes that stand for a source when the target is read class by class. */
static const char *const source_classes[] = {"SMS_Site",      "SMS_SCI_SysResUse", "Registry",
					     "Win32_Service", "IIsWebServer",      "IIsWebVirtualDir",
					     "LocalGroup",    "FileAcl",           "Certificate"};

static void add_server(const char ***servers, size_t *n, const char *name)
{
	if (!name || !*name)
		return;
	for (size_t i = 0; i < *n; i++)
		if (!strcasecmp((*servers)[i], name))
			return;
	*servers = xrealloc(*servers, (*n + 1) * sizeof **servers);
	(*servers)[(*n)++] = name;
}

void target_probe_from_classes(target *t, probe_result *out)
{
	enum { NCLS = ARRAY_SIZE(source_classes) };
	objset sets[NCLS];
	char *errs[NCLS] = {NULL};
	site_info si;
	memset(&si, 0, sizeof si);
	char *e = NULL;
	if (target_site(t, &si, &e) < 0)
		free(e);
	const char *site_server = si.server ? si.server : "?";
	const char **servers = NULL;
	size_t nservers = 0;
	add_server(&servers, &nservers, site_server);
	e = NULL;
	if (target_prefetch(t, source_classes, NCLS, &e) < 0)
		free(e);
	for (size_t i = 0; i < NCLS; i++) {
		objset_init(&sets[i]);
		if (target_query(t, source_classes[i], &sets[i], &errs[i]) < 0 && !errs[i])
			errs[i] = xstrdup(_("the class could not be read"));
		for (size_t k = 0; k < sets[i].n; k++) {
			const value *v = object_get(&sets[i].items[k], "Server");
			if (!v || v->kind != V_STR)
				v = object_get(&sets[i].items[k], "SystemName");
			if (v && v->kind == V_STR)
				add_server(&servers, &nservers, v->s);
		}
	}
	for (size_t i = 0; i < NCLS; i++) {
		const char *src = probe_source_of(source_classes[i]);
		if (probe_source_is_provider(src)) {
			if (!probe_find(out, src, site_server) || errs[i])
				probe_put(out, src, site_server, errs[i] ? PROBE_UNAVAILABLE : PROBE_OK, errs[i]);
			continue;
		}
		for (size_t k = 0; k < nservers; k++) {
			const probe_item *it = probe_find(out, src, servers[k]);
			if (errs[i] && k == 0)
				probe_put(out, src, servers[k], PROBE_UNAVAILABLE, errs[i]);
			else if (!it)
				probe_put(out, src, servers[k], PROBE_OK, NULL);
		}
	}
	for (size_t k = 0; k < nservers; k++)
		if (!probe_find(out, "admin", servers[k]))
			probe_put(out, "admin", servers[k], PROBE_OK, NULL);
	out->can_change = !t->readonly;
	free(out->change_why);
	out->change_why = t->readonly && t->readonly_why ? xstrdup(t->readonly_why) : NULL;
	for (size_t i = 0; i < NCLS; i++) {
		objset_release(&sets[i]);
		free(errs[i]);
	}
	free(servers);
	site_info_release(&si);
}
