/* paths.c — the attack-path view (see paths.h). */
#include "config.h"
#include "check/paths.h"
#include "base/i18n.h"
#include "base/sanitize.h"
#include "content/content_i18n.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* At most this many offending objects are named in a line; the rest are counted. */
#define PATH_MAX_NAMED 3

static const char *state_names[PATH_STATE_COUNT] = {"open", "unanswered", "closed", "not_checked"};
static const char *state_labels[PATH_STATE_COUNT] = {N_("open"), N_("unanswered"), N_("closed"),
						     N_("not checked")};

const char *path_state_name(path_state s) { return state_names[s]; }
const char *path_state_label(path_state s) { return _(state_labels[s]); }

static const path_verdict *verdict_for(const path_verdict *v, size_t nv, const char *id)
{
	for (size_t i = 0; i < nv; i++)
		if (v[i].res && v[i].res->chk && !strcmp(v[i].res->chk->id, id))
			return &v[i];
	return NULL;
}

/* The keys of the probe's offending objects, site data made safe to show. */
static char *offenders_text(const result *r)
{
	if (!r->ntables || !r->offending)
		return NULL;
	const ev_table *t = &r->tables[0];
	strbuf sb = STRBUF_INIT;
	size_t named = 0, more = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		if (!t->rows[i].offending)
			continue;
		if (named == PATH_MAX_NAMED) {
			more++;
			continue;
		}
		if (named++)
			sb_adds(&sb, ", ");
		/* A registry value's key is SERVER/KEY/NAME: the server is what a reader needs. */
		const char *key = t->rows[i].key;
		size_t len = strlen(key);
		if (t->cls && !strcasecmp(t->cls, "Registry") && strchr(key, '/'))
			len = (size_t)(strchr(key, '/') - key);
		sanitize_append(&sb, key, len, 120);
	}
	if (more)
		sb_addf(&sb, ngettext(" and %zu more", " and %zu more", more), more);
	return sb.len ? sb_detach(&sb) : (sb_release(&sb), NULL);
}

static bool is_open(check_status s) { return s == ST_FAIL; }
static bool is_unanswered(check_status s) { return s == ST_NEEDS_ATTESTATION || s == ST_ERROR; }

void path_view_build(path_view *pv, const catalog *cat, const path_verdict *v, size_t nv)
{
	memset(pv, 0, sizeof *pv);
	pv->entries = xcalloc(cat->ntechniques ? cat->ntechniques : 1, sizeof *pv->entries);
	for (size_t t = 0; t < cat->ntechniques; t++) {
		const technique *q = &cat->techniques[t];
		path_entry *e = &pv->entries[pv->n++];
		e->t = q;
		e->checks = xcalloc(q->nchecks ? q->nchecks : 1, sizeof *e->checks);
		bool open = false, unanswered = false;
		for (size_t i = 0; i < q->nchecks; i++) {
			const path_verdict *pvd = verdict_for(v, nv, q->checks[i]);
			if (!pvd)
				continue; /* not in this run */
			path_check *pc = &e->checks[e->n++];
			pc->chk = pvd->res->chk;
			pc->status = pvd->status;
			if (is_open(pvd->status))
				pc->offenders = offenders_text(pvd->res);
			open |= is_open(pvd->status);
			unanswered |= is_unanswered(pvd->status);
		}
		e->state = !e->n ? PATH_NOT_CHECKED : open ? PATH_OPEN : unanswered ? PATH_UNANSWERED : PATH_CLOSED;
		pv->counts[e->state]++;
	}
}

void path_view_release(path_view *pv)
{
	for (size_t i = 0; i < pv->n; i++) {
		for (size_t k = 0; k < pv->entries[i].n; k++)
			free(pv->entries[i].checks[k].offenders);
		free(pv->entries[i].checks);
	}
	free(pv->entries);
	memset(pv, 0, sizeof *pv);
}

void path_entry_line(const path_entry *e, strbuf *out)
{
	sb_addf(out, "%s: %s", e->t->id, path_state_label(e->state));
	if (e->state == PATH_UNANSWERED) {
		/* The questions are many and long: their number says enough here. */
		size_t q = 0;
		for (size_t i = 0; i < e->n; i++)
			q += is_unanswered(e->checks[i].status);
		sb_addf(out, ngettext(" (%zu check awaits an answer)", " (%zu checks await an answer)", q), q);
		return;
	}
	if (e->state != PATH_OPEN)
		return;
	bool first = true;
	for (size_t i = 0; i < e->n; i++) {
		const path_check *pc = &e->checks[i];
		if (!is_open(pc->status))
			continue;
		sb_adds(out, first ? " (" : "; ");
		first = false;
		const char *title = content_text(pc->chk->title);
		sanitize_append(out, title, strlen(title), 0);
		if (pc->offenders)
			sb_addf(out, ": %s", pc->offenders);
	}
	if (!first)
		sb_addc(out, ')');
}
