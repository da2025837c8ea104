/* report.c — building the report model (see report.h). */
#include "config.h"
#include "report/report.h"
#include "base/i18n.h"
#include "base/sanitize.h"
#include "content/value_names.h"
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
 * settles an attestation check's open question, never a failure the automated
 * part of a fail-or-ask check found. The site's own verdict stays in res->status. */
static check_status overlay(const report_check *rc)
{
	if (rc->waiver)
		return ST_WAIVED;
	/* "Not compliant" is the operator's finding: a failure like the site's own. */
	if (rc->attest && rc->chk->kind == KIND_ATTESTATION && rc->res->status == ST_NEEDS_ATTESTATION)
		return rc->attest->compliant ? ST_ATTESTED : ST_FAIL;
	return rc->res->status;
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

static void copy_site(site_info *dst, const site_info *s)
{
	dst->code = xstrdup(s->code ? s->code : "");
	dst->name = xstrdup(s->name ? s->name : "");
	dst->server = xstrdup(s->server ? s->server : "");
	dst->version = xstrdup(s->version ? s->version : "");
	dst->build = xstrdup(s->build ? s->build : "");
	dst->mode = xstrdup(s->mode ? s->mode : "");
}

/* Every section of the catalog, each with the indexes of its checks and their counts. */
static void build_sections(report *r)
{
	r->nsections = r->cat->nsections;
	r->sections = xcalloc(r->nsections ? r->nsections : 1, sizeof *r->sections);
	for (size_t s = 0; s < r->nsections; s++) {
		report_section *rs = &r->sections[s];
		rs->sec = &r->cat->sections[s];
		rs->idx = xcalloc(r->nchecks ? r->nchecks : 1, sizeof *rs->idx);
		for (size_t i = 0; i < r->nchecks; i++)
			if (!strcmp(r->checks[i].chk->section, rs->sec->id)) {
				rs->idx[rs->n++] = i;
				rs->counts[r->checks[i].status]++;
				r->checks[i].beyond = rs->sec->beyond;
			}
	}
	/* The checklist's counts: the sections beyond it are scored apart (report_paths.h). */
	for (size_t i = 0; i < r->nchecks; i++)
		if (!r->checks[i].beyond) {
			r->counts[r->checks[i].status]++;
			r->ncounted++;
		}
}

static void base_fields(report *r, const catalog *cat, const char *tspec, const char *desc, const site_info *site)
{
	memset(r, 0, sizeof *r);
	r->cat = cat;
	r->target = xstrdup(tspec);
	r->target_desc = xstrdup(desc ? desc : tspec);
	copy_site(&r->site, site);
	r->generated_at = now_iso();
	r->generated_by = who();
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0)
		host[0] = '\0';
	r->host = xstrdup(host);
	today_utc(r->today);
	r->verify = -1;
}

void report_from_results(report *r, const catalog *cat, const char *tspec, const site_info *site,
			 const result *rs, size_t n)
{
	base_fields(r, cat, tspec ? tspec : "", NULL, site);
	r->checks = xcalloc(n ? n : 1, sizeof *r->checks);
	for (size_t i = 0; i < n; i++) {
		report_check *rc = &r->checks[r->nchecks++];
		rc->chk = rs[i].chk;
		rc->res = &rs[i];
		rc->status = rs[i].status; /* `check` applied the verdicts already */
	}
	build_sections(r);
	report_plan(r);
}

/* The journal's part: its records for the target, its verification and head. */
static int read_journal(report *r, journal *j, char **err)
{
	if (jq_load(j, r->target, &r->jv, err) < 0)
		return -1;
	r->have_journal = true;
	if (r->session && !jq_session_get(&r->jv, r->session)) {
		*err = xasprintf(_("session %lld is not a session of %s"), (long long)r->session, r->target);
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
	return 0;
}

static void run_checks(report *r, engine *e)
{
	r->owned = xcalloc(e->cat->nchecks ? e->cat->nchecks : 1, sizeof *r->owned);
	r->checks = xcalloc(e->cat->nchecks ? e->cat->nchecks : 1, sizeof *r->checks);
	for (size_t s = 0; s < e->cat->nsections; s++)
		for (size_t i = 0; i < e->cat->sections[s].n; i++) {
			report_check *rc = &r->checks[r->nchecks];
			rc->chk = &e->cat->sections[s].checks[i];
			engine_run(e, rc->chk, &r->owned[r->nchecks]);
			rc->res = &r->owned[r->nchecks++];
			/* Answers settle verdicts only from a journal proved unaltered (the
			 * rule undo and check follow); an altered one is still shown. */
			if (report_answers_applied(r)) {
				rc->attest = jq_attestation_for(&r->jv, rc->chk->id);
				rc->waiver = jq_waiver_for(&r->jv, rc->chk->id, r->today);
			}
			rc->status = overlay(rc);
		}
}

/* The engagement: the options given, then the settings file for what they leave out. */
static int read_engagement(report *r, const report_opts *o, char **err)
{
	report_engagement file;
	if (engagement_load(&file, err) < 0)
		return -1;
	if (o->eng)
		engagement_merge(&r->eng, o->eng);
	engagement_merge(&r->eng, &file);
	engagement_release(&file);
	const char *bpath = o->baseline_path ? o->baseline_path : r->eng.baseline;
	return bpath ? baseline_load(&r->base, bpath, err) : 0;
}

int report_build(report *r, engine *e, const report_opts *o, char **err)
{
	base_fields(r, e->cat, e->t->spec, e->t->description, &e->site);
	r->session = o->session;
	r->journal_path = o->jpath ? xstrdup(o->jpath) : NULL;
	if ((o->j && read_journal(r, o->j, err) < 0) || read_engagement(r, o, err) < 0) {
		report_release(r);
		return -1;
	}
	run_checks(r, e);
	build_sections(r);
	report_scope_journal(r);
	report_plan(r);
	return 0;
}

void report_release(report *r)
{
	if (r->owned)
		for (size_t i = 0; i < r->nchecks; i++)
			result_release(&r->owned[i]);
	free(r->owned);
	free(r->checks);
	for (size_t s = 0; s < r->nsections; s++)
		free(r->sections[s].idx);
	free(r->sections);
	free(r->findings), free(r->actions);
	free(r->sessions), free(r->changes), free(r->attests), free(r->waivers), free(r->results);
	if (r->have_journal)
		jq_release(&r->jv);
	site_info_release(&r->site);
	engagement_release(&r->eng);
	baseline_free(r->base);
	diff_release(&r->diff);
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

const char *report_waiver_standing(const report *r, const jq_waiver *w)
{
	if (jq_waiver_expired(w, r->today))
		return "expired";
	return jq_waiver_for(&r->jv, w->check_id, r->today) == w ? "in_force" : "superseded";
}

char *report_value_text(const char *cls, const char *prop, const value *v, size_t max)
{
	strbuf raw = STRBUF_INIT, clean = STRBUF_INIT;
	value_format_named(cls, prop, v, &raw);
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

bool report_answers_applied(const report *r)
{
	return r->have_journal && r->verify == 0;
}

decided_by report_decided_by(const report_check *rc)
{
	return rc->waiver ? DECIDED_WAIVER : rc->res->decided;
}

const char *report_decided_text(const report_check *rc)
{
	result view;
	memset(&view, 0, sizeof view);
	view.chk = rc->chk;
	view.decided = report_decided_by(rc);
	return decided_text(&view);
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
