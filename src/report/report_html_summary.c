/* report_html_summary.c — the HTML report's first pages: the executive
 * summary, the charts "at a glance", and the comparison with the baseline.
 *
 * The charts are inline SVG drawn from the model's counts. They read without
 * colour: every segment is a shade of grey with its own hatching, carries its
 * symbol and count where it is wide enough, and each bar has its counts in
 * words beneath it and a <title> for screen readers; the table that follows
 * holds the same numbers. */
#include "config.h"
#include "report/html.h"
#include "content/content_i18n.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>

#define BAR_W 1000 /* SVG user units; the bar scales to the page */
#define BAR_H 22
#define LABEL_MIN_W 26 /* narrower segments carry no label: the words beneath say it */

#define bar_order report_bar_order

/* Fill and hatching per status: light for settled, dark for failing. */
static const struct {
	const char *fill, *ink;
	int hatch; /* 0 none, 1 vertical lines, 2 horizontal lines, 3 diagonal */
} look[ST_COUNT] = {
	[ST_PASS] = {"#e8e8e8", "#000", 0},	[ST_FAIL] = {"#404040", "#fff", 1},
	[ST_ERROR] = {"#808080", "#fff", 3},	[ST_NOT_APPLICABLE] = {"#fff", "#000", 0},
	[ST_NEEDS_ATTESTATION] = {"#c0c0c0", "#000", 2}, [ST_ATTESTED] = {"#f8f8f8", "#000", 0},
	[ST_WAIVED] = {"#d4d4d4", "#000", 3},
};

static void hatch(strbuf *sb, int kind, double x, double w)
{
	for (double p = x + 3; kind && p < x + w - 1; p += 5) {
		if (kind == 1)
			sb_addf(sb, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\"/>", p, p, BAR_H);
		else if (kind == 3 && p + 4 < x + w)
			sb_addf(sb, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"0\"/>", p, BAR_H, p + 4);
	}
	for (int y = 4; kind == 2 && y < BAR_H; y += 5)
		sb_addf(sb, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, y, x + w, y);
}

static void segment(strbuf *sb, check_status s, size_t n, double x, double w)
{
	sb_addf(sb, "<g stroke=\"%s\" stroke-width=\"1\"><rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
		look[s].ink, x, w, BAR_H, look[s].fill);
	sb_addf(sb, "<g stroke-opacity=\"0.45\">");
	hatch(sb, look[s].hatch, x, w);
	sb_adds(sb, "</g></g>");
	if (n && w >= LABEL_MIN_W)
		sb_addf(sb,
			"<text x=\"%.1f\" y=\"15\" font-size=\"12\" font-family=\"sans-serif\" font-weight=\"bold\" "
			"text-anchor=\"middle\" fill=\"%s\" stroke=\"none\">%s %zu</text>",
			x + w / 2, look[s].ink, html_symbol(s), n);
}

/* One stacked bar in a <figure>, its caption the label and the counts in words. */
static void bar(strbuf *sb, const char *label, const size_t counts[ST_COUNT])
{
	size_t total = 0;
	for (size_t i = 0; i < REPORT_BAR_N; i++)
		total += counts[bar_order[i]];
	strbuf words = STRBUF_INIT;
	report_text_counts(&words, counts);
	sb_adds(sb, "<figure class=\"chart\"><figcaption>");
	html_esc(sb, label);
	sb_adds(sb, "</figcaption>\n");
	sb_addf(sb, "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", BAR_W, BAR_H);
	html_esc(sb, label);
	sb_adds(sb, ": ");
	html_esc(sb, sb_str(&words));
	sb_adds(sb, "\"><title>");
	html_esc(sb, sb_str(&words));
	sb_addf(sb, "</title><rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\" stroke=\"#000\"/>", BAR_W,
		BAR_H);
	double x = 0;
	for (size_t i = 0; i < REPORT_BAR_N && total; i++) {
		size_t n = counts[bar_order[i]];
		double w = (double)BAR_W * (double)n / (double)total;
		if (n)
			segment(sb, bar_order[i], n, x, w);
		x += w;
	}
	sb_adds(sb, "</svg>\n<div class=\"meta-line\">");
	html_esc(sb, sb_str(&words));
	sb_adds(sb, "</div></figure>\n");
	sb_release(&words);
}

static void legend(strbuf *sb)
{
	sb_adds(sb, "<p class=\"legend\" aria-hidden=\"true\">");
	for (size_t i = 0; i < REPORT_BAR_N; i++) {
		check_status s = bar_order[i];
		sb_addf(sb, "<svg width=\"26\" height=\"14\" viewBox=\"0 0 26 %d\">", BAR_H);
		segment(sb, s, 0, 0, 26);
		sb_adds(sb, "</svg>");
		html_esc(sb, report_status_label(s));
	}
	sb_adds(sb, "</p>\n");
}

static void counts_row(strbuf *sb, const char *label, const size_t counts[ST_COUNT])
{
	size_t total = 0;
	sb_adds(sb, "<tr><td>");
	html_esc(sb, label);
	sb_adds(sb, "</td>");
	for (int s = 0; s < ST_COUNT; s++) {
		sb_addf(sb, "<td>%zu</td>", counts[s]);
		total += counts[s];
	}
	sb_addf(sb, "<td>%zu</td></tr>\n", total);
}

static void counts_table(strbuf *sb, const report *r)
{
	sb_adds(sb, "<table class=\"num\"><thead><tr><th scope=\"col\">");
	html_esc(sb, _("Section"));
	sb_adds(sb, "</th>");
	for (int s = 0; s < ST_COUNT; s++) {
		sb_addf(sb, "<th scope=\"col\">%s ", html_symbol((check_status)s));
		html_esc(sb, report_status_label((check_status)s));
		sb_adds(sb, "</th>");
	}
	sb_adds(sb, "<th scope=\"col\">");
	html_esc(sb, _("total"));
	sb_adds(sb, "</th></tr></thead>\n<tbody>\n");
	for (size_t s = 0; s < r->nsections; s++)
		if (!r->sections[s].sec->beyond) /* scored apart, under Attack paths */
			counts_row(sb, content_text(r->sections[s].sec->title), r->sections[s].counts);
	sb_adds(sb, "</tbody><tfoot>");
	counts_row(sb, _("All sections"), r->counts);
	sb_adds(sb, "</tfoot></table>\n");
}

static void top_findings(strbuf *sb, const report *r)
{
	size_t n = r->nfindings < 5 ? r->nfindings : 5;
	if (!n) {
		html_para(sb, NULL, _("No check fails."));
		return;
	}
	sb_adds(sb, "<h3>");
	html_esc(sb, _("The findings that matter most"));
	sb_adds(sb, "</h3>\n<ol>\n");
	for (size_t i = 0; i < n; i++) {
		const report_check *rc = &r->checks[r->findings[i]];
		sb_adds(sb, "<li><a href=\"#finding-");
		html_esc(sb, rc->chk->id);
		sb_adds(sb, "\">");
		html_esc(sb, content_text(rc->chk->title));
		sb_adds(sb, "</a> (");
		html_esc(sb, severity_label(rc->chk->sev));
		sb_adds(sb, ", ");
		html_esc(sb, report_status_label(rc->status));
		sb_adds(sb, ")</li>\n");
	}
	sb_adds(sb, "</ol>\n");
}

void html_summary(strbuf *sb, const report *r)
{
	html_section_open(sb, "summary", _("Executive summary"));
	strbuf t = STRBUF_INIT;
	report_text_standing(&t, r);
	html_para(sb, "standing", sb_str(&t));
	top_findings(sb, r);
	sb_adds(sb, "<h3>");
	html_esc(sb, _("During the visit"));
	sb_adds(sb, "</h3>\n");
	sb_reset(&t);
	report_text_visit(&t, r);
	html_para(sb, NULL, sb_str(&t));
	if (r->base) {
		sb_reset(&t);
		report_text_since(&t, r);
		html_para(sb, NULL, sb_str(&t));
	}
	sb_release(&t);
	sb_adds(sb, "</section>\n");
}

void html_glance(strbuf *sb, const report *r)
{
	html_section_open(sb, "glance", _("At a glance"));
	strbuf t = STRBUF_INIT;
	report_text_score(&t, r);
	sb_addc(&t, ' ');
	report_text_severity(&t, r);
	html_para(sb, NULL, sb_str(&t));
	sb_release(&t);
	legend(sb);
	bar(sb, _("All sections"), r->counts);
	for (size_t s = 0; s < r->nsections; s++)
		if (r->sections[s].n)
			bar(sb, content_text(r->sections[s].sec->title), r->sections[s].counts);
	sb_adds(sb, "<h3 id=\"summary-table\">");
	html_esc(sb, _("Summary"));
	sb_adds(sb, "</h3>\n");
	counts_table(sb, r);
	sb_adds(sb, "</section>\n");
}

static void diff_row(strbuf *sb, const report *r, const diff_item *d)
{
	const check *k = catalog_find(r->cat, d->check_id);
	sb_adds(sb, "<tr><td>");
	html_esc(sb, diff_kind_label(d->kind));
	sb_adds(sb, "</td><td><code>");
	html_esc(sb, d->check_id);
	sb_adds(sb, "</code>");
	if (k) {
		sb_adds(sb, "<br>");
		html_esc(sb, content_text(k->title));
	}
	sb_adds(sb, "</td><td>");
	html_esc(sb, d->was ? d->was : "\u2013");
	sb_adds(sb, "</td><td>");
	html_esc(sb, d->now ? d->now : "\u2013");
	sb_adds(sb, "</td></tr>\n");
}

void html_baseline(strbuf *sb, const report *r)
{
	if (!r->base)
		return;
	html_section_open(sb, "baseline", _("Since the baseline"));
	strbuf t = STRBUF_INIT;
	report_text_baseline(&t, r);
	html_para(sb, NULL, sb_str(&t));
	sb_release(&t);
	sb_adds(sb, "<table class=\"num\"><tbody>\n");
	for (int k = 0; k < DIFF_KINDS; k++) {
		sb_adds(sb, "<tr><td>");
		html_esc(sb, diff_kind_label((diff_kind)k));
		sb_addf(sb, "</td><td>%zu</td></tr>\n", r->diff.counts[k]);
	}
	sb_adds(sb, "</tbody></table>\n");
	if (r->diff.n) {
		const char *heads[] = {_("Change"), _("Check"), _("Then"), _("Now")};
		html_table_open(sb, NULL, heads, ARRAY_SIZE(heads));
		for (size_t i = 0; i < r->diff.n; i++)
			diff_row(sb, r, &r->diff.items[i]);
		sb_adds(sb, "</tbody></table>\n");
	}
	sb_adds(sb, "</section>\n");
}
