/* results_out.c — writers for `cmharden check` (see results_out.h). They are
 * emitters of the report model (report.h), built from the results the command
 * ran: the same sections, counts and checks the report's emitters walk. */
#include "config.h"
#include "report/results_out.h"
#include "content/content_i18n.h"
#include "content/value_names.h"
#include "base/i18n.h"
#include "base/json.h"
#include "base/sanitize.h"
#include "report/report.h"
#include "report/report_paths.h"

#include <stdlib.h>
#include <string.h>

/* Longest value shown in text output before it is cut (evidence stays whole in JSON). */
#define TEXT_VALUE_MAX 200
#define TEXT_ROWS_MAX 20

int out_format_parse(const char *s, out_format *f)
{
	static const char *names[] = {"text", "json", "junit", "csv"};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			*f = (out_format)i;
			return 0;
		}
	return -1;
}

/* One line of site text for the text report: sanitised, cut, "?" when absent. */
static char *site_text(const char *s)
{
	return s ? sanitize_dup(s, TEXT_VALUE_MAX) : xstrdup("?");
}

static void text_value(strbuf *sb, const char *cls, const char *prop, const value *v, bool missing)
{
	if (missing) {
		sb_adds(sb, _("(missing)"));
		return;
	}
	strbuf raw = STRBUF_INIT;
	value_format_named(cls, prop, v, &raw);
	sanitize_append(sb, sb_str(&raw), raw.len, TEXT_VALUE_MAX);
	sb_release(&raw);
}

static void text_table(strbuf *sb, const ev_table *t, bool only_offending)
{
	char *label = sanitize_dup(content_text(t->label), 0);
	sb_addf(sb, "      %s", label);
	free(label);
	if (t->error) {
		char *e = sanitize_dup(t->error, 0);
		sb_addf(sb, ": %s %s\n", _("cannot be read:"), e);
		free(e);
		return;
	}
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < t->nrows; i++)
		total += !only_offending || t->rows[i].offending;
	sb_addf(sb, " (%zu)", total);
	if (t->columns_cut)
		sb_addf(sb, _(" [only the first %d properties are shown]"), EV_MAX_COLUMNS);
	sb_addc(sb, '\n');
	for (size_t i = 0; i < t->nrows && shown < TEXT_ROWS_MAX; i++) {
		const ev_row *r = &t->rows[i];
		if (only_offending && !r->offending)
			continue;
		shown++;
		sb_adds(sb, r->offending ? "      ! " : "        ");
		sanitize_append(sb, r->key, strlen(r->key), TEXT_VALUE_MAX);
		for (size_t c = 0; c < t->ncols; c++) {
			/* Column names are property names: with no `show`, the site's own. */
			sb_addf(sb, "%s%s", c ? ", " : ": ", r->bad[c] ? "*" : "");
			sanitize_append(sb, t->columns[c], strlen(t->columns[c]), TEXT_VALUE_MAX);
			sb_addc(sb, '=');
			text_value(sb, t->cls, t->columns[c], &r->cells[c], r->missing[c]);
		}
		sb_addc(sb, '\n');
	}
	if (total > shown)
		sb_addf(sb, _("        ... and %zu more (use --format json for all)\n"), total - shown);
}

static void text_head(strbuf *sb, const run_info *ri)
{
	/* Every site field came from the site (lab state or agent), any may be absent. */
	char *tgt = site_text(ri->target), *code = site_text(ri->site->code), *name = site_text(ri->site->name),
	     *srv = site_text(ri->site->server), *ver = site_text(ri->site->version),
	     *mode = site_text(site_mode_text(ri->site->mode));
	sb_addf(sb, _("Target: %s\nSite:   %s - %s on %s (%s, %s)\n"), tgt, code, name, srv, ver, mode);
	free(tgt);
	free(code);
	free(name);
	free(srv);
	free(ver);
	free(mode);
}

static void text_check(strbuf *sb, const result *r)
{
	const check *k = r->chk;
	sb_addf(sb, "  [%-17s] %s\n", _(status_name(r->status)), content_text(k->title));
	sb_addf(sb, "      %s", k->id);
	if (k->kind == KIND_AUTOMATED)
		sb_addf(sb, "  (%s, %s)", _("automated"), _(basis_name(k->basis)));
	else if (k->fail_or_ask)
		sb_addf(sb, "  (%s, %s)", _("fail-or-ask"), _(basis_name(k->basis)));
	sb_addc(sb, '\n');
	if (k->fail_or_ask)
		sb_addf(sb, "      %s\n", decided_text(r));
	if (r->auto_reason) {
		char *found = sanitize_dup(r->auto_reason, 400);
		sb_addf(sb, "      %s %s\n", _("The automated part found no violation:"), found);
		free(found);
	}
	if (r->reason) {
		/* An attestation check's reason is its question: content to translate,
		 * unless the automated part of a fail-or-ask check decided. */
		bool question = k->kind == KIND_ATTESTATION && !(k->fail_or_ask && r->decided == DECIDED_SITE);
		char *why = sanitize_dup(question ? content_text(r->reason) : r->reason, 400);
		sb_addf(sb, "      %s\n", why);
		free(why);
	}
	if ((r->status == ST_FAIL || r->status == ST_ERROR) && r->ntables)
		text_table(sb, &r->tables[0], r->status == ST_FAIL);
}

static void write_text(FILE *out, const run_info *ri, const report *rep)
{
	strbuf sb = STRBUF_INIT;
	text_head(&sb, ri);
	const char *cur = NULL;
	/* The checklist's counts: the section beyond it has a line of its own. */
	const size_t *counts = rep->counts;
	bool in_beyond = false;
	for (size_t i = 0; i < rep->nchecks; i++) {
		const check *k = rep->checks[i].chk;
		if (!cur || strcmp(cur, k->section) != 0) {
			const section *sec = catalog_section(ri->cat, k->section);
			if (rep->checks[i].beyond && !in_beyond)
				sb_addf(&sb, "\n%s\n", _("#### Beyond the 2007 checklist (not part of Microsoft's checklist) ####"));
			in_beyond = rep->checks[i].beyond;
			sb_addf(&sb, "\n== %s ==\n", sec ? content_text(sec->title) : k->section);
			cur = k->section;
		}
		text_check(&sb, rep->checks[i].res);
	}
	sb_addf(&sb, _("\nSummary: %zu pass, %zu fail, %zu error, %zu not applicable, %zu need attestation\n"),
		counts[ST_PASS], counts[ST_FAIL], counts[ST_ERROR], counts[ST_NOT_APPLICABLE],
		counts[ST_NEEDS_ATTESTATION]);
	if (counts[ST_ATTESTED] || counts[ST_WAIVED])
		sb_addf(&sb, _("         %zu attested, %zu waived\n"), counts[ST_ATTESTED], counts[ST_WAIVED]);
	size_t beyond[ST_COUNT];
	if (report_beyond_counts(rep, beyond))
		sb_addf(&sb,
			_("Beyond the checklist: %zu pass, %zu fail, %zu error, %zu not applicable, %zu need"
			  " attestation, %zu attested, %zu waived\n"),
			beyond[ST_PASS], beyond[ST_FAIL], beyond[ST_ERROR], beyond[ST_NOT_APPLICABLE],
			beyond[ST_NEEDS_ATTESTATION], beyond[ST_ATTESTED], beyond[ST_WAIVED]);
	fputs(sb_str(&sb), out);
	sb_release(&sb);
}

void results_json_table(strbuf *sb, const ev_table *t)
{
	sb_adds(sb, "{\"label\":");
	json_str(sb, t->label);
	sb_adds(sb, ",\"class\":");
	json_str(sb, t->cls);
	sb_adds(sb, ",\"where\":");
	json_str(sb, t->where);
	if (t->error) {
		sb_adds(sb, ",\"error\":");
		json_str(sb, t->error);
	}
	if (t->columns_cut)
		sb_adds(sb, ",\"columns_cut\":true");
	sb_adds(sb, ",\"columns\":[");
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			sb_addc(sb, ',');
		json_str(sb, t->columns[c]);
	}
	sb_adds(sb, "],\"objects\":[");
	for (size_t i = 0; i < t->nrows; i++) {
		const ev_row *r = &t->rows[i];
		sb_adds(sb, i ? ",{\"key\":" : "{\"key\":");
		json_str(sb, r->key);
		sb_addf(sb, ",\"offending\":%s,\"properties\":{", r->offending ? "true" : "false");
		bool first = true;
		for (size_t c = 0; c < t->ncols; c++) {
			if (r->missing[c])
				continue;
			if (!first)
				sb_addc(sb, ',');
			first = false;
			json_str(sb, t->columns[c]);
			sb_addc(sb, ':');
			json_value(sb, &r->cells[c]);
		}
		sb_adds(sb, "},\"offending_properties\":[");
		first = true;
		for (size_t c = 0; c < t->ncols; c++) {
			if (!r->bad[c])
				continue;
			if (!first)
				sb_addc(sb, ',');
			first = false;
			json_str(sb, t->columns[c]);
		}
		sb_adds(sb, "]}");
	}
	sb_adds(sb, "]}");
}

static void json_result(strbuf *sb, const result *r, bool first)
{
	const check *k = r->chk;
	sb_adds(sb, first ? "\n{\"id\":" : ",\n{\"id\":");
	json_str(sb, k->id);
	sb_adds(sb, ",\"section\":");
	json_str(sb, k->section);
	sb_adds(sb, ",\"title\":");
	json_str(sb, k->title);
	sb_addf(sb, ",\"kind\":\"%s\",\"severity\":\"%s\"", check_kind_label(k), severity_name(k->sev));
	if (k->kind == KIND_AUTOMATED || k->fail_or_ask)
		sb_addf(sb, ",\"basis\":\"%s\"", basis_name(k->basis));
	sb_addf(sb, ",\"status\":\"%s\",\"decided_by\":\"%s\",\"reason\":", status_name(r->status),
		decided_name(r->decided));
	json_str(sb, r->reason);
	if (r->auto_reason) {
		sb_adds(sb, ",\"automated_part\":");
		json_str(sb, r->auto_reason);
	}
	sb_adds(sb, ",\"expected\":");
	json_str(sb, r->expected);
	sb_addf(sb, ",\"examined\":%zu,\"offending\":%zu,\"evidence\":[", r->examined, r->offending);
	for (size_t t = 0; t < r->ntables; t++) {
		if (t)
			sb_addc(sb, ',');
		results_json_table(sb, &r->tables[t]);
	}
	sb_adds(sb, "]}");
}

static void write_json(FILE *out, const run_info *ri, const report *rep)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "{\"target\":");
	json_str(&sb, ri->target);
	sb_adds(&sb, ",\"site\":{\"code\":");
	json_str(&sb, ri->site->code);
	sb_adds(&sb, ",\"name\":");
	json_str(&sb, ri->site->name);
	sb_adds(&sb, ",\"server\":");
	json_str(&sb, ri->site->server);
	sb_adds(&sb, ",\"version\":");
	json_str(&sb, ri->site->version);
	sb_adds(&sb, ",\"mode\":");
	json_str(&sb, ri->site->mode);
	sb_adds(&sb, "},\"content_digest\":");
	json_str(&sb, ri->cat->digest);
	sb_adds(&sb, ",\"results\":[");
	for (size_t i = 0; i < rep->nchecks; i++)
		json_result(&sb, rep->checks[i].res, i == 0);
	sb_adds(&sb, "\n]}\n");
	fputs(sb_str(&sb), out);
	sb_release(&sb);
}

/* XML 1.0 cannot carry most control characters even escaped: they are shown as \xNN.
 * Nor U+FFFE and U+FFFF, which sanitize_append keeps (they are valid UTF-8). */
static void xml_str(strbuf *sb, const char *s)
{
	strbuf clean = STRBUF_INIT;
	sanitize_append(&clean, s, strlen(s), 0);
	for (const char *p = sb_str(&clean); *p; p++) {
		if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBF &&
		    ((unsigned char)p[2] == 0xBE || (unsigned char)p[2] == 0xBF)) {
			sb_addf(sb, "&lt;U+FFF%c&gt;", (unsigned char)p[2] == 0xBE ? 'E' : 'F');
			p += 2;
			continue;
		}
		switch (*p) {
		case '<': sb_adds(sb, "&lt;"); break;
		case '>': sb_adds(sb, "&gt;"); break;
		case '&': sb_adds(sb, "&amp;"); break;
		case '"': sb_adds(sb, "&quot;"); break;
		case '\'': sb_adds(sb, "&apos;"); break;
		default: sb_addc(sb, *p);
		}
	}
	sb_release(&clean);
}

/* JUnit has no "attested": an attested check passed on the operator's word and
 * is reported as a passing testcase; waived and undecided ones are skipped. */
static bool is_skipped(check_status s)
{
	return s == ST_NOT_APPLICABLE || s == ST_NEEDS_ATTESTATION || s == ST_WAIVED;
}

static void junit_offending(strbuf *sb, const ev_table *tb)
{
	for (size_t j = 0; j < tb->nrows; j++) {
		if (!tb->rows[j].offending)
			continue;
		xml_str(sb, tb->rows[j].key);
		for (size_t c = 0; c < tb->ncols; c++) {
			strbuf v = STRBUF_INIT;
			value_format(&tb->rows[j].cells[c], &v);
			sb_adds(sb, c ? ", " : ": ");
			xml_str(sb, tb->columns[c]);
			sb_addc(sb, '=');
			xml_str(sb, tb->rows[j].missing[c] ? "(missing)" : sb_str(&v));
			sb_release(&v);
		}
		sb_addc(sb, '\n');
	}
}

static void junit_case(strbuf *sb, const section *sec, const result *r)
{
	sb_adds(sb, "    <testcase classname=\"cmharden.");
	xml_str(sb, sec->id);
	sb_adds(sb, "\" name=\"");
	xml_str(sb, r->chk->id);
	sb_adds(sb, ": ");
	xml_str(sb, r->chk->title);
	sb_adds(sb, "\">\n");
	if (r->status == ST_FAIL || r->status == ST_ERROR) {
		bool fail = r->status == ST_FAIL;
		sb_adds(sb, fail ? "      <failure message=\"" : "      <error message=\"");
		xml_str(sb, r->reason ? r->reason : "");
		sb_adds(sb, "\">");
		if (r->ntables)
			junit_offending(sb, &r->tables[0]);
		sb_adds(sb, fail ? "</failure>\n" : "</error>\n");
	} else if (is_skipped(r->status)) {
		sb_adds(sb, "      <skipped message=\"");
		xml_str(sb, status_name(r->status));
		sb_adds(sb, ": ");
		xml_str(sb, r->reason ? r->reason : "");
		sb_adds(sb, "\"/>\n");
	}
	sb_adds(sb, "    </testcase>\n");
}

static size_t skipped_of(const size_t counts[ST_COUNT])
{
	return counts[ST_NOT_APPLICABLE] + counts[ST_NEEDS_ATTESTATION] + counts[ST_WAIVED];
}

static void write_junit(FILE *out, const report *rep)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cmharden\"");
	sb_addf(&sb, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n", rep->nchecks,
		rep->counts[ST_FAIL], rep->counts[ST_ERROR], skipped_of(rep->counts));
	for (size_t s = 0; s < rep->nsections; s++) {
		const report_section *rs = &rep->sections[s];
		if (!rs->n)
			continue;
		sb_adds(&sb, "  <testsuite name=\"");
		xml_str(&sb, rs->sec->title);
		sb_addf(&sb, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n", rs->n,
			rs->counts[ST_FAIL], rs->counts[ST_ERROR], skipped_of(rs->counts));
		for (size_t i = 0; i < rs->n; i++)
			junit_case(&sb, rs->sec, rep->checks[rs->idx[i]].res);
		sb_adds(&sb, "  </testsuite>\n");
	}
	sb_adds(&sb, "</testsuites>\n");
	fputs(sb_str(&sb), out);
	sb_release(&sb);
}

/* RFC 4180 field; site text is sanitised first, and a leading = + - @ is
 * prefixed with ' so spreadsheets do not run it as a formula. */
void results_csv_field(strbuf *sb, const char *s)
{
	strbuf clean = STRBUF_INIT;
	sanitize_append(&clean, s, strlen(s), 0);
	const char *c = sb_str(&clean);
	sb_addc(sb, '"');
	if (*c == '=' || *c == '+' || *c == '-' || *c == '@')
		sb_addc(sb, '\'');
	for (; *c; c++) {
		if (*c == '"')
			sb_addc(sb, '"');
		sb_addc(sb, *c);
	}
	sb_addc(sb, '"');
	sb_release(&clean);
}

static void write_csv(FILE *out, const report *rep)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "id,section,title,kind,severity,status,reason,examined,offending,offending_objects\r\n");
	for (size_t i = 0; i < rep->nchecks; i++) {
		const result *r = rep->checks[i].res;
		results_csv_field(&sb, r->chk->id);
		sb_addc(&sb, ',');
		results_csv_field(&sb, r->chk->section);
		sb_addc(&sb, ',');
		results_csv_field(&sb, r->chk->title);
		sb_addf(&sb, ",%s,%s,%s,", check_kind_label(r->chk), severity_name(r->chk->sev),
			status_name(r->status));
		results_csv_field(&sb, r->reason ? r->reason : "");
		sb_addf(&sb, ",%zu,%zu,", r->examined, r->offending);
		strbuf keys = STRBUF_INIT;
		if (r->ntables && (r->chk->kind == KIND_AUTOMATED || r->chk->fail_or_ask))
			for (size_t j = 0; j < r->tables[0].nrows; j++)
				if (r->tables[0].rows[j].offending)
					sb_addf(&keys, "%s%s", keys.len ? "; " : "", r->tables[0].rows[j].key);
		results_csv_field(&sb, sb_str(&keys));
		sb_release(&keys);
		sb_adds(&sb, "\r\n");
	}
	fputs(sb_str(&sb), out);
	sb_release(&sb);
}

void results_write(FILE *out, out_format f, const run_info *ri, const result *rs, size_t n)
{
	report rep;
	report_from_results(&rep, ri->cat, ri->target, ri->site, rs, n);
	switch (f) {
	case FMT_TEXT: write_text(out, ri, &rep); break;
	case FMT_JSON: write_json(out, ri, &rep); break;
	case FMT_JUNIT: write_junit(out, &rep); break;
	case FMT_CSV: write_csv(out, &rep); break;
	}
	report_release(&rep);
}
