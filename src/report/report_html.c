/* report_html.c — the report as one self-contained HTML file: the document,
 * its style sheet, the cover and the contents; the parts are in
 * report_html_*.c (see html.h).
 *
 * Rules: no scripts, no external assets (the CSS is inline, the charts are
 * inline SVG, symbols are text); every status is written as a word with a
 * symbol, so it reads without colour and on a monochrome printer. Printed,
 * no table row, check or chart is cut across pages, table headers repeat,
 * and every page is headed with the site and the date. Long evidence is cut
 * here, never in JSON. */
#include "config.h"
#include "report/report_paths.h"
#include "report/html.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/sanitize.h"

#include <stdlib.h>
#include <string.h>

static const char *css =
	"*{box-sizing:border-box}"
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI','DejaVu Sans',Arial,sans-serif;color:#111;"
	"margin:0 auto;max-width:1100px;padding:24px}"
	"h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;border-bottom:2px solid #333;padding-bottom:2px;"
	"margin-top:32px}h3{font-size:16px;margin:24px 0 8px}h4{font-size:14px;margin:0 0 4px}"
	".subtitle{font-size:16px;margin:0 0 8px}"
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
	"tr.off td{font-weight:bold}.props{font-weight:normal}.props .bad{font-weight:bold}"
	"td.bad,.props .bad{text-decoration:underline;text-decoration-thickness:2px}"
	".note{border-left:3px solid #666;padding:2px 8px;margin:4px 0;background:#f7f7f7}"
	".verify-ok{font-weight:bold}.verify-bad{font-weight:bold;border:2px solid #000;padding:4px}"
	".standing{font-size:16px;border:2px solid #333;padding:8px 12px}"
	".finding dl{display:grid;grid-template-columns:11em 1fr;gap:2px 10px;margin:6px 0}"
	".finding dt{font-weight:bold}.finding dd{margin:0}"
	".chart{margin:2px 0 6px}.chart svg{display:block;width:100%;height:auto}"
	".chart figcaption{font-size:13px;font-weight:bold}"
	".legend{font-size:12px}.legend svg{vertical-align:middle;margin:0 3px 0 10px}"
	".sign td{height:3.2em}.sign th{width:22%}"
	"nav.toc ol{columns:2;margin:4px 0}"
	"footer{margin-top:32px;font-size:12px;color:#444;border-top:1px solid #999;padding-top:6px}"
	"@page{margin:16mm 14mm 14mm}"
	"@media print{body{font-size:10pt;max-width:none;padding:0}.evidence{font-size:8pt}"
	".evidence code{font-size:8pt}"
	"h2{break-after:avoid}h3,h4{break-after:avoid}.check,.finding,figure,svg,.sign{break-inside:avoid}"
	"tr{break-inside:avoid}a{color:inherit;text-decoration:none}"
	"section#checks,section#signoff{break-before:page}"
	"th,.st,.note,svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/* Text for a CSS string (the page headers): anything but plain characters is
 * a CSS escape, so no site name can end the string or the style sheet. */
static void css_str(strbuf *sb, const char *s)
{
	char *clean = sanitize_dup(s ? s : "", 120);
	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		if (*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ||
		    strchr(" -_.,:()/", *p))
			sb_addc(sb, (char)*p);
		else
			sb_addf(sb, "\\%x ", *p);
	}
	free(clean);
}

static void page_headers(strbuf *sb, const report *r)
{
	sb_adds(sb, "@page{@top-left{font:9pt sans-serif;content:\"");
	char *site = xasprintf("%s \u2013 %s", r->site.code, r->site.name);
	css_str(sb, site);
	free(site);
	sb_adds(sb, "\"}@top-right{font:9pt sans-serif;content:\"");
	css_str(sb, r->today);
	sb_adds(sb, "\"}@bottom-right{font:9pt sans-serif;content:counter(page) \" / \" counter(pages)}}");
}

static void meta_row(strbuf *sb, const char *label, const char *v, bool mono)
{
	sb_adds(sb, "<tr><th scope=\"row\">");
	html_esc(sb, label);
	sb_adds(sb, mono ? "</th><td class=\"mono\">" : "</th><td>");
	html_esc(sb, v);
	sb_adds(sb, "</td></tr>\n");
}

static void meta_row_free(strbuf *sb, const char *label, char *v)
{
	meta_row(sb, label, v, false);
	free(v);
}

static void cover_meta(strbuf *sb, const report *r)
{
	sb_adds(sb, "<table class=\"meta\"><tbody>\n");
	if (r->eng.organisation)
		meta_row(sb, _("Organisation"), r->eng.organisation, false);
	if (r->eng.engagement)
		meta_row(sb, _("Engagement"), r->eng.engagement, false);
	meta_row(sb, _("Prepared by"), r->eng.prepared_by ? r->eng.prepared_by : _("not stated"), false);
	meta_row_free(sb, _("Site"), xasprintf("%s \u2013 %s", r->site.code, r->site.name));
	meta_row(sb, _("Site server"), r->site.server, false);
	meta_row_free(sb, _("Version"),
		      xasprintf(_("%s (build %s), %s"), r->site.version, r->site.build, site_mode_text(r->site.mode)));
	meta_row_free(sb, _("Target"), xasprintf("%s \u2013 %s", r->target, r->target_desc));
	meta_row_free(sb, _("Scope"), report_scope_text(r));
	meta_row_free(sb, _("Report made"), xasprintf(_("%s by %s on %s"), r->generated_at, r->generated_by, r->host));
	meta_row(sb, _("Checks run"), _("on the target when the report was made"), false);
	meta_row(sb, _("Checklist content"), r->cat->digest, true);
	meta_row_free(sb, _("Journal"), report_journal_state(r));
	meta_row(sb, _("Generator"), PACKAGE_STRING, false);
	sb_adds(sb, "</tbody></table>\n");
}

static void toc(strbuf *sb, const report *r)
{
	static const struct {
		const char *id, *label;
	} parts[] = {{"summary", N_("Executive summary")},
		     {"glance", N_("At a glance")},
		     {"baseline", N_("Since the baseline")},
		     {"findings", N_("Findings")},
		     {"actions", N_("What is left to do")},
		     {"attack-paths", N_("Attack paths")},
		     {"changes", N_("Changes made and undone")},
		     {"attestations", N_("Attestations")},
		     {"waivers", N_("Waivers")},
		     {"journal", N_("Journal")},
		     {"signoff", N_("Engagement and sign-off")},
		     {"checks", N_("Appendix: every check and its evidence")}};
	sb_adds(sb, "<nav class=\"toc\" aria-labelledby=\"toc-title\"><h2 id=\"toc-title\">");
	html_esc(sb, _("Contents"));
	sb_adds(sb, "</h2><ol>\n");
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		if (!strcmp(parts[i].id, "baseline") && !r->base)
			continue;
		sb_addf(sb, "<li><a href=\"#%s\">", parts[i].id);
		html_esc(sb, _(parts[i].label));
		sb_adds(sb, "</a></li>\n");
	}
	sb_adds(sb, "</ol></nav>\n");
}

static void head(strbuf *sb, const report *r, const char *title)
{
	/* TRANSLATORS: the language code of this translation (de, fr ...), written into the HTML report. */
	sb_adds(sb, "<!DOCTYPE html>\n<html lang=\"");
	html_esc(sb, _("en"));
	sb_adds(sb, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"generator\" content=\"" PACKAGE_STRING "\">\n<title>");
	html_esc(sb, title);
	sb_adds(sb, "</title>\n<style>");
	sb_adds(sb, css);
	page_headers(sb, r);
	sb_adds(sb, "</style>\n</head>\n<body>\n");
}

static void cover(strbuf *sb, const report *r, const char *title)
{
	sb_adds(sb, "<header>\n<h1>");
	html_esc(sb, r->eng.title ? r->eng.title : title);
	sb_adds(sb, "</h1>\n");
	if (r->eng.title)
		html_para(sb, "subtitle", title);
	sb_adds(sb, "<p>");
	html_esc(sb, content_text(r->cat->title));
	sb_adds(sb, "</p>\n");
	cover_meta(sb, r);
	toc(sb, r);
	sb_adds(sb, "</header>\n");
}

int report_write_html(FILE *out, const report *r)
{
	strbuf sb = STRBUF_INIT;
	char *title = xasprintf(_("Security report for site %s"), r->site.code);
	head(&sb, r, title);
	cover(&sb, r, title);
	free(title);
	sb_adds(&sb, "<main>\n");
	html_summary(&sb, r);
	html_glance(&sb, r);
	html_baseline(&sb, r);
	html_findings(&sb, r);
	html_actions(&sb, r);
	report_paths_html(&sb, r);
	html_changes(&sb, r);
	html_attestations(&sb, r);
	html_waivers(&sb, r);
	html_journal(&sb, r);
	html_signoff(&sb, r);
	html_checks(&sb, r);
	sb_adds(&sb, "</main>\n<footer><p>");
	html_esc(&sb, _("Statuses are written as words: colour only repeats them. Values from the site are shown as "
			"read; control characters appear as escapes such as \\x1b."));
	sb_adds(&sb, "</p></footer>\n</body>\n</html>\n");
	int rc = fputs(sb_str(&sb), out) < 0 ? -1 : 0;
	sb_release(&sb);
	return rc;
}

/* ---------- what the parts share ---------- */

void html_esc_n(strbuf *sb, const char *s, size_t max)
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

void html_esc(strbuf *sb, const char *s)
{
	html_esc_n(sb, s, 0);
}

void html_section_open(strbuf *sb, const char *id, const char *title)
{
	sb_addf(sb, "<section id=\"%s\"><h2>", id);
	html_esc(sb, title);
	sb_adds(sb, "</h2>\n");
}

void html_para(strbuf *sb, const char *cls, const char *text)
{
	if (cls)
		sb_addf(sb, "<p class=\"%s\">", cls);
	else
		sb_adds(sb, "<p>");
	html_esc(sb, text);
	sb_adds(sb, "</p>\n");
}

void html_table_open(strbuf *sb, const char *cls, const char *const *heads, size_t n)
{
	if (cls)
		sb_addf(sb, "<table class=\"%s\"><thead><tr>", cls);
	else
		sb_adds(sb, "<table><thead><tr>");
	for (size_t i = 0; i < n; i++) {
		sb_adds(sb, "<th scope=\"col\">");
		html_esc(sb, heads[i]);
		sb_adds(sb, "</th>");
	}
	sb_adds(sb, "</tr></thead><tbody>\n");
}

const char *html_symbol(check_status s)
{
	static const char *sym[ST_COUNT] = {"\u2713", "\u2717", "!", "\u2013", "?", "\u2713", "~"};
	return sym[s];
}

void html_badge(strbuf *sb, check_status s)
{
	sb_addf(sb, "<span class=\"st\">%s ", html_symbol(s));
	html_esc(sb, report_status_label(s));
	sb_adds(sb, "</span>");
}

void html_value_cell(strbuf *sb, const char *cls, const char *prop, const value *v, size_t max)
{
	char *t = report_value_text(cls, prop, v, max);
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
