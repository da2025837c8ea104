/* report_csv.c — the report as one CSV table (RFC 4180, CRLF), for spreadsheets.
 *
 * Every row has the same columns; the first, `record`, says what the row is:
 * report, site, journal, summary, session, check, change, attestation, waiver.
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
	C_N
};

static const char *columns[C_N] = {"record", "id",	"session", "check",  "section", "title",    "status",
				   "severity", "kind",	"class",   "object", "property", "before",  "after",
				   "state",  "until",	"operator", "at",     "detail"};

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

static void counts_text(strbuf *out, const size_t counts[ST_COUNT])
{
	for (int s = 0; s < ST_COUNT; s++)
		sb_addf(out, "%s%s=%zu", s ? "; " : "", status_name((check_status)s), counts[s]);
}

/* One `path` record per attack technique (report_paths.h): its state, its
 * checks, and the line a reader sees. */
static void path_rows(strbuf *sb, const report *r)
{
	path_view pv;
	report_path_view(r, &pv);
	row w = {{0}};
	strbuf t = STRBUF_INIT;
	for (size_t i = 0; i < pv.n; i++) {
		const path_entry *e = &pv.entries[i];
		put(&w, C_RECORD, "path");
		put(&w, C_ID, e->t->id);
		put(&w, C_TITLE, e->t->title);
		put(&w, C_STATUS, path_state_name(e->state));
		put(&w, C_OBJECT, e->t->url);
		sb_reset(&t);
		for (size_t k = 0; k < e->n; k++)
			sb_addf(&t, "%s%s=%s", k ? "; " : "", e->checks[k].chk->id, status_name(e->checks[k].status));
		put(&w, C_CHECK, sb_str(&t));
		sb_reset(&t);
		path_entry_line(e, &t);
		put(&w, C_DETAIL, sb_str(&t));
		emit(sb, &w);
	}
	sb_release(&t);
	path_view_release(&pv);
}

int report_write_csv(FILE *out, const report *r)
{
	strbuf sb = STRBUF_INIT;
	row w;
	memset(&w, 0, sizeof w);
	for (int c = 0; c < C_N; c++)
		sb_addf(&sb, "%s%s", c ? "," : "", columns[c]);
	sb_adds(&sb, "\r\n");

	put(&w, C_RECORD, "report");
	put(&w, C_OPERATOR, r->generated_by);
	put(&w, C_AT, r->generated_at);
	if (r->session)
		putf(&w, C_SESSION, "%lld", (long long)r->session);
	putf(&w, C_DETAIL, "%s; target %s; host %s; scope %s", PACKAGE_STRING, r->target, r->host,
	     r->session ? "session" : "target");
	emit(&sb, &w);

	put(&w, C_RECORD, "site");
	put(&w, C_ID, r->site.code);
	put(&w, C_TITLE, r->site.name);
	put(&w, C_OBJECT, r->site.server);
	putf(&w, C_DETAIL, "%s; build %s; %s mode", r->site.version, r->site.build, r->site.mode);
	emit(&sb, &w);

	put(&w, C_RECORD, "journal");
	put(&w, C_STATUS,
	    !r->have_journal ? "no_journal" : r->verify == 0 ? "intact" : r->verify == 1 ? "altered" : "error");
	put(&w, C_OBJECT, r->journal_path);
	put(&w, C_ID, r->head);
	put(&w, C_DETAIL, r->verify_text && *r->verify_text ? r->verify_text : NULL);
	emit(&sb, &w);

	strbuf t = STRBUF_INIT;
	for (size_t s = 0; s <= r->cat->nsections; s++) {
		const section *sec = s < r->cat->nsections ? &r->cat->sections[s] : NULL;
		size_t counts[ST_COUNT];
		report_section_counts(r, sec ? sec->id : NULL, counts);
		put(&w, C_RECORD, "summary");
		put(&w, C_SECTION, sec ? sec->id : "(all)");
		put(&w, C_TITLE, sec ? sec->title : "Overall");
		sb_reset(&t);
		counts_text(&t, counts);
		put(&w, C_DETAIL, sb_str(&t));
		emit(&sb, &w);
	}

	for (size_t i = 0; i < r->jv.nsessions; i++) {
		const jq_session *s = &r->jv.sessions[i];
		if (!report_session_in_scope(r, s))
			continue;
		put(&w, C_RECORD, "session");
		putf(&w, C_ID, "%lld", (long long)s->id);
		putf(&w, C_SESSION, "%lld", (long long)s->id);
		put(&w, C_OPERATOR, s->operator_);
		put(&w, C_AT, s->started);
		put(&w, C_OBJECT, s->site);
		put(&w, C_DETAIL, s->command);
		emit(&sb, &w);
	}

	for (size_t i = 0; i < r->nchecks; i++) {
		const report_check *rc = &r->checks[i];
		put(&w, C_RECORD, "check");
		put(&w, C_ID, rc->chk->id);
		put(&w, C_CHECK, rc->chk->id);
		put(&w, C_SECTION, rc->chk->section);
		put(&w, C_TITLE, rc->chk->title);
		put(&w, C_STATUS, status_name(rc->status));
		put(&w, C_SEVERITY, severity_name(rc->chk->sev));
		put(&w, C_KIND, kind_name(rc->chk->kind));
		put(&w, C_STATE, status_name(rc->res.status));
		if (rc->res.ntables)
			put(&w, C_CLASS, rc->res.tables[0].cls);
		sb_reset(&t);
		if (rc->res.ntables && rc->chk->kind == KIND_AUTOMATED)
			for (size_t j = 0; j < rc->res.tables[0].nrows; j++)
				if (rc->res.tables[0].rows[j].offending)
					sb_addf(&t, "%s%s", t.len ? "; " : "", rc->res.tables[0].rows[j].key);
		put(&w, C_OBJECT, t.len ? sb_str(&t) : NULL);
		sb_reset(&t);
		if (rc->res.reason)
			sb_adds(&t, rc->res.reason);
		if (rc->status == ST_ATTESTED)
			sb_addf(&t, "%sattested: %s", t.len ? "; " : "", rc->attest->note);
		if (rc->status == ST_FAIL && rc->attest && rc->chk->kind == KIND_ATTESTATION)
			sb_addf(&t, "%snot compliant: %s", t.len ? "; " : "", rc->attest->note);
		if (rc->status == ST_WAIVED)
			sb_addf(&t, "%swaived: %s", t.len ? "; " : "", rc->waiver->reason);
		put(&w, C_DETAIL, t.len ? sb_str(&t) : NULL);
		emit(&sb, &w);
	}

	for (size_t i = 0; i < r->jv.nchanges; i++) {
		const jq_change *c = &r->jv.changes[i];
		if (!report_change_in_scope(r, c))
			continue;
		const jq_run *run = jq_run_get(&r->jv, c->run);
		put(&w, C_RECORD, "change");
		putf(&w, C_ID, "%lld", (long long)c->id);
		putf(&w, C_SESSION, "%lld", (long long)c->session);
		put(&w, C_CHECK, run ? run->check_id : NULL);
		put(&w, C_KIND, run ? run->kind : NULL);
		put(&w, C_CLASS, c->cls);
		put(&w, C_OBJECT, c->key);
		put(&w, C_PROPERTY, c->prop);
		char *b = report_value_text(&c->before, 0), *a = report_value_text(&c->after, 0);
		put(&w, C_BEFORE, b);
		put(&w, C_AFTER, a);
		free(b);
		free(a);
		put(&w, C_STATE, change_state_name(c->state));
		put(&w, C_AT, c->updated);
		sb_reset(&t);
		if (run && run->fix_id)
			sb_addf(&t, "fix %s; run %lld", run->fix_id, (long long)c->run);
		else
			sb_addf(&t, "run %lld", (long long)c->run);
		if (c->undoes)
			sb_addf(&t, "; undoes change %lld", (long long)c->undoes);
		if (c->undone_by)
			sb_addf(&t, "; undone by change %lld", (long long)c->undone_by);
		put(&w, C_DETAIL, sb_str(&t));
		emit(&sb, &w);
	}

	for (size_t i = 0; i < r->jv.nattests; i++) {
		const jq_attest *a = &r->jv.attests[i];
		if (r->session && a->session != r->session)
			continue;
		put(&w, C_RECORD, "attestation");
		putf(&w, C_ID, "%lld", (long long)a->id);
		putf(&w, C_SESSION, "%lld", (long long)a->session);
		put(&w, C_CHECK, a->check_id);
		put(&w, C_STATE, a->compliant ? "compliant" : "not_compliant");
		put(&w, C_OPERATOR, a->operator_);
		put(&w, C_AT, a->at);
		put(&w, C_DETAIL, a->note);
		emit(&sb, &w);
	}

	for (size_t i = 0; i < r->jv.nwaivers; i++) {
		const jq_waiver *x = &r->jv.waivers[i];
		if (r->session && x->session != r->session)
			continue;
		put(&w, C_RECORD, "waiver");
		putf(&w, C_ID, "%lld", (long long)x->id);
		putf(&w, C_SESSION, "%lld", (long long)x->session);
		put(&w, C_CHECK, x->check_id);
		put(&w, C_STATE, jq_waiver_expired(x, r->today)                       ? "expired"
				 : jq_waiver_for(&r->jv, x->check_id, r->today) == x ? "in_force"
										 : "superseded");
		put(&w, C_UNTIL, *x->until ? x->until : "permanent");
		put(&w, C_OPERATOR, x->operator_);
		put(&w, C_AT, x->at);
		put(&w, C_DETAIL, x->reason);
		emit(&sb, &w);
	}
	sb_release(&t);
	path_rows(&sb, r);
	int rc = fputs(sb_str(&sb), out) < 0 ? -1 : 0;
	sb_release(&sb);
	return rc;
}
