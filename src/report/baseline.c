/* baseline.c — reading an earlier JSON report and comparing with it (see baseline.h). */
#include "config.h"
#include "report/baseline.h"
#include "base/i18n.h"
#include "report/report.h" /* REPORT_SCHEMA_VERSION */
#include "content/yamldoc.h"

#include <stdlib.h>
#include <string.h>

static char *scalar(const ynode *map, const char *key)
{
	const ynode *n = map ? ynode_get(map, key) : NULL;
	if (!n || n->kind != YN_SCALAR || (n->plain && !strcmp(n->str, "null")))
		return NULL;
	return xstrdup(n->str);
}

static void read_check(baseline_check *bc, const ynode *c)
{
	bc->id = scalar(c, "id");
	bc->status = scalar(c, "status");
	const ynode *w = ynode_get(c, "waiver");
	bc->waived = w && w->kind == YN_MAP;
}

static int read_report(report_baseline *b, const ynode *root, char **err)
{
	const ynode *checks = root && root->kind == YN_MAP ? ynode_get(root, "checks") : NULL;
	const ynode *meta = root && root->kind == YN_MAP ? ynode_get(root, "report") : NULL;
	if (!checks || checks->kind != YN_SEQ || !meta || meta->kind != YN_MAP) {
		*err = xasprintf(_("%s is not a cmharden JSON report (cmharden report --format json)"), b->path);
		return -1;
	}
	b->generated_at = scalar(meta, "generated_at");
	b->schema_version = scalar(meta, "schema_version");
	b->content_digest = scalar(root, "content_digest");
	b->site_code = scalar(ynode_get(root, "site"), "code");
	if (b->schema_version && strtol(b->schema_version, NULL, 10) > strtol(REPORT_SCHEMA_VERSION, NULL, 10)) {
		*err = xasprintf(_("%s is a report of a newer layout (%s) than this cmharden reads (%s)"), b->path,
				 b->schema_version, REPORT_SCHEMA_VERSION);
		return -1;
	}
	b->checks = xcalloc(checks->n ? checks->n : 1, sizeof *b->checks);
	for (size_t i = 0; i < checks->n; i++) {
		if (checks->items[i]->kind != YN_MAP)
			continue;
		read_check(&b->checks[b->nchecks], checks->items[i]);
		if (b->checks[b->nchecks].id && b->checks[b->nchecks].status)
			b->nchecks++;
		else
			free(b->checks[b->nchecks].id), free(b->checks[b->nchecks].status);
	}
	return 0;
}

int baseline_load(report_baseline **out, const char *path, char **err)
{
	diags d = {0};
	ydoc doc = {0};
	char *buf = NULL, *rerr = NULL;
	size_t len = 0;
	*out = NULL;
	if (read_file_limited(path, BASELINE_MAX_BYTES, &buf, &len, &rerr) < 0) {
		*err = xasprintf(_("cannot read the baseline %s: %s"), path, rerr);
		free(rerr);
		return -1;
	}
	int rc = ydoc_parse(&doc, path, buf, len, &d);
	free(buf);
	if (rc != 0) {
		const diag *first = d.n ? &d.items[0] : NULL;
		*err = first ? xasprintf(_("cannot read the baseline %s:%d: %s"), path, first->line, first->msg)
			     : xasprintf(_("cannot read the baseline %s"), path);
		diags_release(&d);
		ydoc_release(&doc);
		return -1;
	}
	diags_release(&d);
	report_baseline *b = xcalloc(1, sizeof *b);
	b->path = xstrdup(path);
	rc = read_report(b, doc.root, err);
	ydoc_release(&doc);
	if (rc < 0)
		baseline_free(b);
	else
		*out = b;
	return rc;
}

void baseline_free(report_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nchecks; i++)
		free(b->checks[i].id), free(b->checks[i].status);
	free(b->checks);
	free(b->path), free(b->generated_at), free(b->site_code), free(b->content_digest), free(b->schema_version);
	free(b);
}

const baseline_check *baseline_find(const report_baseline *b, const char *id)
{
	for (size_t i = 0; i < b->nchecks; i++)
		if (!strcmp(b->checks[i].id, id))
			return &b->checks[i];
	return NULL;
}

static void add_diff(report_diff *d, diff_kind k, const char *id, const char *was, const char *now)
{
	d->items[d->n++] = (diff_item){k, id, was, now};
	d->counts[k]++;
}

static bool failing(const char *status)
{
	return !strcmp(status, "fail") || !strcmp(status, "error");
}

static bool diff_holds(diff_kind k, const baseline_check *b, const baseline_now *x)
{
	bool was_failing = failing(b->status), now_failing = failing(status_name(x->status));
	switch (k) {
	case DIFF_FIXED: return was_failing && (x->status == ST_PASS || x->status == ST_NOT_APPLICABLE);
	case DIFF_REGRESSED: return !was_failing && now_failing;
	case DIFF_ATTESTED: return x->status == ST_ATTESTED && strcmp(b->status, "attested");
	case DIFF_WAIVER_EXPIRED: return b->waived && x->status != ST_WAIVED;
	case DIFF_WAIVER_ADDED: return !b->waived && x->status == ST_WAIVED;
	default: return false;
	}
}

void baseline_compare(const report_baseline *b, const catalog *cat, const baseline_now *now, size_t n,
		      report_diff *d)
{
	memset(d, 0, sizeof *d);
	d->items = xcalloc((n + 1) * DIFF_KINDS + b->nchecks, sizeof *d->items);
	for (int k = 0; k < DIFF_CHECK_ADDED; k++)
		for (size_t i = 0; i < n; i++) {
			const baseline_check *bc = now[i].known ? baseline_find(b, now[i].id) : NULL;
			if (bc && diff_holds((diff_kind)k, bc, &now[i]))
				add_diff(d, (diff_kind)k, now[i].id, bc->status, status_name(now[i].status));
		}
	for (size_t i = 0; i < n; i++)
		if (!baseline_find(b, now[i].id))
			add_diff(d, DIFF_CHECK_ADDED, now[i].id, NULL, now[i].known ? status_name(now[i].status) : NULL);
	for (size_t i = 0; i < b->nchecks; i++)
		if (!catalog_find(cat, b->checks[i].id))
			add_diff(d, DIFF_CHECK_REMOVED, b->checks[i].id, b->checks[i].status, NULL);
}

const char *diff_kind_name(diff_kind k)
{
	static const char *names[DIFF_KINDS] = {"fixed",	  "regressed",	   "newly_attested", "waiver_expired",
						"waiver_added", "check_added", "check_removed"};
	return names[k];
}

const char *diff_kind_label(diff_kind k)
{
	static const char *labels[DIFF_KINDS] = {N_("fixed"),	       N_("regressed"),	  N_("newly attested"),
						 N_("waiver expired"), N_("waiver added"), N_("check added"),
						 N_("check removed")};
	return _(labels[k]);
}

void diff_release(report_diff *d)
{
	free(d->items);
	memset(d, 0, sizeof *d);
}
