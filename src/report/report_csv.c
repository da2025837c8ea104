/* report_csv.c — the report as one CSV table (RFC 4180, CRLF), for spreadsheets.
 *
 * Every row has the same columns; the first, `record`, says what the row is:
 * report, engagement, site, journal, summary, finding, action, baseline,
 * difference, session, check, change, attestation, waiver.
 * Columns a record does not use are empty. Fields are sanitised and protected
 * from formula injection by results_csv_field(). */
#include "config.h"
#include "report/report.h"
#include "report/report_paths.h"
#include "report/results_out.h"

#include <stdlib.h>
#include <string.h>

enum {
	C_RECORD,
	C_ID,
	C_SESSION,
	C_CHECK,
	C_SECTION,
	C_TITLE,
	C_STATUS,
	C_SEVERITY,
	C_KIND,
	C_CLASS,
	C_OBJECT,
	C_PROPERTY,
	C_BEFORE,
	C_AFTER,
	C_STATE,
	C_UNTIL,
	C_OPERATOR,
	C_AT,
	C_DETAIL,
	C_PLANNED,
	C_APPLIED,
	C_UNDONE,
	C_RUN,
	C_N
};

static const char *columns[C_N] = {"record", "id",	"session", "check",  "section", "title",    "status",
				   "severity", "kind",	"class",   "object", "property", "before",  "after",
				   "state",  "until",	"operator", "at",     "detail",
				   "planned_at", "applied_at", "undone_at", "run"};

typedef struct row {
	char *f[C_N];
} row;

static void put(row *r, int c, const char *s)
{
	free(r->f[c]);
	r->f[c] = s ? xstrdup(s) : NULL;
}

static void putf(row *r, int c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void putf(row *r, int c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(r->f[c]);
	r->f[c] = xvasprintf(fmt, ap);
	va_end(ap);
}

static void emit(strbuf *sb, row *r)
{
	for (int c = 0; c < C_N; c++) {
		if (c)
			sb_addc(sb, ',');
		if (r->f[c])
			results_csv_field(sb, r->f[c]);
		free(r->f[c]);
		r->f[c] = NULL;
	}
	sb_adds(sb, "\r\n");
}

static bool failing_status(check_status s)
{
	return s == ST_FAIL || s == ST_ERROR;
}

static void counts_text(strbuf *out, const size_t counts[ST_COUNT])
{
	for (int s = 0; s < ST_COUNT; s++)
		sb_addf(out, "%s%s=%zu", s ? "; " : "", status_name((check_status)s), counts[s]);
}

static void head_rows(strbuf *sb, row *w, const report *r)
{
	put(w, C_RECORD, "report");
	put(w, C_OPERATOR, r->generated_by);
	put(w, C_AT, r->generated_at);
	if (r->session)
		putf(w, C_SESSION, "%lld", (long long)r->session);
	putf(w, C_DETAIL, "%s; target %s; host %s; scope %s; schema %s", PACKAGE_STRING, r->target, r->host,
	     r->session ? "session" : "target", REPORT_SCHEMA_VERSION);
	emit(sb, w);

	put(w, C_RECORD, "engagement");
	put(w, C_TITLE, r->eng.title);
	put(w, C_OBJECT, r->eng.organisation);
	put(w, C_OPERATOR, r->eng.prepared_by);
	put(w, C_DETAIL, r->eng.engagement);
	emit(sb, w);

	put(w, C_RECORD, "site");
	put(w, C_ID, r->site.code);
	put(w, C_TITLE, r->site.name);
	put(w, C_OBJECT, r->site.server);
	putf(w, C_DETAIL, "%s; build %s; %s mode", r->site.version, r->site.build, r->site.mode);
	emit(sb, w);

	put(w, C_RECORD, "journal");
	put(w, C_STATUS,
	    !r->have_journal ? "no_journal" : r->verify == 0 ? "intact" : r->verify == 1 ? "altered" : "error");
	put(w, C_OBJECT, r->journal_path);
	put(w, C_ID, r->head);
	put(w, C_DETAIL, r->verify_text && *r->verify_text ? r->verify_text : NULL);
	emit(sb, w);
}

static void summary_rows(strbuf *sb, row *w, const report *r)
{
	strbuf t = STRBUF_INIT;
	for (size_t s = 0; s <= r->nsections; s++) {
		const section *sec = s < r->nsections ? r->sections[s].sec : NULL;
		put(w, C_RECORD, "summary");
		put(w, C_SECTION, sec ? sec->id : "(all)");
		put(w, C_TITLE, sec ? sec->title : "Overall");
		sb_reset(&t);
		counts_text(&t, sec ? r->sections[s].counts : r->counts);
		if (!sec)
			sb_addf(&t, "; score=%d; failing_high=%zu; failing_medium=%zu; failing_low=%zu", r->score,
				r->fail_by_sev[SEV_HIGH], r->fail_by_sev[SEV_MEDIUM], r->fail_by_sev[SEV_LOW]);
		put(w, C_DETAIL, sb_str(&t));
		emit(sb, w);
	}
	sb_release(&t);
	for (size_t i = 0; i < r->nactions; i++) {
		const report_check *rc = &r->checks[r->actions[i]];
		put(w, C_RECORD, failing_status(rc->status) ? "finding" : "action");
		putf(w, C_ID, "%zu", i + 1);
		put(w, C_CHECK, rc->chk->id);
		put(w, C_TITLE, rc->chk->title);
		put(w, C_STATUS, status_name(rc->status));
		put(w, C_SEVERITY, severity_name(rc->chk->sev));
		put(w, C_KIND, report_action_kind(rc));
		char *cmd = report_action_command(rc);
		put(w, C_DETAIL, cmd);
		free(cmd);
		emit(sb, w);
	}
}

static void baseline_rows(strbuf *sb, row *w, const report *r)
{
	if (!r->base)
		return;
	put(w, C_RECORD, "baseline");
	put(w, C_OBJECT, r->base->path);
	put(w, C_AT, r->base->generated_at);
	put(w, C_ID, r->base->content_digest);
	strbuf t = STRBUF_INIT;
	for (int k = 0; k < DIFF_KINDS; k++)
		sb_addf(&t, "%s%s=%zu", k ? "; " : "", diff_kind_name((diff_kind)k), r->diff.counts[k]);
	put(w, C_DETAIL, sb_str(&t));
	sb_release(&t);
	emit(sb, w);
	for (size_t i = 0; i < r->diff.n; i++) {
		const diff_item *d = &r->diff.items[i];
		put(w, C_RECORD, "difference");
		put(w, C_KIND, diff_kind_name(d->kind));
		put(w, C_CHECK, d->check_id);
		put(w, C_BEFORE, d->was);
		put(w, C_AFTER, d->now);
		emit(sb, w);
	}
}

static void session_rows(strbuf *sb, row *w, const report *r)
{
	for (size_t i = 0; i < r->nsessions; i++) {
		const jq_session *s = r->sessions[i];
		put(w, C_RECORD, "session");
		putf(w, C_ID, "%lld", (long long)s->id);
		putf(w, C_SESSION, "%lld", (long long)s->id);
		put(w, C_OPERATOR, s->operator_);
		put(w, C_AT, s->started);
		put(w, C_OBJECT, s->site);
		put(w, C_DETAIL, s->command);
		emit(sb, w);
	}
}

static void check_row(strbuf *sb, row *w, const report_check *rc, strbuf *t)
{
	put(w, C_RECORD, "check");
	put(w, C_ID, rc->chk->id);
	put(w, C_CHECK, rc->chk->id);
	put(w, C_SECTION, rc->chk->section);
	put(w, C_TITLE, rc->chk->title);
	put(w, C_STATUS, status_name(rc->status));
	put(w, C_SEVERITY, severity_name(rc->chk->sev));
	put(w, C_KIND, check_kind_label(rc->chk));
	put(w, C_STATE, status_name(rc->res->status));
	if (rc->res->ntables)
		put(w, C_CLASS, rc->res->tables[0].cls);
	sb_reset(t);
	if (rc->res->ntables && rc->chk->kind == KIND_AUTOMATED)
		for (size_t j = 0; j < rc->res->tables[0].nrows; j++)
			if (rc->res->tables[0].rows[j].offending)
				sb_addf(t, "%s%s", t->len ? "; " : "", rc->res->tables[0].rows[j].key);
	put(w, C_OBJECT, t->len ? sb_str(t) : NULL);
	sb_reset(t);
	if (rc->res->reason)
		sb_adds(t, rc->res->reason);
	if (rc->status == ST_ATTESTED)
		sb_addf(t, "%sattested: %s", t->len ? "; " : "", rc->attest->note);
	if (rc->status == ST_FAIL && rc->attest && rc->chk->kind == KIND_ATTESTATION)
		sb_addf(t, "%snot compliant: %s", t->len ? "; " : "", rc->attest->note);
	if (rc->status == ST_WAIVED)
		sb_addf(t, "%swaived: %s", t->len ? "; " : "", rc->waiver->reason);
	put(w, C_DETAIL, t->len ? sb_str(t) : NULL);
	emit(sb, w);
}

static void change_row(strbuf *sb, row *w, const report_change *x, strbuf *t)
{
	const jq_change *c = x->c;
	const jq_run *run = x->run;
	put(w, C_RECORD, "change");
	putf(w, C_ID, "%lld", (long long)c->id);
	putf(w, C_SESSION, "%lld", (long long)c->session);
	put(w, C_CHECK, run ? run->check_id : NULL);
	put(w, C_KIND, run ? run->kind : NULL);
	put(w, C_CLASS, c->cls);
	put(w, C_OBJECT, c->key);
	put(w, C_PROPERTY, c->prop);
	char *b = report_value_text(NULL, NULL, &c->before, 0),
	     *a = report_value_text(NULL, NULL, &c->after, 0);
	put(w, C_BEFORE, b);
	put(w, C_AFTER, a);
	free(b);
	free(a);
	put(w, C_STATE, change_state_name(c->state));
	put(w, C_OPERATOR, x->session ? x->session->operator_ : NULL);
	put(w, C_AT, c->updated);
	put(w, C_PLANNED, c->planned_at);
	put(w, C_APPLIED, c->applied_at);
	put(w, C_UNDONE, c->undone_at);
	putf(w, C_RUN, "%lld", (long long)c->run);
	sb_reset(t);
	if (run && run->fix_id)
		sb_addf(t, "fix %s; run %lld", run->fix_id, (long long)c->run);
	else
		sb_addf(t, "run %lld", (long long)c->run);
	if (c->undoes)
		sb_addf(t, "; undoes change %lld", (long long)c->undoes);
	if (c->undone_by)
		sb_addf(t, "; undone by change %lld", (long long)c->undone_by);
	put(w, C_DETAIL, sb_str(t));
	emit(sb, w);
}

static void record_rows(strbuf *sb, row *w, const report *r)
{
	for (size_t i = 0; i < r->nattests; i++) {
		const jq_attest *a = r->attests[i];
		put(w, C_RECORD, "attestation");
		putf(w, C_ID, "%lld", (long long)a->id);
		putf(w, C_SESSION, "%lld", (long long)a->session);
		put(w, C_CHECK, a->check_id);
		put(w, C_STATE, a->compliant ? "compliant" : "not_compliant");
		put(w, C_OPERATOR, a->operator_);
		put(w, C_AT, a->at);
		put(w, C_DETAIL, a->note);
		emit(sb, w);
	}
	for (size_t i = 0; i < r->nwaivers; i++) {
		const jq_waiver *x = r->waivers[i];
		const char *standing = report_waiver_standing(r, x);
		put(w, C_RECORD, "waiver");
		putf(w, C_ID, "%lld", (long long)x->id);
		putf(w, C_SESSION, "%lld", (long long)x->session);
		put(w, C_CHECK, x->check_id);
		put(w, C_STATE, standing);
		put(w, C_UNTIL, *x->until ? x->until : "permanent");
		put(w, C_OPERATOR, x->operator_);
		put(w, C_AT, x->at);
		put(w, C_DETAIL, x->reason);
		emit(sb, w);
	}
}

/* One `path` record per attack technique (report_paths.h): its state, its
 * checks, and the line a reader sees. */
static void path_rows(strbuf *sb, row *w, const report *r)
{
	path_view pv;
	report_path_view(r, &pv);
	strbuf t = STRBUF_INIT;
	for (size_t i = 0; i < pv.n; i++) {
		const path_entry *e = &pv.entries[i];
		put(w, C_RECORD, "path");
		put(w, C_ID, e->t->id);
		put(w, C_TITLE, e->t->title);
		put(w, C_STATUS, path_state_name(e->state));
		put(w, C_OBJECT, e->t->url);
		sb_reset(&t);
		for (size_t k = 0; k < e->n; k++)
			sb_addf(&t, "%s%s=%s", k ? "; " : "", e->checks[k].chk->id, status_name(e->checks[k].status));
		put(w, C_CHECK, sb_str(&t));
		sb_reset(&t);
		path_entry_line(e, &t);
		put(w, C_DETAIL, sb_str(&t));
		emit(sb, w);
	}
	sb_release(&t);
	path_view_release(&pv);
}

int report_write_csv(FILE *out, const report *r)
{
	strbuf sb = STRBUF_INIT, t = STRBUF_INIT;
	row w;
	memset(&w, 0, sizeof w);
	for (int c = 0; c < C_N; c++)
		sb_addf(&sb, "%s%s", c ? "," : "", columns[c]);
	sb_adds(&sb, "\r\n");
	head_rows(&sb, &w, r);
	summary_rows(&sb, &w, r);
	baseline_rows(&sb, &w, r);
	session_rows(&sb, &w, r);
	for (size_t i = 0; i < r->nchecks; i++)
		check_row(&sb, &w, &r->checks[i], &t);
	for (size_t i = 0; i < r->nchanges; i++)
		change_row(&sb, &w, &r->changes[i], &t);
	record_rows(&sb, &w, r);
	path_rows(&sb, &w, r);
	sb_release(&t);
	int rc = fputs(sb_str(&sb), out) < 0 ? -1 : 0;
	sb_release(&sb);
	return rc;
}
