/* report_html_findings.c — the HTML report's findings (worst first, each with
 * why it matters, what compliant looks like, where in the console, the
 * references and only the evidence columns that decided it), the action plan,
 * and the appendix of every check with its full evidence. */
#include "config.h"
#include "report/html.h"
#include "content/content_i18n.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>

static void evidence_head(strbuf *sb, const ev_table *t, const bool *keep)
{
	sb_adds(sb, "<thead><tr><th scope=\"col\" title=\"offending\">\u2717?</th><th scope=\"col\">");
	html_esc(sb, _("Object"));
	sb_adds(sb, "</th>");
	for (size_t c = 0; c < t->ncols; c++) {
		if (keep && !keep[c])
			continue;
		sb_adds(sb, "<th scope=\"col\">");
		html_esc(sb, t->columns[c]);
		sb_adds(sb, "</th>");
	}
	sb_adds(sb, "</tr></thead><tbody>\n");
}

static void evidence_row(strbuf *sb, const ev_table *t, const ev_row *row, const bool *keep)
{
	sb_adds(sb, row->offending ? "<tr class=\"off\"><td>\u2717</td><td><code>" : "<tr><td></td><td><code>");
	html_esc_n(sb, row->key, HTML_VALUE_MAX);
	sb_adds(sb, "</code></td>");
	for (size_t c = 0; c < t->ncols; c++) {
		if (keep && !keep[c])
			continue;
		sb_adds(sb, row->bad[c] ? "<td class=\"bad\">* " : "<td>");
		if (row->missing[c]) {
			sb_adds(sb, "<i>");
			html_esc(sb, _("(missing)"));
			sb_adds(sb, "</i>");
		} else {
			html_value_cell(sb, t->cls, t->columns[c], &row->cells[c], HTML_VALUE_MAX);
		}
		sb_adds(sb, "</td>");
	}
	sb_adds(sb, "</tr>\n");
}

/* Returns false when the table is only a message (an error, no object). */
static bool evidence_caption(strbuf *sb, const ev_table *t, size_t total)
{
	sb_adds(sb, "<table class=\"evidence\"><caption>");
	html_esc(sb, content_text(t->label));
	sb_adds(sb, " <span class=\"mono\">(");
	html_esc(sb, t->cls);
	if (t->where) {
		sb_adds(sb, " where ");
		html_esc(sb, t->where);
	}
	sb_adds(sb, ")</span></caption>\n");
	if (!t->error && total)
		return true;
	sb_adds(sb, "<tr><td>");
	if (t->error) {
		sb_adds(sb, "! ");
		html_esc(sb, _("cannot be read:"));
		sb_adds(sb, " ");
		html_esc(sb, t->error);
	} else {
		html_esc(sb, _("No object."));
	}
	sb_adds(sb, "</td></tr></table>\n");
	return false;
}

/* A wide table's row: the object, then its properties as name=value pairs
 * that flow across the page (35 narrow columns would make every row tall). */
static void evidence_row_wide(strbuf *sb, const ev_table *t, const ev_row *row, const bool *keep)
{
	sb_adds(sb, row->offending ? "<tr class=\"off\"><td>\u2717</td><td><code>" : "<tr><td></td><td><code>");
	html_esc_n(sb, row->key, HTML_VALUE_MAX);
	sb_adds(sb, "</code><br><span class=\"props\">");
	bool first = true;
	for (size_t c = 0; c < t->ncols; c++) {
		if ((keep && !keep[c]) || row->missing[c])
			continue;
		sb_adds(sb, first ? "" : " \u00b7 ");
		first = false;
		sb_adds(sb, row->bad[c] ? "<span class=\"bad\">* " : "<span>");
		html_esc(sb, t->columns[c]);
		sb_adds(sb, "=");
		html_value_cell(sb, t->cls, t->columns[c], &row->cells[c], HTML_VALUE_MAX);
		sb_adds(sb, "</span>");
	}
	sb_adds(sb, "</span></td></tr>\n");
}

static size_t shown_columns(const ev_table *t, const bool *keep)
{
	size_t n = 0;
	for (size_t c = 0; c < t->ncols; c++)
		n += !keep || keep[c];
	return n;
}

void html_evidence_table(strbuf *sb, const ev_table *t, bool only_offending, const bool *keep)
{
	size_t total = 0, shown = 0;
	for (size_t i = 0; i < t->nrows; i++)
		total += !only_offending || t->rows[i].offending;
	if (!evidence_caption(sb, t, total))
		return;
	bool wide = shown_columns(t, keep) > HTML_WIDE_COLUMNS;
	if (wide) {
		sb_adds(sb, "<thead><tr><th scope=\"col\" title=\"offending\">\u2717?</th><th scope=\"col\">");
		html_esc(sb, _("Object and its properties"));
		sb_adds(sb, "</th></tr></thead><tbody>\n");
	} else {
		evidence_head(sb, t, keep);
	}
	for (size_t i = 0; i < t->nrows && shown < HTML_ROWS_MAX; i++) {
		if (only_offending && !t->rows[i].offending)
			continue;
		shown++;
		if (wide)
			evidence_row_wide(sb, t, &t->rows[i], keep);
		else
			evidence_row(sb, t, &t->rows[i], keep);
	}
	sb_adds(sb, "</tbody></table>\n");
	if (total > shown) {
		char *m = xasprintf(_("%zu more objects are in the JSON report."), total - shown);
		html_para(sb, "meta-line", m);
		free(m);
	}
}

static void dl_item(strbuf *sb, const char *label, const char *text)
{
	if (!text)
		return;
	sb_adds(sb, "<dt>");
	html_esc(sb, label);
	sb_adds(sb, "</dt><dd>");
	html_esc(sb, content_text(text));
	sb_adds(sb, "</dd>\n");
}

static void references(strbuf *sb, const check *k)
{
	if (!k->nrefs)
		return;
	sb_adds(sb, "<dt>");
	html_esc(sb, _("References"));
	sb_adds(sb, "</dt><dd><ul>");
	for (size_t i = 0; i < k->nrefs; i++) {
		/* Content text, not site data; still escaped, and shown as text rather
		 * than a link so the report carries no outside address to follow. */
		sb_adds(sb, "<li>");
		html_esc(sb, k->refs[i].title ? content_text(k->refs[i].title) : "");
		sb_adds(sb, " <span class=\"mono\">");
		html_esc(sb, k->refs[i].url);
		sb_adds(sb, "</span></li>");
	}
	sb_adds(sb, "</ul></dd>\n");
}

static void finding_evidence(strbuf *sb, const report_check *rc)
{
	if (!rc->res->ntables)
		return;
	const ev_table *t = &rc->res->tables[0];
	bool *keep = xcalloc(t->ncols ? t->ncols : 1, sizeof *keep);
	report_deciding_columns(rc, t, keep);
	html_evidence_table(sb, t, rc->res->status == ST_FAIL, keep);
	free(keep);
	sb_adds(sb, "<p class=\"meta-line\">");
	html_esc(sb, _("Only the properties that decided the verdict are shown; every property is in the appendix:"));
	sb_adds(sb, " <a href=\"#check-");
	html_esc(sb, rc->chk->id);
	sb_adds(sb, "\">");
	html_esc(sb, rc->chk->id);
	sb_adds(sb, "</a></p>\n");
}

static void note(strbuf *sb, char *label, const char *text)
{
	sb_adds(sb, "<p class=\"note\"><b>");
	html_esc(sb, label);
	sb_adds(sb, "</b> ");
	html_esc(sb, text);
	sb_adds(sb, "</p>\n");
	free(label);
}

static void finding(strbuf *sb, size_t n, const report_check *rc)
{
	const check *k = rc->chk;
	sb_addf(sb, "<article class=\"finding check s-%s\" id=\"finding-", status_name(rc->status));
	html_esc(sb, k->id);
	sb_addf(sb, "\"><h4>%zu. ", n);
	html_badge(sb, rc->status);
	html_esc(sb, content_text(k->title));
	sb_adds(sb, "</h4>\n<p class=\"meta-line\"><code>");
	html_esc(sb, k->id);
	sb_adds(sb, "</code> \u00b7 ");
	html_esc(sb, _("severity"));
	sb_adds(sb, " ");
	html_esc(sb, severity_label(k->sev));
	sb_adds(sb, "</p>\n");
	if (rc->res->reason)
		html_para(sb, NULL, rc->res->reason);
	/* Judged not compliant: the operator's note is the finding's evidence. */
	if (rc->attest && rc->status == ST_FAIL)
		note(sb, report_attest_label(rc), rc->attest->note);
	sb_adds(sb, "<dl>\n");
	dl_item(sb, _("Why it matters"), k->why);
	dl_item(sb, _("Compliant when"), k->compliant);
	dl_item(sb, _("In the console"), k->console);
	references(sb, k);
	sb_adds(sb, "</dl>\n");
	finding_evidence(sb, rc);
	sb_adds(sb, "</article>\n");
}

void html_findings(strbuf *sb, const report *r)
{
	html_section_open(sb, "findings", _("Findings"));
	if (!r->nfindings)
		html_para(sb, NULL, _("No check fails."));
	else
		html_para(sb, NULL, _("Every failing check and every check that could not be run, high severity first."));
	for (size_t i = 0; i < r->nfindings; i++)
		finding(sb, i + 1, &r->checks[r->findings[i]]);
	sb_adds(sb, "</section>\n");
}

void html_actions(strbuf *sb, const report *r)
{
	html_section_open(sb, "actions", _("What is left to do"));
	if (!r->nactions) {
		html_para(sb, NULL, _("Nothing: every check passes, is attested, waived or does not apply."));
		sb_adds(sb, "</section>\n");
		return;
	}
	strbuf legend = STRBUF_INIT;
	report_text_actions_legend(&legend);
	html_para(sb, NULL, sb_str(&legend));
	sb_release(&legend);
	const char *heads[] = {"#", _("Severity"), _("Check"), _("Status"), _("How"), _("Command")};
	html_table_open(sb, "actions", heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->nactions; i++) {
		const report_check *rc = &r->checks[r->actions[i]];
		sb_addf(sb, "<tr><td>%zu</td><td>", i + 1);
		html_esc(sb, severity_label(rc->chk->sev));
		sb_adds(sb, "</td><td>");
		html_esc(sb, content_text(rc->chk->title));
		sb_adds(sb, "<br><code>");
		html_esc(sb, rc->chk->id);
		sb_adds(sb, "</code></td><td>");
		html_esc(sb, report_status_label(rc->status));
		sb_adds(sb, "</td><td>");
		html_esc(sb, report_action_text(report_action_kind(rc)));
		sb_adds(sb, "</td><td><code>");
		char *cmd = report_action_command(rc);
		html_esc(sb, cmd);
		free(cmd);
		sb_adds(sb, "</code></td></tr>\n");
	}
	sb_adds(sb, "</tbody></table></section>\n");
}

static void check_meta(strbuf *sb, const report_check *rc)
{
	const check *k = rc->chk;
	sb_adds(sb, "<p class=\"meta-line\"><code>");
	html_esc(sb, k->id);
	sb_adds(sb, "</code> \u00b7 ");
	html_esc(sb, _("severity"));
	sb_adds(sb, " ");
	html_esc(sb, severity_label(k->sev));
	sb_adds(sb, " \u00b7 ");
	char *kind = report_kind_text(k);
	html_esc(sb, kind);
	free(kind);
	if (k->fail_or_ask) {
		sb_adds(sb, " \u00b7 ");
		html_esc(sb, report_decided_text(rc));
	}
	if (rc->status != rc->res->status) { /* an operator's verdict overrides the site's */
		sb_adds(sb, " \u00b7 ");
		html_esc(sb, _("the site alone:"));
		sb_adds(sb, " ");
		html_esc(sb, status_name(rc->res->status));
	}
	sb_adds(sb, "</p>\n");
}


static void check_text(strbuf *sb, const report_check *rc)
{
	const check *k = rc->chk;
	/* An attestation check's reason is its question, shown below. */
	if (rc->res->reason && !(k->kind == KIND_ATTESTATION && k->attest_question &&
				 !strcmp(rc->res->reason, k->attest_question)))
		html_para(sb, NULL, rc->res->reason);
	if (rc->res->auto_reason) {
		sb_adds(sb, "<p>");
		html_esc(sb, _("The automated part found no violation:"));
		sb_adds(sb, " ");
		html_esc(sb, rc->res->auto_reason);
		sb_adds(sb, "</p>\n");
	}
	if (rc->res->expected && (k->kind == KIND_AUTOMATED || k->fail_or_ask)) {
		sb_adds(sb, "<p class=\"meta-line\">");
		html_esc(sb, _("Expected:"));
		sb_adds(sb, " <code>");
		html_esc(sb, rc->res->expected);
		sb_adds(sb, "</code></p>\n");
	}
	/* A fail-or-ask check whose automated part found a violation asks nothing. */
	if (k->kind == KIND_ATTESTATION && k->attest_question && !(k->fail_or_ask && rc->res->decided == DECIDED_SITE)) {
		sb_adds(sb, "<p><b>");
		html_esc(sb, _("Question:"));
		sb_adds(sb, "</b> ");
		html_esc(sb, content_text(k->attest_question));
		sb_adds(sb, "</p>\n");
	}
	if (rc->attest)
		note(sb, report_attest_label(rc), rc->attest->note);
	if (rc->waiver)
		note(sb, report_waiver_label(rc), rc->waiver->reason);
}

static void check_article(strbuf *sb, const report_check *rc)
{
	const result *res = rc->res;
	sb_addf(sb, "<article class=\"check s-%s\" id=\"check-", status_name(rc->status));
	html_esc(sb, rc->chk->id);
	sb_adds(sb, "\"><h4>");
	html_badge(sb, rc->status);
	html_esc(sb, content_text(rc->chk->title));
	sb_adds(sb, "</h4>\n");
	check_meta(sb, rc);
	check_text(sb, rc);
	/* Evidence: the offending objects of a failing check; everything an
	 * attestation check collected, since the operator judged on it. */
	if (res->status == ST_FAIL || res->status == ST_ERROR) {
		if (res->ntables)
			html_evidence_table(sb, &res->tables[0], res->status == ST_FAIL, NULL);
	} else if (res->status == ST_NEEDS_ATTESTATION) {
		for (size_t t = 0; t < res->ntables; t++)
			html_evidence_table(sb, &res->tables[t], false, NULL);
	} else if (res->status == ST_PASS && res->examined) {
		char *t = xasprintf(ngettext("%zu object examined, none offends.", "%zu objects examined, none offends.",
					     res->examined),
				    res->examined);
		html_para(sb, "meta-line", t);
		free(t);
	}
	sb_adds(sb, "</article>\n");
}

void html_checks(strbuf *sb, const report *r)
{
	html_section_open(sb, "checks", _("Appendix: every check and its evidence"));
	for (size_t s = 0; s < r->nsections; s++) {
		const report_section *rs = &r->sections[s];
		sb_addf(sb, "<h3 id=\"section-%s\">%zu. ", rs->sec->id, s + 1);
		html_esc(sb, content_text(rs->sec->heading ? rs->sec->heading : rs->sec->title));
		sb_adds(sb, "</h3>\n");
		if (!rs->sec->n && rs->sec->note)
			html_para(sb, NULL, content_text(rs->sec->note));
		for (size_t i = 0; i < rs->n; i++)
			check_article(sb, &r->checks[rs->idx[i]]);
	}
	sb_adds(sb, "</section>\n");
}
