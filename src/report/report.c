/* report.c — building the report model (see report.h). */
#include "config.h"
#include "report/report.h"
#include "base/i18n.h"
#include "base/sanitize.h"
#include "journal/verify.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *status_labels[ST_COUNT] = {N_("pass"),	       N_("fail"),     N_("error"),
					       N_("not applicable"), N_("needs attestation"), N_("attested"),
					       N_("waived")};

const char *report_status_label(check_status s)
{
	return _(status_labels[s]);
}

int report_format_parse(const char *s, report_format *f)
{
	static const char *names[] = {"html", "md", "json", "csv"};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			*f = (report_format)i;
			return 0;
		}
	if (!strcmp(s, "markdown")) {
		*f = RF_MD;
		return 0;
	}
	return -1;
}

/* The same rule as `cmharden check` (result_apply_verdict in engine.c): a
 * waiver in force settles any check and outranks an attestation; an attestation
 * settles an attestation check. The site's own verdict stays in res.status. */
static check_status overlay(const report_check *rc)
{
	if (rc->waiver)
		return ST_WAIVED;
	/* "Not compliant" is the operator's finding: a failure like the site's own. */
	if (rc->attest && rc->chk->kind == KIND_ATTESTATION)
		return rc->attest->compliant ? ST_ATTESTED : ST_FAIL;
	return rc->res.status;
}

static char *now_iso(void)
{
	char buf[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static char *who(void)
{
	const char *u = getenv("USER");
	if (u && *u)
		return xstrdup(u);
	struct passwd *pw = getpwuid(geteuid());
	return xstrdup(pw ? pw->pw_name : "unknown");
}

int report_build(report *r, engine *e, journal *j, const char *jpath, int64_t session, char **err)
{
	memset(r, 0, sizeof *r);
	r->cat = e->cat;
	r->target = xstrdup(e->t->spec);
	r->target_desc = xstrdup(e->t->description ? e->t->description : e->t->spec);
	r->site.code = xstrdup(e->site.code ? e->site.code : "");
	r->site.name = xstrdup(e->site.name ? e->site.name : "");
	r->site.server = xstrdup(e->site.server ? e->site.server : "");
	r->site.version = xstrdup(e->site.version ? e->site.version : "");
	r->site.build = xstrdup(e->site.build ? e->site.build : "");
	r->site.mode = xstrdup(e->site.mode ? e->site.mode : "");
	r->generated_at = now_iso();
	r->generated_by = who();
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0)
		host[0] = '\0';
	r->host = xstrdup(host);
	today_utc(r->today);
	r->session = session;
	r->journal_path = jpath ? xstrdup(jpath) : NULL;
	r->verify = -1;
	if (j) {
		if (jq_load(j, r->target, &r->jv, err) < 0) {
			report_release(r);
			return -1;
		}
		r->have_journal = true;
		if (session && !jq_session_get(&r->jv, session)) {
			*err = xasprintf(_("session %lld is not a session of %s"), (long long)session, r->target);
			report_release(r);
			return -1;
		}
		strbuf problems = STRBUF_INIT;
		char *verr = NULL;
		r->verify = journal_verify(j, NULL, &problems, &r->head, &verr);
		if (r->verify < 0) {
			r->verify_text = verr;
			r->verify = -1;
		} else {
			free(verr);
			r->verify_text = sb_detach(&problems);
		}
		sb_release(&problems);
	}
	r->checks = xcalloc(e->cat->nchecks ? e->cat->nchecks : 1, sizeof *r->checks);
	for (size_t s = 0; s < e->cat->nsections; s++)
		for (size_t i = 0; i < e->cat->sections[s].n; i++) {
			report_check *rc = &r->checks[r->nchecks++];
			rc->chk = &e->cat->sections[s].checks[i];
			engine_run(e, rc->chk, &rc->res);
			if (r->have_journal) {
				rc->attest = jq_attestation_for(&r->jv, rc->chk->id);
				rc->waiver = jq_waiver_for(&r->jv, rc->chk->id, r->today);
			}
			rc->status = overlay(rc);
			/* The checklist's score: the section beyond it is scored apart (report_paths.h). */
			if (!e->cat->sections[s].beyond)
				r->counts[rc->status]++;
		}
	return 0;
}

void report_release(report *r)
{
	for (size_t i = 0; i < r->nchecks; i++)
		result_release(&r->checks[i].res);
	free(r->checks);
	if (r->have_journal)
		jq_release(&r->jv);
	site_info_release(&r->site);
	free(r->target), free(r->target_desc), free(r->generated_at), free(r->generated_by), free(r->host);
	free(r->journal_path), free(r->verify_text), free(r->head);
	memset(r, 0, sizeof *r);
}

const jq_change *report_change_get(const report *r, int64_t id)
{
	for (size_t i = 0; i < r->jv.nchanges; i++)
		if (r->jv.changes[i].id == id)
			return &r->jv.changes[i];
	return NULL;
}

bool report_change_in_scope(const report *r, const jq_change *c)
{
	if (!r->session || c->session == r->session)
		return true;
	/* The undo that reverted one of the session's changes, and the change an undo
	 * in the session reverted, belong to the session's story. */
	const jq_change *orig = c->undoes ? report_change_get(r, c->undoes) : NULL;
	if (orig && orig->session == r->session)
		return true;
	for (size_t i = 0; i < r->jv.nchanges; i++) {
		const jq_change *u = &r->jv.changes[i];
		if (u->undoes == c->id && u->session == r->session)
			return true;
	}
	return false;
}

bool report_session_in_scope(const report *r, const jq_session *s)
{
	if (!r->session || s->id == r->session)
		return true;
	for (size_t i = 0; i < r->jv.nchanges; i++)
		if (r->jv.changes[i].session == s->id && report_change_in_scope(r, &r->jv.changes[i]))
			return true;
	return false;
}

void report_section_counts(const report *r, const char *section_id, size_t counts[ST_COUNT])
{
	memset(counts, 0, ST_COUNT * sizeof *counts);
	for (size_t i = 0; i < r->nchecks; i++) {
		const section *sec = catalog_section(r->cat, r->checks[i].chk->section);
		if (section_id ? !strcmp(r->checks[i].chk->section, section_id) : !(sec && sec->beyond))
			counts[r->checks[i].status]++;
	}
}

char *report_value_text(const value *v, size_t max)
{
	strbuf raw = STRBUF_INIT, clean = STRBUF_INIT;
	value_format(v, &raw);
	sanitize_append(&clean, sb_str(&raw), raw.len, max);
	sb_release(&raw);
	return sb_detach(&clean);
}

int report_write(FILE *out, report_format f, const report *r)
{
	switch (f) {
	case RF_HTML: return report_write_html(out, r);
	case RF_MD: return report_write_md(out, r);
	case RF_JSON: return report_write_json(out, r);
	case RF_CSV: return report_write_csv(out, r);
	}
	return -1;
}

char *report_attest_label(const report_check *rc)
{
	return rc->attest->compliant ? xasprintf(_("Attested compliant by %s on %s:"), rc->attest->operator_, rc->attest->at)
				     : xasprintf(_("Judged not compliant by %s on %s:"), rc->attest->operator_,
						 rc->attest->at);
}

char *report_waiver_label(const report_check *rc)
{
	return *rc->waiver->until
		       ? xasprintf(_("Waived by %s until %s:"), rc->waiver->operator_, rc->waiver->until)
		       : xasprintf(_("Waived permanently by %s (no end date):"), rc->waiver->operator_);
}
