/* report_html_journal.c — the HTML report's record of the visit: the change
 * log (when each change was planned, applied and undone, by whom, in which
 * session and run), the attestations, the waivers, the journal's verification,
 * and the closing sign-off that binds a signature to this state of the site. */
#include "config.h"
#include "report/html.h"
#include "content/content_i18n.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>

static void td_text(strbuf *sb, const char *open, const char *s, const char *close)
{
	sb_adds(sb, open);
	html_esc(sb, s);
	sb_adds(sb, close);
}

static void when_line(strbuf *sb, const char *label, const char *at, bool *first)
{
	if (!at)
		return;
	if (!*first)
		sb_adds(sb, "<br>");
	*first = false;
	html_esc(sb, label);
	sb_adds(sb, " ");
	html_esc(sb, at);
}

static void change_fix_cell(strbuf *sb, const report_change *x)
{
	const jq_change *c = x->c;
	if (c->undoes) {
		char *t = xasprintf(_("undo of change %lld"), (long long)c->undoes);
		html_esc(sb, t);
		free(t);
	} else if (x->run) {
		td_text(sb, "<code>", x->run->fix_id ? x->run->fix_id : x->run->kind, "</code>");
		if (x->run->check_id)
			td_text(sb, "<br>(", x->run->check_id, ")");
	}
	sb_addf(sb, "<br><span class=\"meta-line\">");
	char *t = xasprintf(_("run %lld"), (long long)c->run);
	html_esc(sb, t);
	free(t);
	sb_adds(sb, "</span>");
}

static void change_state_cell(strbuf *sb, const jq_change *c)
{
	td_text(sb, "<td><b>", change_state_name(c->state), "</b>");
	if (c->undone_by) {
		char *t = xasprintf(_("by change %lld"), (long long)c->undone_by);
		sb_adds(sb, "<br>");
		html_esc(sb, t);
		free(t);
	}
	if (c->has_observed) {
		sb_adds(sb, "<br>");
		html_esc(sb, _("observed:"));
		sb_adds(sb, " ");
		html_value_cell(sb, NULL, NULL, &c->observed, 0);
	}
	sb_adds(sb, "</td>");
}

static void change_row(strbuf *sb, const report_change *x)
{
	const jq_change *c = x->c;
	sb_addf(sb, "<tr id=\"change-%lld\"><td>%lld</td><td>%lld</td><td>", (long long)c->id, (long long)c->id,
		(long long)c->session);
	change_fix_cell(sb, x);
	td_text(sb, "</td><td>", c->cls, "<br>");
	td_text(sb, "<code>", c->key, "</code></td>");
	td_text(sb, "<td><code>", c->prop, "</code></td><td>");
	/* The values written, as the journal holds them (its export and CSV agree). */
	html_value_cell(sb, NULL, NULL, &c->before, 0);
	sb_adds(sb, "</td><td>");
	html_value_cell(sb, NULL, NULL, &c->after, 0);
	sb_adds(sb, "</td>");
	change_state_cell(sb, c);
	sb_adds(sb, "<td class=\"mono\">");
	bool first = true;
	when_line(sb, _("planned"), c->planned_at, &first);
	when_line(sb, _("applied"), c->applied_at, &first);
	when_line(sb, _("undone"), c->undone_at, &first);
	if (first)
		html_esc(sb, c->updated);
	td_text(sb, "</td><td>", x->session ? x->session->operator_ : "", "</td></tr>\n");
}

void html_changes(strbuf *sb, const report *r)
{
	html_section_open(sb, "changes", _("Changes made and undone"));
	if (!r->nchanges) {
		html_para(sb, NULL, _("The journal holds no change in the scope of this report."));
		sb_adds(sb, "</section>\n");
		return;
	}
	html_para(sb, NULL,
		  _("Every change, in the order it was made. An undo is a change of its own that restores the "
		    "value before; the change it reverts is then marked undone."));
	const char *heads[] = {_("Change"), _("Session"), _("Fix (check)"), _("Object"), _("Property"),
			       _("Before"), _("After"),	  _("State"),	    _("When (UTC)"), _("By")};
	html_table_open(sb, "changes", heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->nchanges; i++)
		change_row(sb, &r->changes[i]);
	sb_adds(sb, "</tbody></table></section>\n");
}

static void check_cell(strbuf *sb, const report *r, const char *id)
{
	const check *k = catalog_find(r->cat, id);
	td_text(sb, "<tr><td><code>", id, "</code><br>");
	html_esc(sb, k ? content_text(k->title) : "");
	sb_adds(sb, "</td>");
}

void html_attestations(strbuf *sb, const report *r)
{
	html_section_open(sb, "attestations", _("Attestations"));
	if (!r->nattests) {
		html_para(sb, NULL, _("None recorded."));
		sb_adds(sb, "</section>\n");
		return;
	}
	const char *heads[] = {_("Check"), _("Answer"), _("Note"), _("By"), _("When (UTC)"), _("Session")};
	html_table_open(sb, NULL, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->nattests; i++) {
		const jq_attest *a = r->attests[i];
		check_cell(sb, r, a->check_id);
		td_text(sb, "<td><b>", a->compliant ? _("compliant") : _("not compliant"), "</b></td>");
		td_text(sb, "<td>", a->note, "</td>");
		td_text(sb, "<td>", a->operator_, "</td>");
		td_text(sb, "<td class=\"mono\">", a->at, "");
		sb_addf(sb, "</td><td>%lld</td></tr>\n", (long long)a->session);
	}
	sb_adds(sb, "</tbody></table></section>\n");
}

void html_waivers(strbuf *sb, const report *r)
{
	html_section_open(sb, "waivers", _("Waivers"));
	if (!r->nwaivers) {
		html_para(sb, NULL, _("None recorded."));
		sb_adds(sb, "</section>\n");
		return;
	}
	const char *heads[] = {_("Check"), _("Reason"), _("Until"), _("Standing"), _("By"), _("When (UTC)")};
	html_table_open(sb, NULL, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->nwaivers; i++) {
		const jq_waiver *w = r->waivers[i];
		check_cell(sb, r, w->check_id);
		td_text(sb, "<td>", w->reason, "</td>");
		td_text(sb, "<td class=\"mono\">", *w->until ? w->until : _("permanent (no end date)"), "</td>");
		td_text(sb, "<td><b>", report_standing_label(report_waiver_standing(r, w)), "</b></td>");
		td_text(sb, "<td>", w->operator_, "</td>");
		td_text(sb, "<td class=\"mono\">", w->at, "</td></tr>\n");
	}
	sb_adds(sb, "</tbody></table></section>\n");
}

static void verification(strbuf *sb, const report *r)
{
	td_text(sb, "<p>", _("Journal file:"), " <code>");
	html_esc(sb, r->journal_path);
	sb_adds(sb, "</code></p>\n");
	if (r->verify == 0)
		td_text(sb, "<p class=\"verify-ok\">\u2713 ",
			_("Verification: intact. Every row of the journal is the one its hash chain recorded."), "</p>\n");
	else if (r->verify == 1)
		td_text(sb, "<p class=\"verify-bad\">\u2717 ",
			_("Verification: ALTERED. The journal was changed after it was written; the first problem "
			  "is listed first:"),
			"</p>\n");
	else
		td_text(sb, "<p class=\"verify-bad\">! ", _("Verification could not be run:"), "</p>\n");
	if (r->verify_text && *r->verify_text) {
		sb_adds(sb, "<pre class=\"mono\">");
		/* Several lines: sanitise line by line so the breaks stay. */
		char *copy = xstrdup(r->verify_text), *save = NULL;
		for (char *ln = strtok_r(copy, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
			html_esc(sb, ln);
			sb_addc(sb, '\n');
		}
		free(copy);
		sb_adds(sb, "</pre>\n");
	}
	if (r->head) {
		td_text(sb, "<p>", _("Head of the journal (sequence number and hash of its newest row):"),
			"<br><code id=\"head\">");
		td_text(sb, "", r->head, "</code><br>");
		html_esc(sb, _("To prove later that this journal still holds everything this report shows, run:"));
		td_text(sb, " <code>cmharden journal verify --head ", r->head, "</code></p>\n");
	}
}

void html_journal(strbuf *sb, const report *r)
{
	html_section_open(sb, "journal", _("Journal"));
	if (!r->have_journal) {
		html_para(sb, NULL,
			  _("There is no journal yet: nothing has been changed, attested or waived on this machine."));
		sb_adds(sb, "</section>\n");
		return;
	}
	verification(sb, r);
	td_text(sb, "<h3>", r->session ? _("Sessions of this report") : _("Sessions recorded for this target"),
		"</h3>\n");
	if (!r->nsessions) {
		html_para(sb, NULL, _("None."));
		sb_adds(sb, "</section>\n");
		return;
	}
	const char *heads[] = {_("Session"), _("Started (UTC)"), _("Operator"), _("Command"), _("Site")};
	html_table_open(sb, NULL, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->nsessions; i++) {
		const jq_session *s = r->sessions[i];
		sb_addf(sb, "<tr><td>%lld</td>", (long long)s->id);
		td_text(sb, "<td class=\"mono\">", s->started, "</td>");
		td_text(sb, "<td>", s->operator_, "</td>");
		td_text(sb, "<td><code>", s->command, "</code></td>");
		td_text(sb, "<td>", s->site, "</td></tr>\n");
	}
	sb_adds(sb, "</tbody></table></section>\n");
}

static void bound_row(strbuf *sb, const char *label, const char *v)
{
	td_text(sb, "<tr><th scope=\"row\">", label, "</th>");
	td_text(sb, "<td class=\"mono\">", v, "</td></tr>\n");
}

void html_signoff(strbuf *sb, const report *r)
{
	html_section_open(sb, "signoff", _("Engagement and sign-off"));
	html_para(sb, NULL,
		  _("By signing, the parties accept this report as the state of the site described below. The "
		    "journal head and the content hash tie the signature to exactly this state: a later report "
		    "with the same head and hash shows the same history."));
	sb_adds(sb, "<table class=\"meta sign\"><tbody>\n");
	char *site = xasprintf("%s \u2013 %s (%s)", r->site.code, r->site.name, r->site.server);
	bound_row(sb, _("Site"), site);
	free(site);
	char *scope = report_scope_text(r);
	bound_row(sb, _("Scope"), scope);
	free(scope);
	bound_row(sb, _("Date"), r->generated_at);
	bound_row(sb, _("Journal head"), r->head ? r->head : _("no journal yet"));
	bound_row(sb, _("Checklist content"), r->cat->digest);
	if (r->eng.prepared_by)
		bound_row(sb, _("Prepared by"), r->eng.prepared_by);
	sb_adds(sb, "</tbody></table>\n");
	const char *heads[] = {_("Name"), _("Role"), _("Date"), _("Signature")};
	html_table_open(sb, "sign", heads, ARRAY_SIZE(heads));
	for (int i = 0; i < 3; i++)
		sb_adds(sb, "<tr><td></td><td></td><td></td><td></td></tr>\n");
	sb_adds(sb, "</tbody></table></section>\n");
}
