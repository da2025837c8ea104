/* report_md_parts.c — the Markdown report's findings, action plan, change
 * log, attestations, waivers, journal, sign-off and the appendix of every
 * check (see md.h for the escaping). */
#include "config.h"
#include "report/md.h"
#include "content/content_i18n.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>

static void evidence_head(strbuf *sb, const ev_table *t, const bool *keep)
{
	sb_adds(sb, "| \u2717? | ");
	md(sb, _("Object"));
	sb_adds(sb, " |");
	size_t n = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		if (keep && !keep[c])
			continue;
		n++;
		sb_adds(sb, " ");
		md(sb, t->columns[c]);
		sb_adds(sb, " |");
	}
	sb_adds(sb, "\n|---|---|");
	for (size_t c = 0; c < n; c++)
		sb_adds(sb, "---|");
	sb_addc(sb, '\n');
}

static void evidence_row(strbuf *sb, const ev_table *t, const ev_row *row, const bool *keep)
{
	sb_adds(sb, row->offending ? "| \u2717 | " : "|  | ");
	md_n(sb, row->key, MD_VALUE_MAX);
	sb_adds(sb, " |");
	for (size_t c = 0; c < t->ncols; c++) {
		if (keep && !keep[c])
			continue;
		sb_adds(sb, row->bad[c] ? " \\* " : " ");
		if (row->missing[c])
			md(sb, _("(missing)"));
		else
			md_value(sb, t->cls, t->columns[c], &row->cells[c], MD_VALUE_MAX);
		sb_adds(sb, " |");
	}
	sb_addc(sb, '\n');
}

void md_evidence(strbuf *sb, const ev_table *t, bool only_offending, const bool *keep)
{
	sb_adds(sb, "\n*");
	md(sb, content_text(t->label));
	sb_adds(sb, "* (");
	md_code(sb, t->cls);
	sb_adds(sb, ")\n\n");
	if (t->error) {
		md(sb, _("cannot be read:"));
		sb_adds(sb, " ");
		md(sb, t->error);
		sb_adds(sb, "\n");
		return;
	}
	size_t total = 0, shown = 0;
	for (size_t i = 0; i < t->nrows; i++)
		total += !only_offending || t->rows[i].offending;
	if (!total) {
		md(sb, _("No object."));
		sb_addc(sb, '\n');
		return;
	}
	evidence_head(sb, t, keep);
	for (size_t i = 0; i < t->nrows && shown < MD_ROWS_MAX; i++) {
		if (only_offending && !t->rows[i].offending)
			continue;
		shown++;
		evidence_row(sb, t, &t->rows[i], keep);
	}
	if (total > shown) {
		char *m = xasprintf(_("%zu more objects are in the JSON report."), total - shown);
		sb_adds(sb, "\n");
		md(sb, m);
		sb_addc(sb, '\n');
		free(m);
	}
}

static void item(strbuf *sb, const char *label, const char *text)
{
	if (!text)
		return;
	sb_adds(sb, "- **");
	md(sb, label);
	sb_adds(sb, ":** ");
	md(sb, content_text(text));
	sb_addc(sb, '\n');
}

static void quote(strbuf *sb, char *label, const char *text)
{
	sb_adds(sb, "\n> **");
	md(sb, label);
	sb_adds(sb, "** ");
	md(sb, text);
	sb_addc(sb, '\n');
	free(label);
}

static void finding(strbuf *sb, size_t n, const report_check *rc)
{
	const check *k = rc->chk;
	sb_addf(sb, "\n### %zu. **", n);
	md(sb, report_status_label(rc->status));
	sb_adds(sb, "** \u2014 ");
	md(sb, content_text(k->title));
	sb_adds(sb, "\n\n");
	md_code(sb, k->id);
	sb_adds(sb, " \u00b7 ");
	md(sb, _("severity"));
	sb_adds(sb, " ");
	md(sb, severity_label(k->sev));
	sb_adds(sb, "\n\n");
	if (rc->res->reason)
		md_para(sb, rc->res->reason);
	/* Judged not compliant: the operator's note is the finding's evidence. */
	if (rc->attest && rc->status == ST_FAIL) {
		quote(sb, report_attest_label(rc), rc->attest->note);
		sb_addc(sb, '\n');
	}
	item(sb, _("Why it matters"), k->why);
	item(sb, _("Compliant when"), k->compliant);
	item(sb, _("In the console"), k->console);
	for (size_t i = 0; i < k->nrefs; i++) {
		sb_adds(sb, "- **");
		md(sb, _("Reference"));
		sb_adds(sb, ":** ");
		md(sb, k->refs[i].title ? content_text(k->refs[i].title) : "");
		sb_adds(sb, " ");
		md_code(sb, k->refs[i].url);
		sb_addc(sb, '\n');
	}
	if (rc->res->ntables) {
		const ev_table *t = &rc->res->tables[0];
		bool *keep = xcalloc(t->ncols ? t->ncols : 1, sizeof *keep);
		report_deciding_columns(rc, t, keep);
		md_evidence(sb, t, rc->res->status == ST_FAIL, keep);
		free(keep);
	}
}

void md_findings(strbuf *sb, const report *r)
{
	md_heading(sb, 2, _("Findings"));
	md_para(sb, r->nfindings ? _("Every failing check and every check that could not be run, high severity first.")
				 : _("No check fails."));
	for (size_t i = 0; i < r->nfindings; i++)
		finding(sb, i + 1, &r->checks[r->findings[i]]);
}

void md_actions(strbuf *sb, const report *r)
{
	md_heading(sb, 2, _("What is left to do"));
	if (!r->nactions) {
		md_para(sb, _("Nothing: every check passes, is attested, waived or does not apply."));
		return;
	}
	strbuf legend = STRBUF_INIT;
	report_text_actions_legend(&legend);
	md_para(sb, sb_str(&legend));
	sb_release(&legend);
	const char *heads[] = {"#", _("Severity"), _("Check"), _("Status"), _("How"), _("Command")};
	md_header_row(sb, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->nactions; i++) {
		const report_check *rc = &r->checks[r->actions[i]];
		sb_addf(sb, "| %zu | ", i + 1);
		md(sb, severity_label(rc->chk->sev));
		sb_adds(sb, " | ");
		md(sb, content_text(rc->chk->title));
		sb_adds(sb, " | ");
		md(sb, report_status_label(rc->status));
		sb_adds(sb, " | ");
		md(sb, report_action_text(report_action_kind(rc)));
		sb_adds(sb, " | ");
		char *cmd = report_action_command(rc);
		md_code(sb, cmd);
		free(cmd);
		sb_adds(sb, " |\n");
	}
}

static void change_fix(strbuf *sb, const report_change *x)
{
	const jq_change *c = x->c;
	if (c->undoes) {
		char *t = xasprintf(_("undo of change %lld"), (long long)c->undoes);
		md(sb, t);
		free(t);
	} else if (x->run) {
		md(sb, x->run->fix_id ? x->run->fix_id : x->run->kind);
		if (x->run->check_id) {
			sb_adds(sb, " (");
			md(sb, x->run->check_id);
			sb_adds(sb, ")");
		}
	}
}

/* When, by whom and in which run, in one cell: the table stays nine columns wide. */
static void change_when(strbuf *sb, const report_change *x)
{
	const jq_change *c = x->c;
	strbuf t = STRBUF_INIT;
	if (c->planned_at)
		sb_addf(&t, "%s %s", _("planned"), c->planned_at);
	if (c->applied_at)
		sb_addf(&t, "%s%s %s", t.len ? ", " : "", _("applied"), c->applied_at);
	if (c->undone_at)
		sb_addf(&t, "%s%s %s", t.len ? ", " : "", _("undone"), c->undone_at);
	if (!t.len)
		sb_adds(&t, c->updated);
	char *by = xasprintf(_("; by %s, run %lld"), x->session ? x->session->operator_ : "?", (long long)c->run);
	sb_adds(&t, by);
	free(by);
	md(sb, sb_str(&t));
	sb_release(&t);
}

static void change_row(strbuf *sb, const report_change *x)
{
	const jq_change *c = x->c;
	sb_addf(sb, "| %lld | %lld | ", (long long)c->id, (long long)c->session);
	change_fix(sb, x);
	sb_adds(sb, " | ");
	md(sb, c->cls);
	sb_adds(sb, " ");
	md(sb, c->key);
	sb_adds(sb, " | ");
	md(sb, c->prop);
	sb_adds(sb, " | ");
	/* The values written, as the journal holds them (its export and CSV agree). */
	md_value(sb, NULL, NULL, &c->before, 0);
	sb_adds(sb, " | ");
	md_value(sb, NULL, NULL, &c->after, 0);
	sb_adds(sb, " | **");
	md(sb, change_state_name(c->state));
	sb_adds(sb, "**");
	if (c->undone_by) {
		char *t = xasprintf(_("by change %lld"), (long long)c->undone_by);
		sb_adds(sb, " ");
		md(sb, t);
		free(t);
	}
	sb_adds(sb, " | ");
	change_when(sb, x);
	sb_adds(sb, " |\n");
}

void md_changes(strbuf *sb, const report *r)
{
	md_heading(sb, 2, _("Changes made and undone"));
	if (!r->nchanges) {
		md(sb, _("The journal holds no change in the scope of this report."));
		sb_addc(sb, '\n');
		return;
	}
	const char *heads[] = {_("Change"), _("Session"), _("Fix (check)"), _("Object"),	_("Property"),
			       _("Before"), _("After"),	  _("State"),	    _("When (UTC), by whom")};
	md_header_row(sb, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->nchanges; i++)
		change_row(sb, &r->changes[i]);
}

static void cells(strbuf *sb, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sb_adds(sb, i ? " | " : "| ");
		md(sb, v[i]);
	}
	sb_adds(sb, " |\n");
}

void md_attestations(strbuf *sb, const report *r)
{
	md_heading(sb, 2, _("Attestations"));
	if (!r->nattests) {
		md_para(sb, _("None recorded."));
		return;
	}
	const char *heads[] = {_("Check"), _("Answer"), _("Note"), _("By"), _("When (UTC)"), _("Session")};
	md_header_row(sb, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->nattests; i++) {
		const jq_attest *a = r->attests[i];
		char *s = xasprintf("%lld", (long long)a->session);
		const char *v[] = {a->check_id, a->compliant ? _("compliant") : _("not compliant"), a->note, a->operator_,
				   a->at, s};
		cells(sb, v, ARRAY_SIZE(v));
		free(s);
	}
}

void md_waivers(strbuf *sb, const report *r)
{
	md_heading(sb, 2, _("Waivers"));
	if (!r->nwaivers) {
		md_para(sb, _("None recorded."));
		return;
	}
	const char *heads[] = {_("Check"), _("Reason"), _("Until"), _("Standing"), _("By"), _("When (UTC)")};
	md_header_row(sb, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->nwaivers; i++) {
		const jq_waiver *w = r->waivers[i];
		const char *v[] = {w->check_id,
				   w->reason,
				   *w->until ? w->until : _("permanent (no end date)"),
				   report_standing_label(report_waiver_standing(r, w)),
				   w->operator_,
				   w->at};
		cells(sb, v, ARRAY_SIZE(v));
	}
}

static void verification(strbuf *sb, const report *r)
{
	md_para(sb, r->verify == 0   ? _("Verification: intact. Every row of the journal is the one its hash chain recorded.")
		    : r->verify == 1 ? _("Verification: ALTERED. The journal was changed after it was written; the "
					 "first problem is listed first:")
				     : _("Verification could not be run:"));
	if (r->verify_text && *r->verify_text) {
		char *copy = xstrdup(r->verify_text), *save = NULL;
		for (char *ln = strtok_r(copy, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
			sb_adds(sb, "- ");
			md(sb, ln);
			sb_addc(sb, '\n');
		}
		free(copy);
		sb_addc(sb, '\n');
	}
	if (r->head) {
		md(sb, _("Head of the journal (sequence number and hash of its newest row):"));
		sb_adds(sb, " ");
		md_code(sb, r->head);
		sb_adds(sb, "\n\n");
		md(sb, _("To prove later that this journal still holds everything this report shows, run:"));
		sb_addf(sb, " `cmharden journal verify --head %s`\n", r->head);
	}
}

void md_journal(strbuf *sb, const report *r)
{
	md_heading(sb, 2, _("Journal"));
	if (!r->have_journal) {
		md_para(sb, _("There is no journal yet: nothing has been changed, attested or waived on this machine."));
		return;
	}
	verification(sb, r);
	md_heading(sb, 3, r->session ? _("Sessions of this report") : _("Sessions recorded for this target"));
	const char *heads[] = {_("Session"), _("Started (UTC)"), _("Operator"), _("Command"), _("Site")};
	md_header_row(sb, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->nsessions; i++) {
		const jq_session *s = r->sessions[i];
		char *id = xasprintf("%lld", (long long)s->id);
		const char *v[] = {id, s->started, s->operator_, s->command, s->site};
		cells(sb, v, ARRAY_SIZE(v));
		free(id);
	}
}

void md_signoff(strbuf *sb, const report *r)
{
	md_heading(sb, 2, _("Engagement and sign-off"));
	md_para(sb, _("By signing, the parties accept this report as the state of the site described below. The "
		      "journal head and the content hash tie the signature to exactly this state: a later report "
		      "with the same head and hash shows the same history."));
	char *site = xasprintf("%s \u2013 %s (%s)", r->site.code, r->site.name, r->site.server);
	char *scope = report_scope_text(r);
	const char *rows[][2] = {{_("Site"), site},
				 {_("Scope"), scope},
				 {_("Date"), r->generated_at},
				 {_("Journal head"), r->head ? r->head : _("no journal yet")},
				 {_("Checklist content"), r->cat->digest},
				 {_("Prepared by"), r->eng.prepared_by ? r->eng.prepared_by : _("not stated")}};
	sb_adds(sb, "| | |\n|---|---|\n");
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		cells(sb, rows[i], 2);
	free(site), free(scope);
	sb_addc(sb, '\n');
	const char *heads[] = {_("Name"), _("Role"), _("Date"), _("Signature")};
	md_header_row(sb, heads, ARRAY_SIZE(heads));
	for (int i = 0; i < 3; i++)
		sb_adds(sb, "| &nbsp; | | | |\n");
}

static void check_md(strbuf *sb, const report_check *rc)
{
	const check *k = rc->chk;
	const result *res = rc->res;
	sb_adds(sb, "\n#### **");
	md(sb, report_status_label(rc->status));
	sb_adds(sb, "** \u2014 ");
	md(sb, content_text(k->title));
	sb_adds(sb, "\n\n");
	md_code(sb, k->id);
	sb_adds(sb, " \u00b7 ");
	md(sb, _("severity"));
	sb_adds(sb, " ");
	md(sb, severity_label(k->sev));
	sb_adds(sb, " \u00b7 ");
	char *kind = report_kind_text(k);
	md(sb, kind);
	free(kind);
	if (k->fail_or_ask) {
		sb_adds(sb, " \u00b7 ");
		md(sb, report_decided_text(rc));
	}
	if (rc->status != rc->res->status) { /* an operator's verdict overrides the site's */
		sb_adds(sb, " \u00b7 ");
		md(sb, _("the site alone:"));
		sb_adds(sb, " ");
		md(sb, status_name(res->status));
	}
	sb_adds(sb, "\n");
	if (res->reason && !(k->kind == KIND_ATTESTATION && k->attest_question && !strcmp(res->reason, k->attest_question))) {
		sb_adds(sb, "\n");
		md(sb, res->reason);
		sb_addc(sb, '\n');
	}
	if (res->auto_reason) {
		sb_adds(sb, "\n");
		md(sb, _("The automated part found no violation:"));
		sb_adds(sb, " ");
		md(sb, res->auto_reason);
		sb_addc(sb, '\n');
	}
}


static void check_body(strbuf *sb, const report_check *rc)
{
	const check *k = rc->chk;
	const result *res = rc->res;
	/* A fail-or-ask check whose automated part found a violation asks nothing. */
	if (k->kind == KIND_ATTESTATION && k->attest_question && !(k->fail_or_ask && res->decided == DECIDED_SITE)) {
		sb_adds(sb, "\n**");
		md(sb, _("Question:"));
		sb_adds(sb, "** ");
		md(sb, content_text(k->attest_question));
		sb_addc(sb, '\n');
	}
	if (rc->attest)
		quote(sb, report_attest_label(rc), rc->attest->note);
	if (rc->waiver)
		quote(sb, report_waiver_label(rc), rc->waiver->reason);
	if (res->status == ST_FAIL || res->status == ST_ERROR) {
		if (res->ntables)
			md_evidence(sb, &res->tables[0], res->status == ST_FAIL, NULL);
	} else if (res->status == ST_NEEDS_ATTESTATION) {
		for (size_t t = 0; t < res->ntables; t++)
			md_evidence(sb, &res->tables[t], false, NULL);
	}
}

void md_checks(strbuf *sb, const report *r)
{
	md_heading(sb, 2, _("Appendix: every check and its evidence"));
	for (size_t s = 0; s < r->nsections; s++) {
		const report_section *rs = &r->sections[s];
		sb_addf(sb, "\n### %zu. ", s + 1);
		md(sb, content_text(rs->sec->heading ? rs->sec->heading : rs->sec->title));
		sb_addc(sb, '\n');
		if (!rs->sec->n && rs->sec->note) {
			sb_addc(sb, '\n');
			md(sb, content_text(rs->sec->note));
			sb_addc(sb, '\n');
		}
		for (size_t i = 0; i < rs->n; i++) {
			check_md(sb, &r->checks[rs->idx[i]]);
			check_body(sb, &r->checks[rs->idx[i]]);
		}
	}
}
