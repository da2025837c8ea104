/* report_md.c — the report as Markdown (CommonMark with GitHub tables), for a
 * wiki page or a ticket. Site and journal text is sanitised, then every
 * character Markdown gives a meaning to is escaped and < > & become entities,
 * so no site value can turn into markup, a link or raw HTML. */
#include "config.h"
#include "report/report.h"
#include "report/report_paths.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/sanitize.h"

#include <stdlib.h>
#include <string.h>

#define MD_ROWS_MAX 25
#define MD_VALUE_MAX 300

static void md_n(strbuf *sb, const char *s, size_t max)
{
	if (!s)
		return;
	strbuf clean = STRBUF_INIT;
	sanitize_append(&clean, s, strlen(s), max);
	for (const char *p = sb_str(&clean); *p; p++) {
		switch (*p) {
		case '<': sb_adds(sb, "&lt;"); break;
		case '>': sb_adds(sb, "&gt;"); break;
		case '&': sb_adds(sb, "&amp;"); break;
		case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#': case '!':
		case '~': case '(': case ')': case '{': case '}':
			sb_addc(sb, '\\');
			sb_addc(sb, *p);
			break;
		default: sb_addc(sb, *p);
		}
	}
	sb_release(&clean);
}

static void md(strbuf *sb, const char *s)
{
	md_n(sb, s, 0);
}

static void md_value(strbuf *sb, const value *v, size_t max)
{
	strbuf raw = STRBUF_INIT;
	value_format(v, &raw);
	md_n(sb, sb_str(&raw), max);
	sb_release(&raw);
}

static void header_row(strbuf *sb, const char *const *heads, size_t n)
{
	sb_adds(sb, "|");
	for (size_t i = 0; i < n; i++) {
		sb_adds(sb, " ");
		md(sb, heads[i]);
		sb_adds(sb, " |");
	}
	sb_adds(sb, "\n|");
	for (size_t i = 0; i < n; i++)
		sb_adds(sb, "---|");
	sb_addc(sb, '\n');
}

static void counts_cells(strbuf *sb, const size_t counts[ST_COUNT])
{
	size_t total = 0;
	for (int s = 0; s < ST_COUNT; s++) {
		sb_addf(sb, " %zu |", counts[s]);
		total += counts[s];
	}
	sb_addf(sb, " %zu |\n", total);
}

static void evidence(strbuf *sb, const ev_table *t, bool only_offending)
{
	sb_adds(sb, "\n*");
	md(sb, content_text(t->label));
	sb_adds(sb, "* (`");
	/* inside a code span only a backtick is special; sanitised text has none after md() */
	md(sb, t->cls);
	sb_adds(sb, "`)\n\n");
	if (t->error) {
		sb_adds(sb, "! ");
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
	sb_adds(sb, "| \u2717? | ");
	md(sb, _("Object"));
	sb_adds(sb, " |");
	for (size_t c = 0; c < t->ncols; c++) {
		sb_adds(sb, " ");
		md(sb, t->columns[c]);
		sb_adds(sb, " |");
	}
	sb_adds(sb, "\n|---|---|");
	for (size_t c = 0; c < t->ncols; c++)
		sb_adds(sb, "---|");
	sb_addc(sb, '\n');
	for (size_t i = 0; i < t->nrows && shown < MD_ROWS_MAX; i++) {
		const ev_row *row = &t->rows[i];
		if (only_offending && !row->offending)
			continue;
		shown++;
		sb_adds(sb, row->offending ? "| \u2717 | " : "|  | ");
		md_n(sb, row->key, MD_VALUE_MAX);
		sb_adds(sb, " |");
		for (size_t c = 0; c < t->ncols; c++) {
			sb_adds(sb, row->bad[c] ? " \\* " : " ");
			if (row->missing[c])
				md(sb, _("(missing)"));
			else
				md_value(sb, &row->cells[c], MD_VALUE_MAX);
			sb_adds(sb, " |");
		}
		sb_addc(sb, '\n');
	}
	if (total > shown) {
		char *m = xasprintf(_("%zu more objects are in the JSON report."), total - shown);
		sb_adds(sb, "\n");
		md(sb, m);
		sb_addc(sb, '\n');
		free(m);
	}
}

static void check_md(strbuf *sb, const report_check *rc)
{
	const check *k = rc->chk;
	sb_adds(sb, "\n#### ");
	sb_adds(sb, "**");
	md(sb, report_status_label(rc->status));
	sb_adds(sb, "** \u2014 ");
	md(sb, content_text(k->title));
	sb_adds(sb, "\n\n`");
	md(sb, k->id);
	sb_adds(sb, "` \u00b7 ");
	md(sb, _("severity"));
	sb_addf(sb, " %s \u00b7 ", severity_name(k->sev));
	if (k->kind == KIND_AUTOMATED) {
		char *t = xasprintf(_("automated (%s)"), basis_name(k->basis));
		md(sb, t);
		free(t);
	} else {
		md(sb, _("attestation"));
	}
	if (rc->status == ST_ATTESTED || rc->status == ST_WAIVED) {
		sb_adds(sb, " \u00b7 ");
		md(sb, _("the site alone:"));
		sb_adds(sb, " ");
		md(sb, status_name(rc->res.status));
	}
	sb_adds(sb, "\n");
	if (rc->res.reason && !(k->kind == KIND_ATTESTATION && k->attest_question &&
				!strcmp(rc->res.reason, k->attest_question))) {
		sb_adds(sb, "\n");
		md(sb, rc->res.reason);
		sb_addc(sb, '\n');
	}
	if (k->kind == KIND_ATTESTATION && k->attest_question) {
		sb_adds(sb, "\n**");
		md(sb, _("Question:"));
		sb_adds(sb, "** ");
		md(sb, content_text(k->attest_question));
		sb_addc(sb, '\n');
	}
	if (rc->attest) {
		char *t = report_attest_label(rc);
		sb_adds(sb, "\n> **");
		md(sb, t);
		sb_adds(sb, "** ");
		md(sb, rc->attest->note);
		sb_addc(sb, '\n');
		free(t);
	}
	if (rc->waiver) {
		char *t = report_waiver_label(rc);
		sb_adds(sb, "\n> **");
		md(sb, t);
		sb_adds(sb, "** ");
		md(sb, rc->waiver->reason);
		sb_addc(sb, '\n');
		free(t);
	}
	if (rc->res.status == ST_FAIL || rc->res.status == ST_ERROR) {
		if (rc->res.ntables)
			evidence(sb, &rc->res.tables[0], rc->res.status == ST_FAIL);
	} else if (rc->res.status == ST_NEEDS_ATTESTATION) {
		for (size_t t = 0; t < rc->res.ntables; t++)
			evidence(sb, &rc->res.tables[t], false);
	}
}

int report_write_md(FILE *out, const report *r)
{
	strbuf sb = STRBUF_INIT;
	char *title = xasprintf(_("Security report for site %s"), r->site.code);
	sb_adds(&sb, "# ");
	md(&sb, title);
	free(title);
	sb_adds(&sb, "\n\n");
	md(&sb, content_text(r->cat->title));
	sb_adds(&sb, "\n\n");
	struct {
		const char *label;
		char *v;
	} meta[] = {
		{_("Site"), xasprintf("%s \u2013 %s", r->site.code, r->site.name)},
		{_("Site server"), xstrdup(r->site.server)},
		{_("Version"), xasprintf(_("%s (build %s), %s mode"), r->site.version, r->site.build, r->site.mode)},
		{_("Target"), xasprintf("%s \u2013 %s", r->target, r->target_desc)},
		{_("Scope"), r->session ? xasprintf(_("session %lld"), (long long)r->session)
					: xstrdup(_("everything recorded for the target"))},
		{_("Report made"), xasprintf(_("%s by %s on %s"), r->generated_at, r->generated_by, r->host)},
		{_("Checks run"), xstrdup(_("on the target when the report was made"))},
		{_("Checklist content"), xstrdup(r->cat->digest)},
		{_("Journal"), !r->have_journal ? xstrdup(_("no journal yet"))
			       : r->verify == 0 ? xasprintf(_("intact, head %s"), r->head ? r->head : "?")
			       : r->verify == 1 ? xasprintf(_("ALTERED, head %s"), r->head ? r->head : "?")
						: xstrdup(_("could not be verified"))},
		{_("Generator"), xstrdup(PACKAGE_STRING)},
	};
	sb_adds(&sb, "| | |\n|---|---|\n");
	for (size_t i = 0; i < ARRAY_SIZE(meta); i++) {
		sb_adds(&sb, "| **");
		md(&sb, meta[i].label);
		sb_adds(&sb, "** | ");
		md(&sb, meta[i].v);
		sb_adds(&sb, " |\n");
		free(meta[i].v);
	}

	sb_adds(&sb, "\n## ");
	md(&sb, _("Summary"));
	sb_adds(&sb, "\n\n");
	const char *heads[ST_COUNT + 2];
	heads[0] = _("Section");
	for (int s = 0; s < ST_COUNT; s++)
		heads[s + 1] = report_status_label((check_status)s);
	heads[ST_COUNT + 1] = _("total");
	header_row(&sb, heads, ST_COUNT + 2);
	for (size_t s = 0; s < r->cat->nsections; s++) {
		size_t counts[ST_COUNT];
		if (r->cat->sections[s].beyond)
			continue; /* scored apart, under Attack paths */
		report_section_counts(r, r->cat->sections[s].id, counts);
		sb_adds(&sb, "| ");
		md(&sb, content_text(r->cat->sections[s].title));
		sb_adds(&sb, " |");
		counts_cells(&sb, counts);
	}
	sb_adds(&sb, "| **");
	md(&sb, _("All sections"));
	sb_adds(&sb, "** |");
	counts_cells(&sb, r->counts);

	sb_adds(&sb, "\n## ");
	md(&sb, _("Journal"));
	sb_adds(&sb, "\n\n");
	if (!r->have_journal) {
		md(&sb, _("There is no journal yet: nothing has been changed, attested or waived on this machine."));
		sb_addc(&sb, '\n');
	} else {
		md(&sb, r->verify == 0   ? _("Verification: intact. Every row of the journal is the one its hash chain recorded.")
			: r->verify == 1 ? _("Verification: ALTERED. The journal was changed after it was written; the "
					     "first problem is listed first:")
					 : _("Verification could not be run:"));
		sb_adds(&sb, "\n\n");
		if (r->verify_text && *r->verify_text) {
			char *copy = xstrdup(r->verify_text), *save = NULL;
			for (char *ln = strtok_r(copy, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
				sb_adds(&sb, "- ");
				md(&sb, ln);
				sb_addc(&sb, '\n');
			}
			free(copy);
			sb_addc(&sb, '\n');
		}
		if (r->head) {
			md(&sb, _("Head of the journal (sequence number and hash of its newest row):"));
			sb_adds(&sb, " `");
			sb_adds(&sb, r->head); /* digits, a colon and hex: produced by journal_verify */
			sb_adds(&sb, "`\n\n");
			md(&sb, _("To prove later that this journal still holds everything this report shows, run:"));
			sb_addf(&sb, " `cmharden journal verify --head %s`\n", r->head);
		}
		sb_adds(&sb, "\n### ");
		md(&sb, r->session ? _("Sessions of this report") : _("Sessions recorded for this target"));
		sb_adds(&sb, "\n\n");
		const char *sh[] = {_("Session"), _("Started (UTC)"), _("Operator"), _("Command"), _("Site")};
		header_row(&sb, sh, ARRAY_SIZE(sh));
		for (size_t i = 0; i < r->jv.nsessions; i++) {
			const jq_session *s = &r->jv.sessions[i];
			if (!report_session_in_scope(r, s))
				continue;
			sb_addf(&sb, "| %lld | ", (long long)s->id);
			md(&sb, s->started);
			sb_adds(&sb, " | ");
			md(&sb, s->operator_);
			sb_adds(&sb, " | ");
			md(&sb, s->command);
			sb_adds(&sb, " | ");
			md(&sb, s->site);
			sb_adds(&sb, " |\n");
		}
	}

	sb_adds(&sb, "\n## ");
	md(&sb, _("Changes made and undone"));
	sb_adds(&sb, "\n\n");
	const char *ch[] = {_("Change"), _("Session"), _("Fix (check)"), _("Object"), _("Property"),
			    _("Before"), _("After"),   _("State"),	 _("Time (UTC)")};
	size_t nch = 0;
	for (size_t i = 0; i < r->jv.nchanges; i++) {
		const jq_change *c = &r->jv.changes[i];
		if (!report_change_in_scope(r, c))
			continue;
		if (!nch++)
			header_row(&sb, ch, ARRAY_SIZE(ch));
		const jq_run *run = jq_run_get(&r->jv, c->run);
		sb_addf(&sb, "| %lld | %lld | ", (long long)c->id, (long long)c->session);
		if (c->undoes) {
			char *t = xasprintf(_("undo of change %lld"), (long long)c->undoes);
			md(&sb, t);
			free(t);
		} else if (run) {
			md(&sb, run->fix_id ? run->fix_id : run->kind);
			if (run->check_id) {
				sb_adds(&sb, " \\(");
				md(&sb, run->check_id);
				sb_adds(&sb, "\\)");
			}
		}
		sb_adds(&sb, " | ");
		md(&sb, c->cls);
		sb_adds(&sb, " ");
		md(&sb, c->key);
		sb_adds(&sb, " | ");
		md(&sb, c->prop);
		sb_adds(&sb, " | ");
		md_value(&sb, &c->before, 0);
		sb_adds(&sb, " | ");
		md_value(&sb, &c->after, 0);
		sb_adds(&sb, " | **");
		md(&sb, change_state_name(c->state));
		sb_adds(&sb, "**");
		if (c->undone_by) {
			char *t = xasprintf(_("by change %lld"), (long long)c->undone_by);
			sb_adds(&sb, " ");
			md(&sb, t);
			free(t);
		}
		sb_adds(&sb, " | ");
		md(&sb, c->updated);
		sb_adds(&sb, " |\n");
	}
	if (!nch) {
		md(&sb, _("The journal holds no change in the scope of this report."));
		sb_addc(&sb, '\n');
	}

	sb_adds(&sb, "\n## ");
	md(&sb, _("Attestations"));
	sb_adds(&sb, "\n\n");
	const char *ah[] = {_("Check"), _("Answer"), _("Note"), _("By"), _("When (UTC)"), _("Session")};
	size_t na = 0;
	for (size_t i = 0; i < r->jv.nattests; i++) {
		const jq_attest *a = &r->jv.attests[i];
		if (r->session && a->session != r->session)
			continue;
		if (!na++)
			header_row(&sb, ah, ARRAY_SIZE(ah));
		sb_adds(&sb, "| ");
		md(&sb, a->check_id);
		sb_adds(&sb, " | ");
		md(&sb, a->compliant ? _("compliant") : _("not compliant"));
		sb_adds(&sb, " | ");
		md(&sb, a->note);
		sb_adds(&sb, " | ");
		md(&sb, a->operator_);
		sb_adds(&sb, " | ");
		md(&sb, a->at);
		sb_addf(&sb, " | %lld |\n", (long long)a->session);
	}
	if (!na) {
		md(&sb, _("None recorded."));
		sb_addc(&sb, '\n');
	}

	sb_adds(&sb, "\n## ");
	md(&sb, _("Waivers"));
	sb_adds(&sb, "\n\n");
	const char *wh[] = {_("Check"), _("Reason"), _("Until"), _("Standing"), _("By"), _("When (UTC)")};
	size_t nw = 0;
	for (size_t i = 0; i < r->jv.nwaivers; i++) {
		const jq_waiver *w = &r->jv.waivers[i];
		if (r->session && w->session != r->session)
			continue;
		if (!nw++)
			header_row(&sb, wh, ARRAY_SIZE(wh));
		sb_adds(&sb, "| ");
		md(&sb, w->check_id);
		sb_adds(&sb, " | ");
		md(&sb, w->reason);
		sb_adds(&sb, " | ");
		md(&sb, *w->until ? w->until : _("permanent (no end date)"));
		sb_adds(&sb, " | ");
		md(&sb, jq_waiver_expired(w, r->today)			    ? _("expired")
			: jq_waiver_for(&r->jv, w->check_id, r->today) == w ? _("in force")
									    : _("replaced by a newer waiver"));
		sb_adds(&sb, " | ");
		md(&sb, w->operator_);
		sb_adds(&sb, " | ");
		md(&sb, w->at);
		sb_adds(&sb, " |\n");
	}
	if (!nw) {
		md(&sb, _("None recorded."));
		sb_addc(&sb, '\n');
	}

	sb_adds(&sb, "\n## ");
	md(&sb, _("Checks"));
	sb_addc(&sb, '\n');
	for (size_t s = 0; s < r->cat->nsections; s++) {
		const section *sec = &r->cat->sections[s];
		sb_addf(&sb, "\n### %zu. ", s + 1);
		md(&sb, content_text(sec->heading ? sec->heading : sec->title));
		sb_addc(&sb, '\n');
		if (!sec->n && sec->note) {
			sb_addc(&sb, '\n');
			md(&sb, content_text(sec->note));
			sb_addc(&sb, '\n');
		}
		for (size_t i = 0; i < r->nchecks; i++)
			if (!strcmp(r->checks[i].chk->section, sec->id))
				check_md(&sb, &r->checks[i]);
	}
	report_paths_md(&sb, r);
	int rc = fputs(sb_str(&sb), out) < 0 ? -1 : 0;
	sb_release(&sb);
	return rc;
}
