/* doctor.c — the connection doctor (doctor.h). */
#include "config.h"
#include "check/doctor.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/sanitize.h"
#include "base/util.h"
#include "check/engine.h"

/* True when one of the classes a check reads (for its verdict only, or for
 * anything) comes from `source`. */
static bool check_needs(const check *k, const char *source, bool verdict)
{
	char **classes = NULL;
	size_t n = 0;
	bool needs = false;
	if (verdict)
		engine_check_verdict_classes(k, &classes, &n);
	else
		engine_check_classes(k, &classes, &n);
	for (size_t i = 0; i < n; i++) {
		const char *src = probe_source_of(classes[i]);
		needs = needs || (src && !strcmp(src, source));
		free(classes[i]);
	}
	free(classes);
	return needs;
}

static void add_id(char ***list, size_t *n, const char *id)
{
	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	(*list)[(*n)++] = xstrdup(id);
}

/* True when the probe already says why `source` cannot be read somewhere. */
static bool source_known_broken(const probe_result *p, const char *source)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->items[i].source, source) && p->items[i].state != PROBE_OK)
			return true;
	return false;
}

/* An agent names the site system a class failed on in its message,
 * "SERVER: why" (several joined by "; "). Marks `source` unavailable
 * on each server of the probe so named; false when none is. */
static bool mark_named_servers(probe_result *p, const char *source, const char *msg)
{
	const char **servers;
	size_t n = probe_servers(p, &servers);
	char **named = xcalloc(n + 1, sizeof *named);
	size_t k = 0;
	for (size_t i = 0; i < n && msg; i++) {
		size_t l = strlen(servers[i]);
		for (const char *at = strcasestr(msg, servers[i]); at; at = strcasestr(at + 1, servers[i]))
			if ((at == msg || at[-1] == ' ') && at[l] == ':') {
				named[k++] = xstrdup(servers[i]);
				break;
			}
	}
	free(servers);
	for (size_t i = 0; i < k; i++) {
		const probe_item *it = probe_find(p, source, named[i]);
		if (!it || it->state == PROBE_OK) /* the probe's own reason stays */
			probe_put(p, source, named[i], PROBE_UNAVAILABLE, msg);
		free(named[i]);
	}
	free(named);
	return k > 0;
}

/* Reads every class the checklist needs, as a check run would (one batch where
 * the target can), and records the classes that fail. A failure the probe did
 * not explain becomes an item of its own, so that nothing unread looks fine. */
static void read_classes(target *t, const catalog *cat, doctor_report *r)
{
	char **classes = NULL;
	size_t n = 0;
	engine_catalog_classes(cat, &classes, &n);
	char *err = NULL;
	if (target_prefetch(t, (const char *const *)classes, n, &err) < 0) {
		r->class_errors = xrealloc(r->class_errors, (r->nclass_errors + 1) * sizeof *r->class_errors);
		r->class_errors[r->nclass_errors++] = err;
		err = NULL;
	}
	site_info si;
	memset(&si, 0, sizeof si);
	if (target_site(t, &si, &err) < 0) {
		free(err);
		err = NULL;
	}
	for (size_t i = 0; i < n; i++) {
		objset os;
		objset_init(&os);
		const char *src = probe_source_of(classes[i]), *partial = NULL;
		if (target_query(t, classes[i], &os, &err) < 0) {
			r->class_errors = xrealloc(r->class_errors, (r->nclass_errors + 1) * sizeof *r->class_errors);
			r->class_errors[r->nclass_errors++] =
				xasprintf("%s: %s", classes[i], err ? err : _("the class could not be read"));
			if (src && !source_known_broken(&r->probe, src) && !mark_named_servers(&r->probe, src, err))
				probe_put(&r->probe, src, si.server ? si.server : "?", PROBE_UNAVAILABLE, err);
			free(err);
			err = NULL;
		} else if ((partial = target_partial(t, classes[i]))) {
			/* Read on some site systems only (servererror): those are missing. */
			r->class_errors = xrealloc(r->class_errors, (r->nclass_errors + 1) * sizeof *r->class_errors);
			r->class_errors[r->nclass_errors++] = xasprintf(_("%s: not read on %s"), classes[i], partial);
			if (src && !mark_named_servers(&r->probe, src, partial))
				probe_put(&r->probe, src, si.server ? si.server : "?", PROBE_UNAVAILABLE, partial);
		}
		objset_release(&os);
		free(classes[i]);
	}
	free(classes);
	site_info_release(&si);
}

int doctor_run(target *t, const catalog *cat, doctor_report *out)
{
	memset(out, 0, sizeof *out);
	probe_init(&out->probe);
	char *err = NULL;
	int pr = target_probe(t, &out->probe, &err);
	if (pr < 0) {
		out->error = err ? err : xstrdup(_("the target could not be probed"));
		return -1;
	}
	out->probed = pr > 0;
	if (!out->probed)
		target_probe_from_classes(t, &out->probe);
	read_classes(t, cat, out);
	out->deps = xcalloc(out->probe.n + 1, sizeof *out->deps);
	out->ndeps = xcalloc(out->probe.n + 1, sizeof *out->ndeps);
	out->evdeps = xcalloc(out->probe.n + 1, sizeof *out->evdeps);
	out->nevdeps = xcalloc(out->probe.n + 1, sizeof *out->nevdeps);
	out->ok = out->nclass_errors == 0;
	for (size_t i = 0; i < out->probe.n; i++) {
		const probe_item *it = &out->probe.items[i];
		if (it->state == PROBE_OK || !strcmp(it->source, "admin"))
			continue;
		for (size_t s = 0; s < cat->nsections; s++)
			for (size_t k = 0; k < cat->sections[s].n; k++) {
				const check *c = &cat->sections[s].checks[k];
				if (check_needs(c, it->source, true))
					add_id(&out->deps[i], &out->ndeps[i], c->id);
				else if (check_needs(c, it->source, false))
					add_id(&out->evdeps[i], &out->nevdeps[i], c->id);
			}
		if (out->ndeps[i] || out->nevdeps[i])
			out->ok = false;
	}
	return out->ok ? 0 : 1;
}

void doctor_release(doctor_report *r)
{
	for (size_t i = 0; i < r->probe.n && r->deps; i++) {
		for (size_t k = 0; k < r->ndeps[i]; k++)
			free(r->deps[i][k]);
		free(r->deps[i]);
		for (size_t k = 0; k < r->nevdeps[i]; k++)
			free(r->evdeps[i][k]);
		free(r->evdeps[i]);
	}
	free(r->deps);
	free(r->ndeps);
	free(r->evdeps);
	free(r->nevdeps);
	for (size_t i = 0; i < r->nclass_errors; i++)
		free(r->class_errors[i]);
	free(r->class_errors);
	free(r->error);
	probe_release(&r->probe);
	memset(r, 0, sizeof *r);
}

static void add_clean(strbuf *out, const char *s, size_t max)
{
	char *c = sanitize_dup(s ? s : "", max);
	sb_adds(out, c);
	free(c);
}

/* The servers where a source is fine, on one line. */
static void text_ok_servers(const doctor_report *r, const char *source, strbuf *out)
{
	bool any = false;
	for (size_t i = 0; i < r->probe.n; i++) {
		const probe_item *it = &r->probe.items[i];
		if (strcmp(it->source, source) != 0 || it->state != PROBE_OK)
			continue;
		if (!any)
			sb_addf(out, "  %-34s %s ", probe_source_title(source),
				strcmp(source, "admin") ? _("readable on") : _("yes on"));
		else
			sb_adds(out, ", ");
		add_clean(out, it->server, 60);
		any = true;
	}
	if (any)
		sb_addc(out, '\n');
}

/* `head` is the translated line start with the count already in it. */
static void text_ids(strbuf *out, char *head, char **ids, size_t n)
{
	sb_adds(out, head);
	free(head);
	for (size_t k = 0; k < n; k++) {
		sb_addc(out, ' ');
		add_clean(out, ids[k], 60);
	}
	sb_addc(out, '\n');
}

/* Administrator rights are "no" only when the server said so (access denied);
 * a server that could not be asked has rights unknown, for the same reason as
 * its other sources. */
static void add_state(strbuf *out, const probe_item *it)
{
	if (strcmp(it->source, "admin") != 0)
		sb_adds(out, probe_state_text(it->state));
	else if (it->state == PROBE_DENIED)
		sb_adds(out, _("no"));
	else
		sb_addf(out, _("unknown: %s"), probe_state_text(it->state));
}

/* A server where a source fails: why, and the checks that cannot be judged. */
static void text_failure(const doctor_report *r, size_t i, strbuf *out)
{
	const probe_item *it = &r->probe.items[i];
	sb_addf(out, "  %-34s ", probe_source_title(it->source));
	add_clean(out, it->server, 60);
	sb_adds(out, ": ");
	add_state(out, it);
	if (it->message) {
		sb_adds(out, " (");
		add_clean(out, it->message, 300);
		sb_addc(out, ')');
	}
	sb_addc(out, '\n');
	if (r->ndeps && r->ndeps[i])
		text_ids(out,
			 xasprintf(ngettext("      %zu check cannot be judged:", "      %zu checks cannot be judged:",
					    r->ndeps[i]),
				   r->ndeps[i]),
			 r->deps[i], r->ndeps[i]);
	if (r->nevdeps && r->nevdeps[i])
		text_ids(out,
			 xasprintf(ngettext("      %zu check lacks evidence:", "      %zu checks lack evidence:",
					    r->nevdeps[i]),
				   r->nevdeps[i]),
			 r->evdeps[i], r->nevdeps[i]);
}

static void text_source(const doctor_report *r, const char *source, strbuf *out)
{
	text_ok_servers(r, source, out);
	for (size_t i = 0; i < r->probe.n; i++)
		if (!strcmp(r->probe.items[i].source, source) && r->probe.items[i].state != PROBE_OK)
			text_failure(r, i, out);
}

void doctor_text(const doctor_report *r, strbuf *out)
{
	if (r->error) {
		sb_adds(out, _("The target could not be asked: "));
		add_clean(out, r->error, 1000);
		sb_addc(out, '\n');
		return;
	}
	sb_adds(out, r->probed ? _("Data sources, as the agent reports them:\n")
			       : _("Data sources, judged from the classes read (the target has no probe):\n"));
	/* In the order of probe.h, then any source a newer agent adds, once each. */
	for (size_t s = 0; s < probe_nsources; s++)
		text_source(r, probe_sources[s], out);
	for (size_t i = 0; i < r->probe.n; i++) {
		bool seen = false;
		for (size_t s = 0; s < probe_nsources && !seen; s++)
			seen = !strcmp(r->probe.items[i].source, probe_sources[s]);
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(r->probe.items[i].source, r->probe.items[k].source);
		if (!seen)
			text_source(r, r->probe.items[i].source, out);
	}
	if (r->nclass_errors) {
		sb_adds(out, _("Classes that could not be read:\n"));
		for (size_t i = 0; i < r->nclass_errors; i++) {
			sb_adds(out, "    ");
			add_clean(out, r->class_errors[i], 400);
			sb_addc(out, '\n');
		}
	}
	if (r->probe.can_change) {
		sb_adds(out, _("Changes: accepted by the target"));
	} else {
		sb_adds(out, _("Changes: refused by the target"));
	}
	if (r->probe.change_why) {
		sb_adds(out, " (");
		add_clean(out, r->probe.change_why, 300);
		sb_addc(out, ')');
	}
	sb_addc(out, '\n');
	sb_adds(out, r->ok ? _("Everything the checklist needs is readable.\n")
			   : _("Not everything the checklist needs is readable: the checks named above cannot be "
			       "judged, or lack evidence, until it is.\n"));
}
