/* probe.c — data sources, their states and the result of a probe (probe.h). */
#include "config.h"
#include "target/probe.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/util.h"

static const struct {
	probe_state st;
	const char *wire;
	const char *text;
} states[] = {
	{PROBE_OK, "ok", N_("readable")},
	{PROBE_DENIED, "denied", N_("access denied")},
	{PROBE_WINRM, "winrm", N_("WinRM not enabled or refused the connection")},
	{PROBE_UNRESOLVED, "unresolved", N_("name not resolved")},
	{PROBE_TIMEOUT, "timeout", N_("timed out")},
	{PROBE_UNAVAILABLE, "unavailable", N_("could not be read")},
	{PROBE_DROPPED, "dropped", N_("the session broke while in use")},
};

const char *probe_state_name(probe_state s)
{
	return (size_t)s < ARRAY_SIZE(states) ? states[s].wire : "unavailable";
}

probe_state probe_state_parse(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(states); i++)
		if (!strcmp(states[i].wire, name))
			return states[i].st;
	return PROBE_UNAVAILABLE;
}

const char *probe_state_text(probe_state s)
{
	return _((size_t)s < ARRAY_SIZE(states) ? states[s].text : states[PROBE_UNAVAILABLE].text);
}

/* Sources, their titles and the classes read from them (doc/agent-protocol.md,
 * "The PowerShell agent": the class table). */
static const struct {
	const char *name;
	const char *title;
	bool provider;
	const char *classes[5];
} sources[] = {
	{"provider", N_("SMS Provider namespace"), true, {NULL}},
	{"sitecontrol", N_("site control file"), true, {NULL}},
	{"registry", N_("registry"), false, {"Registry", NULL}},
	{"services", N_("services"), false, {"Win32_Service", NULL}},
	{"iis", N_("IIS metabase"), false, {"IIsWebServer", "IIsWebVirtualDir", NULL}},
	{"groups", N_("local groups"), false, {"LocalGroup", NULL}},
	{"shares", N_("shares and ACLs"), false, {"FileAcl", NULL}},
	{"certificates", N_("certificate stores"), false, {"Certificate", NULL}},
	{"admin", N_("administrator rights (for fixes)"), false, {NULL}},
};

const char *const probe_sources[] = {"provider", "sitecontrol", "registry", "services", "iis",
				     "groups",   "shares",      "certificates", "admin"};
const size_t probe_nsources = ARRAY_SIZE(probe_sources);

const char *probe_source_title(const char *source)
{
	for (size_t i = 0; i < ARRAY_SIZE(sources); i++)
		if (!strcmp(sources[i].name, source))
			return _(sources[i].title);
	return source;
}

bool probe_source_is_provider(const char *source)
{
	for (size_t i = 0; i < ARRAY_SIZE(sources); i++)
		if (!strcmp(sources[i].name, source))
			return sources[i].provider;
	return false;
}

const char *probe_source_of(const char *cls)
{
	if (!strncasecmp(cls, "SMS_SCI_", 8))
		return "sitecontrol";
	if (!strncasecmp(cls, "SMS_", 4))
		return "provider";
	for (size_t i = 0; i < ARRAY_SIZE(sources); i++)
		for (size_t k = 0; sources[i].classes[k]; k++)
			if (!strcasecmp(sources[i].classes[k], cls))
				return sources[i].name;
	return NULL;
}

void probe_init(probe_result *p)
{
	memset(p, 0, sizeof *p);
}

void probe_release(probe_result *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].source);
		free(p->items[i].server);
		free(p->items[i].message);
	}
	free(p->items);
	free(p->change_why);
	for (size_t i = 0; i < p->nrights; i++) {
		free(p->rights[i].cls);
		free(p->rights[i].right);
		free(p->rights[i].message);
	}
	free(p->rights);
	probe_init(p);
}

const probe_item *probe_find(const probe_result *p, const char *source, const char *server)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->items[i].source, source) && !strcasecmp(p->items[i].server, server))
			return &p->items[i];
	return NULL;
}

void probe_put(probe_result *p, const char *source, const char *server, probe_state st, const char *message)
{
	probe_item *it = (probe_item *)probe_find(p, source, server);
	if (!it) {
		p->items = xrealloc(p->items, (p->n + 1) * sizeof *p->items);
		it = &p->items[p->n++];
		it->source = xstrdup(source);
		it->server = xstrdup(server);
		it->message = NULL;
	}
	it->state = st;
	free(it->message);
	it->message = message && *message ? xstrdup(message) : NULL;
}

size_t probe_servers(const probe_result *p, const char ***out)
{
	const char **v = xcalloc(p->n + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++) {
		size_t k = 0;
		while (k < n && strcasecmp(v[k], p->items[i].server) != 0)
			k++;
		if (k == n)
			v[n++] = p->items[i].server;
	}
	*out = v;
	return n;
}

/* SMS_SecuredObject (SMS 2003 SDK; cc145535 for 2007): the secured object
 * types with ObjectKey 1 Collection, 2 Package, 3 Advertisement; the SDK's own
 * example asks UserHasPermissions("SMS_Package.PackageID=...", 2) to learn
 * whether the user may modify a package. */
const char *const probe_secured_classes[] = {"SMS_Collection", "SMS_Package", "SMS_Advertisement"};
const size_t probe_nsecured_classes = ARRAY_SIZE(probe_secured_classes);

static const char *const right_names[] = {"yes", "no", "unknown"};

const char *right_state_name(right_state s)
{
	return (size_t)s < ARRAY_SIZE(right_names) ? right_names[s] : "unknown";
}

int right_state_parse(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(right_names); i++)
		if (!strcmp(right_names[i], name))
			return (int)i;
	return -1;
}

const probe_right *probe_find_right(const probe_result *p, const char *cls, const char *right)
{
	for (size_t i = 0; i < p->nrights; i++)
		if (!strcasecmp(p->rights[i].cls, cls) && !strcmp(p->rights[i].right, right))
			return &p->rights[i];
	return NULL;
}

void probe_put_right(probe_result *p, const char *cls, const char *right, right_state st, const char *message)
{
	probe_right *r = (probe_right *)probe_find_right(p, cls, right);
	if (!r) {
		p->rights = xrealloc(p->rights, (p->nrights + 1) * sizeof *p->rights);
		r = &p->rights[p->nrights++];
		r->cls = xstrdup(cls);
		r->right = xstrdup(right);
		r->message = NULL;
	}
	r->state = st;
	free(r->message);
	r->message = message && *message ? xstrdup(message) : NULL;
}
