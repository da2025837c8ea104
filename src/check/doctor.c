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

static void add_class_error(doctor_report *r, char *msg)
{
	r->class_errors = xrealloc(r->class_errors, (r->nclass_errors + 1) * sizeof *r->class_errors);
	r->class_errors[r->nclass_errors++] = msg;
}

/* Reads one class as a check run would and records a failure. A failure the
 * probe did not explain becomes an item of its own, so that nothing unread
 * looks fine. */
static void read_class(doctor_job *j, const char *cls)
{
	doctor_report *r = j->out;
	objset os;
	objset_init(&os);
	char *err = NULL;
	const char *src = probe_source_of(cls), *partial = NULL;
	const char *server = j->si.server ? j->si.server : "?";
	if (target_query(j->t, cls, &os, &err) < 0) {
		add_class_error(r, xasprintf("%s: %s", cls, err ? err : _("the class could not be read")));
		if (src && !source_known_broken(&r->probe, src) && !mark_named_servers(&r->probe, src, err))
			probe_put(&r->probe, src, server, PROBE_UNAVAILABLE, err);
		free(err);
	} else if ((partial = target_partial(j->t, cls))) {
		/* Read on some site systems only (servererror): those are missing. */
		add_class_error(r, xasprintf(_("%s: not read on %s"), cls, partial));
		if (src && !mark_named_servers(&r->probe, src, partial))
			probe_put(&r->probe, src, server, PROBE_UNAVAILABLE, partial);
	}
	objset_release(&os);
}

/* Names, for every source that cannot be read somewhere, the checks that
 * cannot be judged (or lack evidence) without it. */
static void judge(const catalog *cat, doctor_report *out)
{
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
}

/* Steps: 0 the probe, 1 the batch read of every class (one request where the
 * target can), 2 the site, then one per class, then the judgement. */
enum { STEP_PROBE, STEP_PREFETCH, STEP_SITE, STEP_CLASSES };

/* The class a step of a fix changes: its script's, else its check's. */
static const char *step_class(const catalog *cat, const fix *f, const fix_step *st)
{
	if (st->kind == STEP_SCRIPT)
		return st->script ? st->script->cls : NULL;
	if (st->kind != STEP_SET)
		return NULL;
	const check *k = catalog_find(cat, f->check_id);
	return k && k->probe ? k->probe->cls : NULL;
}

/* Every SMS Provider class a fix changes, with the fixes that change it. */
static void list_change_classes(const catalog *cat, const fixset *fs, doctor_report *r)
{
	for (size_t i = 0; fs && i < fs->n; i++) {
		const fix *f = &fs->items[i];
		for (size_t s = 0; s < f->nsteps; s++) {
			const char *cls = step_class(cat, f, &f->steps[s]);
			const char *src = cls ? probe_source_of(cls) : NULL;
			if (!src || !probe_source_is_provider(src))
				continue;
			size_t c = 0;
			while (c < r->nchange_classes && strcasecmp(r->change_classes[c], cls) != 0)
				c++;
			if (c == r->nchange_classes) {
				r->change_classes = xrealloc(r->change_classes, (c + 1) * sizeof *r->change_classes);
				r->change_fixes = xrealloc(r->change_fixes, (c + 1) * sizeof *r->change_fixes);
				r->nchange_fixes = xrealloc(r->nchange_fixes, (c + 1) * sizeof *r->nchange_fixes);
				r->change_classes[c] = xstrdup(cls);
				r->change_fixes[c] = NULL;
				r->nchange_fixes[c] = 0;
				r->nchange_classes++;
			}
			size_t k = 0;
			while (k < r->nchange_fixes[c] && strcmp(r->change_fixes[c][k], f->id) != 0)
				k++;
			if (k == r->nchange_fixes[c])
				add_id(&r->change_fixes[c], &r->nchange_fixes[c], f->id);
		}
	}
}

void doctor_begin(doctor_job *j, target *t, const catalog *cat, const fixset *fixes, doctor_report *out)
{
	memset(j, 0, sizeof *j);
	memset(out, 0, sizeof *out);
	probe_init(&out->probe);
	list_change_classes(cat, fixes, out);
	j->t = t;
	j->cat = cat;
	j->out = out;
	engine_catalog_classes(cat, &j->classes, &j->nclasses);
}

bool doctor_step(doctor_job *j)
{
	doctor_report *r = j->out;
	char *err = NULL;
	if (j->done)
		return false;
	/* next moves on when the step is over: while a target is slow, the
	 * progress shown (doctor_step_text) is the step being waited for. */
	size_t step = j->next;
	if (step == STEP_PROBE) {
		int pr = target_probe(j->t, &r->probe, &err);
		if (pr < 0) {
			r->error = err ? err : xstrdup(_("the target could not be probed"));
			j->done = true;
			return false;
		}
		r->probed = pr > 0;
		if (!r->probed)
			target_probe_from_classes(j->t, &r->probe);
	} else if (step == STEP_PREFETCH) {
		if (target_prefetch(j->t, (const char *const *)j->classes, j->nclasses, &err) < 0)
			add_class_error(r, err);
	} else if (step == STEP_SITE) {
		if (target_site(j->t, &j->si, &err) < 0)
			free(err);
	} else if (step < STEP_CLASSES + j->nclasses) {
		read_class(j, j->classes[step - STEP_CLASSES]);
	} else {
		judge(j->cat, r);
		j->done = true;
	}
	j->next++;
	return !j->done;
}

void doctor_progress(const doctor_job *j, size_t *done, size_t *total)
{
	*total = STEP_CLASSES + j->nclasses + 1;
	*done = j->done ? *total : j->next;
}

char *doctor_step_text(const doctor_job *j)
{
	size_t step = j->next;
	if (j->done)
		return xstrdup(_("Done"));
	if (step == STEP_PROBE)
		return xstrdup(_("Asking the target which data sources it can read"));
	if (step == STEP_PREFETCH)
		return xasprintf(ngettext("Reading the %zu class the checklist needs in one request",
					  "Reading the %zu classes the checklist needs in one request", j->nclasses),
				 j->nclasses);
	if (step == STEP_SITE)
		return xstrdup(_("Reading the site's code and server"));
	if (step < STEP_CLASSES + j->nclasses)
		return xasprintf(_("Reading %s (%zu of %zu)"), j->classes[step - STEP_CLASSES],
				 step - STEP_CLASSES + 1, j->nclasses);
	return xstrdup(_("Naming the checks that cannot be judged"));
}

int doctor_end(doctor_job *j)
{
	for (size_t i = 0; i < j->nclasses; i++)
		free(j->classes[i]);
	free(j->classes);
	site_info_release(&j->si);
	int rc = j->out->error ? -1 : !j->done ? 1 : j->out->ok ? 0 : 1;
	memset(j, 0, sizeof *j);
	return rc;
}

int doctor_run(target *t, const catalog *cat, const fixset *fixes, doctor_report *out)
{
	doctor_job j;
	doctor_begin(&j, t, cat, fixes, out);
	while (doctor_step(&j))
		;
	return doctor_end(&j);
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
	for (size_t c = 0; c < r->nchange_classes; c++) {
		for (size_t k = 0; k < r->nchange_fixes[c]; k++)
			free(r->change_fixes[c][k]);
		free(r->change_fixes[c]);
		free(r->change_classes[c]);
	}
	free(r->change_classes);
	free(r->change_fixes);
	free(r->nchange_fixes);
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

/* Per SMS Provider class a fix changes: the account's MODIFY right there as
 * the probe reports it (UserHasPermissions, doc/agent-protocol.md), or that it
 * was not asked. A class the probe did not answer for is never shown as
 * granted. */
static void text_rights(const doctor_report *r, strbuf *out)
{
	if (!r->nchange_classes)
		return;
	if (!r->probe.nrights) {
		sb_adds(out, _("Rights on the SMS Provider: not probed by this target (a change they refuse fails when "
			       "it is made).\n"));
		return;
	}
	sb_adds(out, _("Rights on the SMS Provider, per class the fixes change:\n"));
	for (size_t c = 0; c < r->nchange_classes; c++) {
		const probe_right *rt = probe_find_right(&r->probe, r->change_classes[c], "modify");
		sb_adds(out, "  ");
		char *cls = sanitize_dup(r->change_classes[c], 60);
		sb_addf(out, "%-34s ", cls);
		free(cls);
		const char *what = !rt ? _("not probed (cmharden asks only about SMS_Collection, SMS_Package and SMS_Advertisement); fixes:")
				   : rt->state == RIGHT_YES ? _("the account may modify every object of the class; fixes:")
				   : rt->state == RIGHT_NO
					   ? _("no MODIFY right on the class: these fixes are refused, except on objects "
					       "an instance right allows:")
					   : _("the right could not be asked; fixes:");
		sb_adds(out, what);
		for (size_t k = 0; k < r->nchange_fixes[c]; k++) {
			sb_addc(out, ' ');
			add_clean(out, r->change_fixes[c][k], 80);
		}
		if (rt && rt->message) {
			sb_adds(out, " (");
			add_clean(out, rt->message, 300);
			sb_addc(out, ')');
		}
		sb_addc(out, '\n');
	}
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
	text_rights(r, out);
	sb_adds(out, r->ok ? _("Everything the checklist needs is readable.\n")
			   : _("Not everything the checklist needs is readable: the checks named above cannot be "
			       "judged, or lack evidence, until it is.\n"));
}
