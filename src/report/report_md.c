/* report_md.c — the report as Markdown (CommonMark with GitHub tables), for a
 * wiki page or a ticket: the document, the escaping (md.h), the summary, the
 * charts as text and the comparison with the baseline. The other parts are in
 * report_md_parts.c. */
#include "config.h"
#include "report/report_paths.h"
#include "report/md.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/sanitize.h"

#include <stdlib.h>
#include <string.h>

static bool is_punct(char c)
{
	return c && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c);
}

/* ASCII letters and digits only: a '_' after anything else may open emphasis. */
static bool is_word(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* The first characters of a line that would start a heading, a list, a quote
 * or a rule: escaped at the start of a line only. */
static size_t line_start_marker(const char *p)
{
	if (*p == '#' || *p == '+' || *p == '-' || *p == '=')
		return 0;
	size_t i = 0;
	while (p[i] >= '0' && p[i] <= '9')
		i++;
	return i && (p[i] == '.' || p[i] == ')') ? i : (size_t)-1;
}

static void md_char(strbuf *sb, const char *p, const char *start)
{
	char prev = p > start ? p[-1] : ' ';
	switch (*p) {
	case '<': sb_adds(sb, "&lt;"); return;
	case '>': sb_adds(sb, "&gt;"); return;
	case '&': sb_adds(sb, "&amp;"); return;
	case '\\':
		if (is_punct(p[1]) || !p[1])
			sb_addc(sb, '\\');
		break;
	case '`': case '*': case '[': case ']': case '|': case '~': sb_addc(sb, '\\'); break;
	case '_':
		/* After a letter or digit a '_' can never open emphasis, and a
		 * closer without an opener is text: "SMS_Advertisement" stays. */
		if (!is_word(prev))
			sb_addc(sb, '\\');
		break;
	default: break;
	}
	sb_addc(sb, *p);
}

void md_n(strbuf *sb, const char *s, size_t max)
{
	if (!s)
		return;
	bool line_start = !sb->len || sb_str(sb)[sb->len - 1] == '\n';
	strbuf clean = STRBUF_INIT;
	sanitize_append(&clean, s, strlen(s), max);
	const char *c = sb_str(&clean);
	size_t mark = line_start ? line_start_marker(c) : (size_t)-1;
	for (const char *p = c; *p; p++) {
		if ((size_t)(p - c) == mark && *p != '\\' && *p != '<' && *p != '>' && *p != '&')
			sb_addc(sb, '\\');
		md_char(sb, p, c);
	}
	sb_release(&clean);
}

void md(strbuf *sb, const char *s)
{
	md_n(sb, s, 0);
}

void md_code(strbuf *sb, const char *s)
{
	/* Our identifiers hold no backtick, <, > or &; anything else is escaped text. */
	if (!s || strpbrk(s, "`<>&\n\r")) {
		md(sb, s);
		return;
	}
	sb_addc(sb, '`');
	for (const char *p = s; *p; p++) {
		if (*p == '|')
			sb_addc(sb, '\\'); /* a table splits cells before it reads code spans */
		sb_addc(sb, *p);
	}
	sb_addc(sb, '`');
}

void md_value(strbuf *sb, const char *cls, const char *prop, const value *v, size_t max)
{
	/* Sanitised once by report_value_text, then escaped: md_n sanitises again,
	 * which leaves clean text as it is. */
	char *t = report_value_text(cls, prop, v, 0);
	md_n(sb, t, max);
	free(t);
}

void md_heading(strbuf *sb, int level, const char *title)
{
	/* One blank line before a heading, whatever came before it. */
	bool blank = sb->len >= 2 && !strcmp(sb_str(sb) + sb->len - 2, "\n\n");
	sb_addf(sb, "%s%.*s ", blank ? "" : "\n", level, "######");
	md(sb, title);
	sb_adds(sb, "\n\n");
}

void md_para(strbuf *sb, const char *text)
{
	md(sb, text);
	sb_adds(sb, "\n\n");
}

void md_header_row(strbuf *sb, const char *const *heads, size_t n)
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

static void cover(strbuf *sb, const report *r)
{
	char *title = xasprintf(_("Security report for site %s"), r->site.code);
	sb_adds(sb, "# ");
	md(sb, r->eng.title ? r->eng.title : title);
	sb_adds(sb, "\n\n");
	if (r->eng.title)
		md_para(sb, title);
	free(title);
	md_para(sb, content_text(r->cat->title));
	struct {
		const char *label;
		char *v;
	} meta[] = {
		{_("Organisation"), r->eng.organisation ? xstrdup(r->eng.organisation) : NULL},
		{_("Engagement"), r->eng.engagement ? xstrdup(r->eng.engagement) : NULL},
		{_("Prepared by"), xstrdup(r->eng.prepared_by ? r->eng.prepared_by : _("not stated"))},
		{_("Site"), xasprintf("%s \u2013 %s", r->site.code, r->site.name)},
		{_("Site server"), xstrdup(r->site.server)},
		{_("Version"), xasprintf(_("%s (build %s), %s"), r->site.version, r->site.build, site_mode_text(r->site.mode))},
		{_("Target"), xasprintf("%s \u2013 %s", r->target, r->target_desc)},
		{_("Scope"), report_scope_text(r)},
		{_("Report made"), xasprintf(_("%s by %s on %s"), r->generated_at, r->generated_by, r->host)},
		{_("Checks run"), xstrdup(_("on the target when the report was made"))},
		{_("Checklist content"), xstrdup(r->cat->digest)},
		{_("Journal"), report_journal_state(r)},
		{_("Generator"), xstrdup(PACKAGE_STRING)},
	};
	sb_adds(sb, "| | |\n|---|---|\n");
	for (size_t i = 0; i < ARRAY_SIZE(meta); i++) {
		if (!meta[i].v)
			continue;
		sb_adds(sb, "| **");
		md(sb, meta[i].label);
		sb_adds(sb, "** | ");
		md(sb, meta[i].v);
		sb_adds(sb, " |\n");
		free(meta[i].v);
	}
}

static void contents(strbuf *sb, const report *r)
{
	const char *parts[] = {_("Executive summary"),	 _("At a glance"),
			       _("Since the baseline"),	 _("Findings"),
			       _("What is left to do"),	 _("Attack paths"),
			       _("Changes made and undone"),
			       _("Attestations"),	 _("Waivers"),
			       _("Journal"),		 _("Engagement and sign-off"),
			       _("Appendix: every check and its evidence")};
	md_heading(sb, 2, _("Contents"));
	int n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		if (i == 2 && !r->base)
			continue;
		sb_addf(sb, "%d. ", ++n);
		md(sb, parts[i]);
		sb_addc(sb, '\n');
	}
}

int report_write_md(FILE *out, const report *r)
{
	strbuf sb = STRBUF_INIT;
	cover(&sb, r);
	contents(&sb, r);
	md_summary(&sb, r);
	md_glance(&sb, r);
	md_baseline(&sb, r);
	md_findings(&sb, r);
	md_actions(&sb, r);
	report_paths_md(&sb, r);
	md_changes(&sb, r);
	md_attestations(&sb, r);
	md_waivers(&sb, r);
	md_journal(&sb, r);
	md_signoff(&sb, r);
	md_checks(&sb, r);
	int rc = fputs(sb_str(&sb), out) < 0 ? -1 : 0;
	sb_release(&sb);
	return rc;
}

void md_summary(strbuf *sb, const report *r)
{
	md_heading(sb, 2, _("Executive summary"));
	strbuf t = STRBUF_INIT;
	report_text_standing(&t, r);
	sb_adds(sb, "**");
	md(sb, sb_str(&t));
	sb_adds(sb, "**\n\n");
	size_t n = r->nfindings < 5 ? r->nfindings : 5;
	if (n)
		md_heading(sb, 3, _("The findings that matter most"));
	else
		md_para(sb, _("No check fails."));
	for (size_t i = 0; i < n; i++) {
		const report_check *rc = &r->checks[r->findings[i]];
		sb_addf(sb, "%zu. ", i + 1);
		md(sb, content_text(rc->chk->title));
		sb_adds(sb, " (");
		md(sb, severity_label(rc->chk->sev));
		sb_adds(sb, ", ");
		md(sb, report_status_label(rc->status));
		sb_adds(sb, ")\n");
	}
	md_heading(sb, 3, _("During the visit"));
	sb_reset(&t);
	report_text_visit(&t, r);
	md_para(sb, sb_str(&t));
	if (r->base) {
		sb_reset(&t);
		report_text_since(&t, r);
		md_para(sb, sb_str(&t));
	}
	sb_release(&t);
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

/* A bar as text: one character per check, the status's symbol, then the words. */
static void text_bar(strbuf *sb, const char *label, const size_t counts[ST_COUNT])
{
	static const char sym[ST_COUNT] = {'+', 'X', '!', '-', '?', 'a', 'w'};
	sb_adds(sb, "- ");
	md(sb, label);
	sb_adds(sb, ": `");
	for (size_t i = 0; i < REPORT_BAR_N; i++)
		for (size_t k = 0; k < counts[report_bar_order[i]]; k++)
			sb_addc(sb, sym[report_bar_order[i]]);
	sb_adds(sb, "` ");
	strbuf w = STRBUF_INIT;
	report_text_counts(&w, counts);
	md(sb, sb_str(&w));
	sb_release(&w);
	sb_addc(sb, '\n');
}

void md_glance(strbuf *sb, const report *r)
{
	md_heading(sb, 2, _("At a glance"));
	strbuf t = STRBUF_INIT;
	report_text_score(&t, r);
	sb_addc(&t, ' ');
	report_text_severity(&t, r);
	md_para(sb, sb_str(&t));
	sb_release(&t);
	md_para(sb, _("One character per check: + pass, a attested, w waived, ? needs attestation, ! error, X fail."));
	text_bar(sb, _("All sections"), r->counts);
	for (size_t s = 0; s < r->nsections; s++)
		if (r->sections[s].n)
			text_bar(sb, content_text(r->sections[s].sec->title), r->sections[s].counts);
	md_heading(sb, 3, _("Summary"));
	const char *heads[ST_COUNT + 2];
	heads[0] = _("Section");
	for (int s = 0; s < ST_COUNT; s++)
		heads[s + 1] = report_status_label((check_status)s);
	heads[ST_COUNT + 1] = _("total");
	md_header_row(sb, heads, ST_COUNT + 2);
	for (size_t s = 0; s < r->nsections; s++) {
		if (r->sections[s].sec->beyond)
			continue; /* scored apart, under Attack paths */
		sb_adds(sb, "| ");
		md(sb, content_text(r->sections[s].sec->title));
		sb_adds(sb, " |");
		counts_cells(sb, r->sections[s].counts);
	}
	sb_adds(sb, "| **");
	md(sb, _("All sections"));
	sb_adds(sb, "** |");
	counts_cells(sb, r->counts);
}

void md_baseline(strbuf *sb, const report *r)
{
	if (!r->base)
		return;
	md_heading(sb, 2, _("Since the baseline"));
	strbuf t = STRBUF_INIT;
	report_text_baseline(&t, r);
	md_para(sb, sb_str(&t));
	sb_release(&t);
	for (int k = 0; k < DIFF_KINDS; k++) {
		sb_adds(sb, "- ");
		md(sb, diff_kind_label((diff_kind)k));
		sb_addf(sb, ": %zu\n", r->diff.counts[k]);
	}
	if (!r->diff.n)
		return;
	sb_addc(sb, '\n');
	const char *heads[] = {_("Change"), _("Check"), _("Then"), _("Now")};
	md_header_row(sb, heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < r->diff.n; i++) {
		const diff_item *d = &r->diff.items[i];
		sb_adds(sb, "| ");
		md(sb, diff_kind_label(d->kind));
		sb_adds(sb, " | ");
		md_code(sb, d->check_id);
		sb_adds(sb, " | ");
		md(sb, d->was ? d->was : "\u2013");
		sb_adds(sb, " | ");
		md(sb, d->now ? d->now : "\u2013");
		sb_adds(sb, " |\n");
	}
}
