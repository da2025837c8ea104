/* report_html.c — the report as one self-contained HTML file.
 *
 * Rules: no scripts, no external assets (the CSS is inline, symbols are text);
 * every status is written as a word with a symbol, so it reads without colour
 * and on a monochrome printer; print CSS keeps a check and its evidence on one
 * page where it fits and repeats table headers. Everything that came from the
 * site or the journal is sanitised (control and bidi characters become visible
 * escapes) and then HTML-escaped. Long evidence is cut here, never in JSON. */
#include "config.h"
#include "report/report.h"
#include "report/report_paths.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/sanitize.h"

#include <stdlib.h>
#include <string.h>

#define HTML_ROWS_MAX 25   /* evidence rows per table (the JSON report has all) */
#define HTML_VALUE_MAX 400 /* bytes of one evidence value */

static const char *css =
	"*{box-sizing:border-box}"
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI','DejaVu Sans',Arial,sans-serif;color:#111;"
	"margin:0 auto;max-width:1100px;padding:24px}"
	"h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;border-bottom:2px solid #333;padding-bottom:2px;"
	"margin-top:32px}h3{font-size:16px;margin:24px 0 8px}h4{font-size:14px;margin:0 0 4px}"
	"table{border-collapse:collapse;width:100%;margin:6px 0 12px}"
	"th,td{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top;"
	"overflow-wrap:break-word}"
	"td code{overflow-wrap:anywhere}table.changes td:nth-child(-n+2){white-space:nowrap}"
	"th{background:#eee}thead{display:table-header-group}"
	"table.meta th{width:22%}table.num td,table.num th{text-align:right}"
	"table.num td:first-child,table.num th:first-child{text-align:left}"
	"tfoot td{font-weight:bold}"
	"code,.mono{font-family:'DejaVu Sans Mono',Consolas,monospace;font-size:12px}"
	".st{display:inline-block;min-width:9em;padding:0 6px;margin-right:6px;border:1px solid #333;"
	"border-radius:3px;font-weight:bold;text-transform:uppercase;font-size:12px}"
	".s-pass .st,.s-attested .st{background:#e3f4e3}.s-fail .st{background:#fbe0e0;border-width:2px}"
	".s-error .st{background:#fdebd0;border-style:dashed;border-width:2px}"
	".s-needs_attestation .st{background:#fff6cc}.s-waived .st{background:#e6e6f7}"
	".s-not_applicable .st{background:#f2f2f2;color:#444}"
	".check{border:1px solid #bbb;border-left:6px solid #bbb;padding:8px 10px;margin:10px 0}"
	".check.s-fail,.check.s-error{border-left-style:double;border-left-color:#333}"
	".meta-line{color:#444;font-size:12px;margin:0 0 6px}"
	".evidence{font-size:12px;table-layout:fixed}.evidence th:first-child{width:2.2em}"
	".evidence td code{overflow-wrap:anywhere}.evidence caption{text-align:left;font-weight:bold;padding:2px 0}"
	"tr.off td{font-weight:bold}td.bad{text-decoration:underline;text-decoration-thickness:2px}"
	".note{border-left:3px solid #666;padding:2px 8px;margin:4px 0;background:#f7f7f7}"
	".verify-ok{font-weight:bold}.verify-bad{font-weight:bold;border:2px solid #000;padding:4px}"
	"footer{margin-top:32px;font-size:12px;color:#444;border-top:1px solid #999;padding-top:6px}"
	"@page{margin:14mm}"
	"@media print{body{font-size:10pt;max-width:none;padding:0}"
	"h2{break-after:avoid}h3,h4{break-after:avoid}.check{break-inside:avoid}"
	"tr{break-inside:avoid}a{color:inherit;text-decoration:none}"
	"th,.st,.note{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/* Site or journal text: sanitised (one line, visible escapes), then escaped. */
static void esc_n(strbuf *sb, const char *s, size_t max)
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
		case '"': sb_adds(sb, "&quot;"); break;
		case '\'': sb_adds(sb, "&#39;"); break;
		default: sb_addc(sb, *p);
		}
	}
	sb_release(&clean);
}

static void esc(strbuf *sb, const char *s)
{
	esc_n(sb, s, 0);
}

/* Our own text (translations included) is escaped too: a translator's '<' must
 * not become markup. */
static void text(strbuf *sb, const char *s)
{
	esc(sb, s);
}

/* A table with a header row of translated column names, ready for rows. */
static void table_open(strbuf *sb, const char *const *heads, size_t n)
{
	sb_adds(sb, "<table><thead><tr>");
	for (size_t i = 0; i < n; i++) {
		sb_adds(sb, "<th scope=\"col\">");
		text(sb, heads[i]);
		sb_adds(sb, "</th>");
	}
	sb_adds(sb, "</tr></thead><tbody>\n");
}

static const char *symbol(check_status s)
{
	static const char *sym[ST_COUNT] = {"\u2713", "\u2717", "!", "\u2013", "?", "\u2713", "~"};
	return sym[s];
}

static void badge(strbuf *sb, check_status s)
{
	sb_addf(sb, "<span class=\"st\">%s ", symbol(s));
	text(sb, report_status_label(s));
	sb_adds(sb, "</span>");
}

static void value_cell(strbuf *sb, const value *v, size_t max)
{
	char *t = report_value_text(v, max);
	sb_adds(sb, "<code>");
	/* report_value_text already sanitised: escape only. */
	for (const char *p = t; *p; p++) {
		switch (*p) {
		case '<': sb_adds(sb, "&lt;"); break;
		case '>': sb_adds(sb, "&gt;"); break;
		case '&': sb_adds(sb, "&amp;"); break;
		case '"': sb_adds(sb, "&quot;"); break;
		default: sb_addc(sb, *p);
		}
	}
	sb_adds(sb, "</code>");
	free(t);
}

static void meta_row(strbuf *sb, const char *label, const char *v, bool mono)
{
	sb_adds(sb, "<tr><th scope=\"row\">");
	text(sb, label);
	sb_adds(sb, mono ? "</th><td class=\"mono\">" : "</th><td>");
	esc(sb, v);
	sb_adds(sb, "</td></tr>\n");
}

static void counts_row(strbuf *sb, const char *label, const size_t counts[ST_COUNT], bool foot)
{
	size_t total = 0;
	sb_adds(sb, "<tr><td>");
	esc(sb, label);
	sb_adds(sb, "</td>");
	for (int s = 0; s < ST_COUNT; s++) {
		sb_addf(sb, "<td>%zu</td>", counts[s]);
		total += counts[s];
	}
	sb_addf(sb, "<td>%zu</td></tr>\n", total);
	(void)foot;
}

static void summary(strbuf *sb, const report *r)
{
	sb_adds(sb, "<section id=\"summary\"><h2>");
	text(sb, _("Summary"));
	sb_adds(sb, "</h2>\n<p>");
	strbuf line = STRBUF_INIT;
	size_t nlisted = 0;
	for (int s = 0; s < ST_COUNT; s++)
		nlisted += r->counts[s];
	sb_addf(&line, ngettext("%zu check", "%zu checks", nlisted), nlisted);
	for (int s = 0; s < ST_COUNT; s++)
		if (r->counts[s])
			sb_addf(&line, "%s%zu %s", s ? ", " : ": ", r->counts[s], report_status_label((check_status)s));
	text(sb, sb_str(&line));
	sb_release(&line);
	sb_adds(sb, ".</p>\n<table class=\"num\"><thead><tr><th scope=\"col\">");
	text(sb, _("Section"));
	sb_adds(sb, "</th>");
	for (int s = 0; s < ST_COUNT; s++) {
		sb_addf(sb, "<th scope=\"col\">%s ", symbol((check_status)s));
		text(sb, report_status_label((check_status)s));
		sb_adds(sb, "</th>");
	}
	sb_adds(sb, "<th scope=\"col\">");
	text(sb, _("total"));
	sb_adds(sb, "</th></tr></thead>\n<tbody>\n");
	for (size_t s = 0; s < r->cat->nsections; s++) {
		size_t counts[ST_COUNT];
		if (r->cat->sections[s].beyond)
			continue; /* scored apart, under Attack paths */
		report_section_counts(r, r->cat->sections[s].id, counts);
		counts_row(sb, content_text(r->cat->sections[s].title), counts, false);
	}
	sb_adds(sb, "</tbody><tfoot>");
	counts_row(sb, _("All sections"), r->counts, true);
	sb_adds(sb, "</tfoot></table></section>\n");
}

static void journal_section(strbuf *sb, const report *r)
{
	sb_adds(sb, "<section id=\"journal\"><h2>");
	text(sb, _("Journal"));
	sb_adds(sb, "</h2>\n");
	if (!r->have_journal) {
		sb_adds(sb, "<p>");
		text(sb, _("There is no journal yet: nothing has been changed, attested or waived on this machine."));
		sb_adds(sb, "</p></section>\n");
		return;
	}
	sb_adds(sb, "<p>");
	text(sb, _("Journal file:"));
	sb_adds(sb, " <code>");
	esc(sb, r->journal_path);
	sb_adds(sb, "</code></p>\n");
	if (r->verify == 0) {
		sb_adds(sb, "<p class=\"verify-ok\">\u2713 ");
		text(sb, _("Verification: intact. Every row of the journal is the one its hash chain recorded."));
	} else if (r->verify == 1) {
		sb_adds(sb, "<p class=\"verify-bad\">\u2717 ");
		text(sb, _("Verification: ALTERED. The journal was changed after it was written; the first problem "
			   "is listed first:"));
	} else {
		sb_adds(sb, "<p class=\"verify-bad\">! ");
		text(sb, _("Verification could not be run:"));
	}
	sb_adds(sb, "</p>\n");
	if (r->verify_text && *r->verify_text) {
		sb_adds(sb, "<pre class=\"mono\">");
		/* Several lines: sanitise line by line so the breaks stay. */
		char *copy = xstrdup(r->verify_text), *save = NULL;
		for (char *ln = strtok_r(copy, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
			esc(sb, ln);
			sb_addc(sb, '\n');
		}
		free(copy);
		sb_adds(sb, "</pre>\n");
	}
	if (r->head) {
		sb_adds(sb, "<p>");
		text(sb, _("Head of the journal (sequence number and hash of its newest row):"));
		sb_adds(sb, "<br><code id=\"head\">");
		esc(sb, r->head);
		sb_adds(sb, "</code><br>");
		text(sb, _("To prove later that this journal still holds everything this report shows, run:"));
		sb_adds(sb, " <code>cmharden journal verify --head ");
		esc(sb, r->head);
		sb_adds(sb, "</code></p>\n");
	}
	sb_adds(sb, "<h3>");
	text(sb, r->session ? _("Sessions of this report") : _("Sessions recorded for this target"));
	sb_adds(sb, "</h3>\n");
	size_t n = 0;
	for (size_t i = 0; i < r->jv.nsessions; i++)
		n += report_session_in_scope(r, &r->jv.sessions[i]);
	if (!n) {
		sb_adds(sb, "<p>");
		text(sb, _("None."));
		sb_adds(sb, "</p></section>\n");
		return;
	}
	const char *heads[] = {_("Session"), _("Started (UTC)"), _("Operator"), _("Command"), _("Site")};
	table_open(sb, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->jv.nsessions; i++) {
		const jq_session *s = &r->jv.sessions[i];
		if (!report_session_in_scope(r, s))
			continue;
		sb_addf(sb, "<tr><td>%lld</td><td class=\"mono\">", (long long)s->id);
		esc(sb, s->started);
		sb_adds(sb, "</td><td>");
		esc(sb, s->operator_);
		sb_adds(sb, "</td><td><code>");
		esc(sb, s->command);
		sb_adds(sb, "</code></td><td>");
		esc(sb, s->site);
		sb_adds(sb, "</td></tr>\n");
	}
	sb_adds(sb, "</tbody></table></section>\n");
}

static void changes_section(strbuf *sb, const report *r)
{
	sb_adds(sb, "<section id=\"changes\"><h2>");
	text(sb, _("Changes made and undone"));
	sb_adds(sb, "</h2>\n");
	size_t n = 0;
	for (size_t i = 0; i < r->jv.nchanges; i++)
		n += report_change_in_scope(r, &r->jv.changes[i]);
	if (!n) {
		sb_adds(sb, "<p>");
		text(sb, _("The journal holds no change in the scope of this report."));
		sb_adds(sb, "</p></section>\n");
		return;
	}
	sb_adds(sb, "<p>");
	text(sb, _("Every change, in the order it was made. An undo is a change of its own that restores the "
		   "value before; the change it reverts is then marked undone."));
	sb_adds(sb, "</p>\n<table class=\"changes\"><thead><tr>");
	const char *heads[] = {_("Change"), _("Session"), _("Fix (check)"), _("Object"), _("Property"),
			       _("Before"), _("After"),	  _("State"),	    _("Time (UTC)")};
	for (size_t i = 0; i < ARRAY_SIZE(heads); i++) {
		sb_adds(sb, "<th scope=\"col\">");
		text(sb, heads[i]);
		sb_adds(sb, "</th>");
	}
	sb_adds(sb, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < r->jv.nchanges; i++) {
		const jq_change *c = &r->jv.changes[i];
		if (!report_change_in_scope(r, c))
			continue;
		const jq_run *run = jq_run_get(&r->jv, c->run);
		sb_addf(sb, "<tr id=\"change-%lld\"><td>%lld</td><td>%lld</td><td>", (long long)c->id, (long long)c->id,
			(long long)c->session);
		if (c->undoes) {
			char *t = xasprintf(_("undo of change %lld"), (long long)c->undoes);
			text(sb, t);
			free(t);
		} else if (run) {
			sb_adds(sb, "<code>");
			esc(sb, run->fix_id ? run->fix_id : run->kind);
			sb_adds(sb, "</code>");
			if (run->check_id) {
				sb_adds(sb, "<br>(");
				esc(sb, run->check_id);
				sb_adds(sb, ")");
			}
		}
		sb_adds(sb, "</td><td>");
		esc(sb, c->cls);
		sb_adds(sb, "<br><code>");
		esc(sb, c->key);
		sb_adds(sb, "</code></td><td><code>");
		esc(sb, c->prop);
		sb_adds(sb, "</code></td><td>");
		value_cell(sb, &c->before, 0);
		sb_adds(sb, "</td><td>");
		value_cell(sb, &c->after, 0);
		sb_adds(sb, "</td><td><b>");
		esc(sb, change_state_name(c->state));
		sb_adds(sb, "</b>");
		if (c->undone_by) {
			char *t = xasprintf(_("by change %lld"), (long long)c->undone_by);
			sb_adds(sb, "<br>");
			text(sb, t);
			free(t);
		}
		if (c->has_observed) {
			sb_adds(sb, "<br>");
			text(sb, _("observed:"));
			sb_adds(sb, " ");
			value_cell(sb, &c->observed, 0);
		}
		sb_adds(sb, "</td><td class=\"mono\">");
		esc(sb, c->updated);
		sb_adds(sb, "</td></tr>\n");
	}
	sb_adds(sb, "</tbody></table></section>\n");
}

static const char *check_title(const report *r, const char *id)
{
	const check *k = catalog_find(r->cat, id);
	return k ? content_text(k->title) : "";
}

static void attest_section(strbuf *sb, const report *r)
{
	sb_adds(sb, "<section id=\"attestations\"><h2>");
	text(sb, _("Attestations"));
	sb_adds(sb, "</h2>\n");
	size_t n = 0;
	for (size_t i = 0; i < r->jv.nattests; i++)
		n += !r->session || r->jv.attests[i].session == r->session;
	if (!n) {
		sb_adds(sb, "<p>");
		text(sb, _("None recorded."));
		sb_adds(sb, "</p></section>\n");
		return;
	}
	const char *heads[] = {_("Check"), _("Answer"), _("Note"), _("By"), _("When (UTC)"), _("Session")};
	table_open(sb, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->jv.nattests; i++) {
		const jq_attest *a = &r->jv.attests[i];
		if (r->session && a->session != r->session)
			continue;
		sb_adds(sb, "<tr><td><code>");
		esc(sb, a->check_id);
		sb_adds(sb, "</code><br>");
		esc(sb, check_title(r, a->check_id));
		sb_adds(sb, "</td><td><b>");
		text(sb, a->compliant ? _("compliant") : _("not compliant"));
		sb_adds(sb, "</b></td><td>");
		esc(sb, a->note);
		sb_adds(sb, "</td><td>");
		esc(sb, a->operator_);
		sb_adds(sb, "</td><td class=\"mono\">");
		esc(sb, a->at);
		sb_addf(sb, "</td><td>%lld</td></tr>\n", (long long)a->session);
	}
	sb_adds(sb, "</tbody></table></section>\n");
}

static void waiver_section(strbuf *sb, const report *r)
{
	sb_adds(sb, "<section id=\"waivers\"><h2>");
	text(sb, _("Waivers"));
	sb_adds(sb, "</h2>\n");
	size_t n = 0;
	for (size_t i = 0; i < r->jv.nwaivers; i++)
		n += !r->session || r->jv.waivers[i].session == r->session;
	if (!n) {
		sb_adds(sb, "<p>");
		text(sb, _("None recorded."));
		sb_adds(sb, "</p></section>\n");
		return;
	}
	const char *heads[] = {_("Check"), _("Reason"), _("Until"), _("Standing"), _("By"), _("When (UTC)")};
	table_open(sb, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->jv.nwaivers; i++) {
		const jq_waiver *w = &r->jv.waivers[i];
		if (r->session && w->session != r->session)
			continue;
		sb_adds(sb, "<tr><td><code>");
		esc(sb, w->check_id);
		sb_adds(sb, "</code><br>");
		esc(sb, check_title(r, w->check_id));
		sb_adds(sb, "</td><td>");
		esc(sb, w->reason);
		sb_adds(sb, "</td><td class=\"mono\">");
		if (*w->until)
			esc(sb, w->until);
		else
			text(sb, _("permanent (no end date)"));
		sb_adds(sb, "</td><td><b>");
		text(sb, jq_waiver_expired(w, r->today)			      ? _("expired")
			 : jq_waiver_for(&r->jv, w->check_id, r->today) == w ? _("in force")
									     : _("replaced by a newer waiver"));
		sb_adds(sb, "</b></td><td>");
		esc(sb, w->operator_);
		sb_adds(sb, "</td><td class=\"mono\">");
		esc(sb, w->at);
		sb_adds(sb, "</td></tr>\n");
	}
	sb_adds(sb, "</tbody></table></section>\n");
}

static void evidence_table(strbuf *sb, const ev_table *t, bool only_offending)
{
	sb_adds(sb, "<table class=\"evidence\"><caption>");
	esc(sb, content_text(t->label));
	sb_adds(sb, " <span class=\"mono\">(");
	esc(sb, t->cls);
	if (t->where) {
		sb_adds(sb, " where ");
		esc(sb, t->where);
	}
	sb_adds(sb, ")</span></caption>\n");
	if (t->error) {
		sb_adds(sb, "<tr><td>! ");
		text(sb, _("cannot be read:"));
		sb_adds(sb, " ");
		esc(sb, t->error);
		sb_adds(sb, "</td></tr></table>\n");
		return;
	}
	size_t total = 0, shown = 0;
	for (size_t i = 0; i < t->nrows; i++)
		total += !only_offending || t->rows[i].offending;
	if (!total) {
		sb_adds(sb, "<tr><td>");
		text(sb, _("No object."));
		sb_adds(sb, "</td></tr></table>\n");
		return;
	}
	sb_adds(sb, "<thead><tr><th scope=\"col\" title=\"offending\">\u2717?</th><th scope=\"col\">");
	text(sb, _("Object"));
	sb_adds(sb, "</th>");
	for (size_t c = 0; c < t->ncols; c++) {
		sb_adds(sb, "<th scope=\"col\">");
		esc(sb, t->columns[c]);
		sb_adds(sb, "</th>");
	}
	sb_adds(sb, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < t->nrows && shown < HTML_ROWS_MAX; i++) {
		const ev_row *row = &t->rows[i];
		if (only_offending && !row->offending)
			continue;
		shown++;
		sb_adds(sb, row->offending ? "<tr class=\"off\"><td>\u2717</td><td><code>" : "<tr><td></td><td><code>");
		esc_n(sb, row->key, HTML_VALUE_MAX);
		sb_adds(sb, "</code></td>");
		for (size_t c = 0; c < t->ncols; c++) {
			sb_adds(sb, row->bad[c] ? "<td class=\"bad\">* " : "<td>");
			if (row->missing[c]) {
				sb_adds(sb, "<i>");
				text(sb, _("(missing)"));
				sb_adds(sb, "</i>");
			} else {
				value_cell(sb, &row->cells[c], HTML_VALUE_MAX);
			}
			sb_adds(sb, "</td>");
		}
		sb_adds(sb, "</tr>\n");
	}
	sb_adds(sb, "</tbody></table>\n");
	if (total > shown) {
		char *m = xasprintf(_("%zu more objects are in the JSON report."), total - shown);
		sb_adds(sb, "<p class=\"meta-line\">");
		text(sb, m);
		sb_adds(sb, "</p>\n");
		free(m);
	}
}

static void check_article(strbuf *sb, const report_check *rc)
{
	const check *k = rc->chk;
	sb_addf(sb, "<article class=\"check s-%s\" id=\"check-", status_name(rc->status));
	esc(sb, k->id);
	sb_adds(sb, "\"><h4>");
	badge(sb, rc->status);
	esc(sb, content_text(k->title));
	sb_adds(sb, "</h4>\n<p class=\"meta-line\"><code>");
	esc(sb, k->id);
	sb_adds(sb, "</code> \u00b7 ");
	text(sb, _("severity"));
	sb_adds(sb, " ");
	esc(sb, severity_name(k->sev));
	sb_adds(sb, " \u00b7 ");
	if (k->kind == KIND_AUTOMATED) {
		char *t = xasprintf(_("automated (%s)"), basis_name(k->basis));
		text(sb, t);
		free(t);
	} else {
		text(sb, _("attestation"));
	}
	if (rc->status == ST_ATTESTED || rc->status == ST_WAIVED) {
		sb_adds(sb, " \u00b7 ");
		text(sb, _("the site alone:"));
		sb_adds(sb, " ");
		esc(sb, status_name(rc->res.status));
	}
	sb_adds(sb, "</p>\n");
	/* An attestation check's reason is its question, shown below. */
	if (rc->res.reason && !(k->kind == KIND_ATTESTATION && k->attest_question &&
				!strcmp(rc->res.reason, k->attest_question))) {
		sb_adds(sb, "<p>");
		esc(sb, rc->res.reason);
		sb_adds(sb, "</p>\n");
	}
	if (rc->res.expected && k->kind == KIND_AUTOMATED) {
		sb_adds(sb, "<p class=\"meta-line\">");
		text(sb, _("Expected:"));
		sb_adds(sb, " <code>");
		esc(sb, rc->res.expected);
		sb_adds(sb, "</code></p>\n");
	}
	if (k->kind == KIND_ATTESTATION && k->attest_question) {
		sb_adds(sb, "<p><b>");
		text(sb, _("Question:"));
		sb_adds(sb, "</b> ");
		esc(sb, content_text(k->attest_question));
		sb_adds(sb, "</p>\n");
	}
	if (rc->attest) {
		char *t = report_attest_label(rc);
		sb_adds(sb, "<p class=\"note\"><b>");
		text(sb, t);
		sb_adds(sb, "</b> ");
		esc(sb, rc->attest->note);
		sb_adds(sb, "</p>\n");
		free(t);
	}
	if (rc->waiver) {
		char *t = report_waiver_label(rc);
		sb_adds(sb, "<p class=\"note\"><b>");
		text(sb, t);
		sb_adds(sb, "</b> ");
		esc(sb, rc->waiver->reason);
		sb_adds(sb, "</p>\n");
		free(t);
	}
	/* Evidence: the offending objects of a failing check; everything an
	 * attestation check collected, since the operator judged on it. */
	if (rc->res.status == ST_FAIL || rc->res.status == ST_ERROR) {
		if (rc->res.ntables)
			evidence_table(sb, &rc->res.tables[0], rc->res.status == ST_FAIL);
	} else if (rc->res.status == ST_NEEDS_ATTESTATION) {
		for (size_t t = 0; t < rc->res.ntables; t++)
			evidence_table(sb, &rc->res.tables[t], false);
	} else if (rc->res.status == ST_PASS && rc->res.examined) {
		char *t = xasprintf(ngettext("%zu object examined, none offends.", "%zu objects examined, none offends.",
					     rc->res.examined),
				    rc->res.examined);
		sb_adds(sb, "<p class=\"meta-line\">");
		text(sb, t);
		sb_adds(sb, "</p>\n");
		free(t);
	}
	sb_adds(sb, "</article>\n");
}

int report_write_html(FILE *out, const report *r)
{
	strbuf sb = STRBUF_INIT;
	/* TRANSLATORS: the language code of this translation (de, fr ...), written into the HTML report. */
	sb_adds(&sb, "<!DOCTYPE html>\n<html lang=\"");
	text(&sb, _("en"));
	sb_adds(&sb, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		     "<meta name=\"generator\" content=\"" PACKAGE_STRING "\">\n<title>");
	char *title = xasprintf(_("Security report for site %s"), r->site.code);
	text(&sb, title);
	sb_adds(&sb, "</title>\n<style>");
	sb_adds(&sb, css);
	sb_adds(&sb, "</style>\n</head>\n<body>\n<header>\n<h1>");
	text(&sb, title);
	free(title);
	sb_adds(&sb, "</h1>\n<p>");
	esc(&sb, content_text(r->cat->title));
	sb_adds(&sb, "</p>\n<table class=\"meta\"><tbody>\n");
	char *site = xasprintf("%s \u2013 %s", r->site.code, r->site.name);
	meta_row(&sb, _("Site"), site, false);
	free(site);
	meta_row(&sb, _("Site server"), r->site.server, false);
	char *ver = xasprintf(_("%s (build %s), %s mode"), r->site.version, r->site.build, r->site.mode);
	meta_row(&sb, _("Version"), ver, false);
	free(ver);
	char *tgt = xasprintf("%s \u2013 %s", r->target, r->target_desc);
	meta_row(&sb, _("Target"), tgt, false);
	free(tgt);
	char *scope = r->session ? xasprintf(_("session %lld"), (long long)r->session)
				 : xstrdup(_("everything recorded for the target"));
	meta_row(&sb, _("Scope"), scope, false);
	free(scope);
	char *gen = xasprintf(_("%s by %s on %s"), r->generated_at, r->generated_by, r->host);
	meta_row(&sb, _("Report made"), gen, false);
	free(gen);
	meta_row(&sb, _("Checks run"), _("on the target when the report was made"), false);
	meta_row(&sb, _("Checklist content"), r->cat->digest, true);
	char *jv = !r->have_journal ? xstrdup(_("no journal yet"))
		   : r->verify == 0 ? xasprintf(_("intact, head %s"), r->head ? r->head : "?")
		   : r->verify == 1 ? xasprintf(_("ALTERED, head %s"), r->head ? r->head : "?")
				    : xstrdup(_("could not be verified"));
	meta_row(&sb, _("Journal"), jv, false);
	free(jv);
	meta_row(&sb, _("Generator"), PACKAGE_STRING, false);
	sb_adds(&sb, "</tbody></table>\n<nav><p>");
	static const struct {
		const char *id, *label;
	} toc[] = {{"summary", N_("Summary")},		 {"journal", N_("Journal")},
		   {"changes", N_("Changes made and undone")}, {"attestations", N_("Attestations")},
		   {"waivers", N_("Waivers")},			 {"checks", N_("Checks")},
		   {"attack-paths", N_("Attack paths")}};
	for (size_t i = 0; i < ARRAY_SIZE(toc); i++) {
		sb_addf(&sb, "%s<a href=\"#%s\">", i ? " \u00b7 " : "", toc[i].id);
		text(&sb, _(toc[i].label));
		sb_adds(&sb, "</a>");
	}
	sb_adds(&sb, "</p></nav>\n</header>\n<main>\n");
	summary(&sb, r);
	journal_section(&sb, r);
	changes_section(&sb, r);
	attest_section(&sb, r);
	waiver_section(&sb, r);
	sb_adds(&sb, "<section id=\"checks\"><h2>");
	text(&sb, _("Checks"));
	sb_adds(&sb, "</h2>\n");
	for (size_t s = 0; s < r->cat->nsections; s++) {
		const section *sec = &r->cat->sections[s];
		size_t counts[ST_COUNT];
		report_section_counts(r, sec->id, counts);
		sb_addf(&sb, "<h3 id=\"section-%s\">%zu. ", sec->id, s + 1);
		esc(&sb, content_text(sec->heading ? sec->heading : sec->title));
		sb_adds(&sb, "</h3>\n");
		if (!sec->n && sec->note) {
			sb_adds(&sb, "<p>");
			esc(&sb, content_text(sec->note));
			sb_adds(&sb, "</p>\n");
		}
		for (size_t i = 0; i < r->nchecks; i++)
			if (!strcmp(r->checks[i].chk->section, sec->id))
				check_article(&sb, &r->checks[i]);
	}
	sb_adds(&sb, "</section>\n");
	report_paths_html(&sb, r);
	sb_adds(&sb, "</main>\n<footer><p>");
	text(&sb, _("Statuses are written as words: colour only repeats them. Values from the site are shown as "
		    "read; control characters appear as escapes such as \\x1b."));
	sb_adds(&sb, "</p></footer>\n</body>\n</html>\n");
	int rc = fputs(sb_str(&sb), out) < 0 ? -1 : 0;
	sb_release(&sb);
	return rc;
}
