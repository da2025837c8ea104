/* report_paths.c — the attack-path view in the outputs (see report_paths.h). */
#include "config.h"
#include "report/report_paths.h"
#include "report/md.h"
#include "base/i18n.h"
#include "base/json.h"
#include "base/sanitize.h"
#include "content/content_i18n.h"

#include <stdlib.h>
#include <string.h>

void report_path_view(const report *r, path_view *pv)
{
	path_verdict *v = xcalloc(r->nchecks ? r->nchecks : 1, sizeof *v);
	for (size_t i = 0; i < r->nchecks; i++) {
		v[i].res = r->checks[i].res;
		v[i].status = r->checks[i].status;
	}
	path_view_build(pv, r->cat, v, r->nchecks);
	free(v);
}

bool report_beyond_counts(const report *r, size_t counts[ST_COUNT])
{
	memset(counts, 0, ST_COUNT * sizeof *counts);
	bool any = false;
	for (size_t i = 0; i < r->nchecks; i++) {
		if (r->checks[i].beyond) {
			counts[r->checks[i].status]++;
			any = true;
		}
	}
	return any;
}

static void counts_line(strbuf *sb, const size_t counts[ST_COUNT])
{
	size_t total = 0;
	for (int s = 0; s < ST_COUNT; s++)
		total += counts[s];
	sb_addf(sb, ngettext("%zu check", "%zu checks", total), total);
	bool first = true;
	for (int s = 0; s < ST_COUNT; s++)
		if (counts[s]) {
			sb_addf(sb, "%s%zu %s", first ? ": " : ", ", counts[s], report_status_label((check_status)s));
			first = false;
		}
}

static void counts_state_line(strbuf *sb, const path_view *pv)
{
	sb_addf(sb, ngettext("%zu technique", "%zu techniques", pv->n), pv->n);
	bool first = true;
	for (int s = 0; s < PATH_STATE_COUNT; s++)
		if (pv->counts[s]) {
			sb_addf(sb, "%s%zu %s", first ? ": " : ", ", pv->counts[s], path_state_label((path_state)s));
			first = false;
		}
}

/* The sentence under the view's heading, before the format's escaping: the
 * score of the sections beyond the checklist when the run has any, then the
 * techniques by state. */
static void summary_line(strbuf *line, const report *r, const path_view *pv)
{
	size_t counts[ST_COUNT];
	if (report_beyond_counts(r, counts)) {
		sb_adds(line, _("Beyond the 2007 checklist (scored apart from Microsoft's checklist)"));
		sb_adds(line, ": ");
		counts_line(line, counts);
		sb_adds(line, ". ");
	}
	counts_state_line(line, pv);
	sb_adds(line, ".");
}

/* ---- HTML ---- */

static void html_esc(strbuf *sb, const char *s)
{
	strbuf clean = STRBUF_INIT;
	sanitize_append(&clean, s, strlen(s), 0);
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

static void html_checks_cell(strbuf *sb, const path_entry *e)
{
	for (size_t i = 0; i < e->n; i++) {
		const path_check *pc = &e->checks[i];
		sb_adds(sb, i ? "<br>" : "");
		sb_adds(sb, "<code>");
		html_esc(sb, pc->chk->id);
		sb_adds(sb, "</code> ");
		html_esc(sb, report_status_label(pc->status));
		if (pc->offenders) {
			sb_adds(sb, ": ");
			html_esc(sb, pc->offenders);
		}
	}
}

void report_paths_html(strbuf *sb, const report *r)
{
	path_view pv;
	report_path_view(r, &pv);
	strbuf line = STRBUF_INIT;
	sb_adds(sb, "<section id=\"attack-paths\"><h2>");
	html_esc(sb, _("Attack paths"));
	sb_adds(sb, "</h2>\n<p>");
	summary_line(&line, r, &pv);
	html_esc(sb, sb_str(&line));
	sb_adds(sb, "</p>\n<table><thead><tr>");
	const char *heads[] = {_("Technique"), _("State"), _("Checks in its way")};
	for (size_t i = 0; i < ARRAY_SIZE(heads); i++) {
		sb_adds(sb, "<th scope=\"col\">");
		html_esc(sb, heads[i]);
		sb_adds(sb, "</th>");
	}
	sb_adds(sb, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < pv.n; i++) {
		const path_entry *e = &pv.entries[i];
		/* The report is self-contained (no links out): the page's address is text. */
		sb_adds(sb, "<tr><td><strong>");
		html_esc(sb, e->t->id);
		sb_adds(sb, "</strong> ");
		html_esc(sb, content_text(e->t->title));
		sb_adds(sb, "<br><code>");
		html_esc(sb, e->t->url);
		sb_adds(sb, "</code>");
		sb_addf(sb, "</td><td class=\"path-%s\">", path_state_name(e->state));
		html_esc(sb, path_state_label(e->state));
		sb_adds(sb, "</td><td>");
		html_checks_cell(sb, e);
		sb_adds(sb, "</td></tr>\n");
	}
	sb_adds(sb, "</tbody></table></section>\n");
	sb_release(&line);
	path_view_release(&pv);
}

/* ---- Markdown ---- */

/* The report's Markdown escaping (md.h): sanitised, markup characters escaped where they mean something. */
static void md_esc(strbuf *sb, const char *s)
{
	md(sb, s);
}

void report_paths_md(strbuf *sb, const report *r)
{
	path_view pv;
	report_path_view(r, &pv);
	strbuf line = STRBUF_INIT;
	sb_adds(sb, "\n## ");
	md_esc(sb, _("Attack paths"));
	sb_adds(sb, "\n\n");
	summary_line(&line, r, &pv);
	md_esc(sb, sb_str(&line));
	sb_adds(sb, "\n\n");
	for (size_t i = 0; i < pv.n; i++) {
		const path_entry *e = &pv.entries[i];
		sb_reset(&line);
		path_entry_line(e, &line);
		sb_adds(sb, "- ");
		md_esc(sb, sb_str(&line));
		/* The technique's name and page on a continuation line of the item. */
		sb_adds(sb, "  \n  ");
		md_esc(sb, content_text(e->t->title));
		sb_adds(sb, ": ");
		md_esc(sb, e->t->url);
		sb_addc(sb, '\n');
	}
	sb_release(&line);
	path_view_release(&pv);
}

/* ---- JSON ---- */

static void json_view(strbuf *sb, const path_view *pv)
{
	sb_adds(sb, "[");
	for (size_t i = 0; i < pv->n; i++) {
		const path_entry *e = &pv->entries[i];
		sb_adds(sb, i ? ",\n{\"id\":" : "\n{\"id\":");
		json_str(sb, e->t->id);
		sb_adds(sb, ",\"title\":");
		json_str(sb, e->t->title);
		sb_adds(sb, ",\"url\":");
		json_str(sb, e->t->url);
		sb_addf(sb, ",\"state\":\"%s\",\"checks\":[", path_state_name(e->state));
		for (size_t k = 0; k < e->n; k++) {
			sb_adds(sb, k ? ",{\"id\":" : "{\"id\":");
			json_str(sb, e->checks[k].chk->id);
			sb_addf(sb, ",\"status\":\"%s\"", status_name(e->checks[k].status));
			if (e->checks[k].offenders) {
				sb_adds(sb, ",\"offending\":");
				json_str(sb, e->checks[k].offenders);
			}
			sb_addc(sb, '}');
		}
		sb_adds(sb, "]}");
	}
	sb_adds(sb, "]");
}

static void json_counts(strbuf *sb, const size_t counts[ST_COUNT])
{
	sb_addc(sb, '{');
	for (int s = 0; s < ST_COUNT; s++)
		sb_addf(sb, "%s\"%s\":%zu", s ? "," : "", status_name((check_status)s), counts[s]);
	sb_addc(sb, '}');
}

void report_paths_json(strbuf *sb, const report *r)
{
	size_t counts[ST_COUNT];
	if (report_beyond_counts(r, counts)) {
		sb_adds(sb, ",\n\"beyond_checklist\":");
		json_counts(sb, counts);
	}
	path_view pv;
	report_path_view(r, &pv);
	sb_adds(sb, ",\n\"attack_paths\":");
	json_view(sb, &pv);
	path_view_release(&pv);
}

/* ---- check --by-path ---- */

static void run_view(path_view *pv, const catalog *cat, const result *rs, size_t n)
{
	path_verdict *v = xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		v[i].res = &rs[i];
		v[i].status = rs[i].status;
	}
	path_view_build(pv, cat, v, n);
	free(v);
}

void paths_write_text(FILE *out, const catalog *cat, const result *rs, size_t n)
{
	path_view pv;
	run_view(&pv, cat, rs, n);
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < pv.n; i++) {
		const path_entry *e = &pv.entries[i];
		path_entry_line(e, &sb);
		sb_addf(&sb, "\n    %s\n", content_text(e->t->title));
		for (size_t k = 0; k < e->n; k++)
			sb_addf(&sb, "    [%-17s] %s\n", _(status_name(e->checks[k].status)), e->checks[k].chk->id);
	}
	sb_adds(&sb, "\n");
	counts_state_line(&sb, &pv);
	sb_adds(&sb, "\n");
	fputs(sb_str(&sb), out);
	sb_release(&sb);
	path_view_release(&pv);
}

void paths_write_json(FILE *out, const catalog *cat, const result *rs, size_t n)
{
	path_view pv;
	run_view(&pv, cat, rs, n);
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "{\"attack_paths\":");
	json_view(&sb, &pv);
	sb_adds(&sb, "}\n");
	fputs(sb_str(&sb), out);
	sb_release(&sb);
	path_view_release(&pv);
}
