/* fuzz_report.c — see fuzz_report.h. */
#include "config.h"
#include "fuzz_common.h"
#include "fuzz_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/engine.h"
#include "report/report.h"
#include "report/results_out.h"

/* Inert line by line: newlines (and CSV's CRLF) are the writers' own. */
static void assert_lines_inert(char *buf, size_t len, bool crlf, const char *what)
{
	char *p = buf, *end = buf + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		bool cr = crlf && l && p[l - 1] == '\r';
		fuzz_assert_inert(p, l - cr, what);
		p += l + 1;
	}
}

/* The auditor's report (report.h), without a journal, in its four formats. */
static void write_reports(engine *e, bool site_only_text)
{
	report r;
	char *err = NULL;
	if (report_build(&r, e, &(report_opts){.jpath = "(none)"}, &err) < 0) {
		free(err);
		return;
	}
	for (int f = RF_HTML; f <= RF_CSV; f++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (!m)
			abort();
		report_write(m, (report_format)f, &r);
		fclose(m);
		if (f == RF_JSON)
			fuzz_assert_json(buf, len, "report --format json");
		else if (site_only_text)
			assert_lines_inert(buf, len, f == RF_CSV,
					   f == RF_HTML ? "report --format html"
					   : f == RF_MD ? "report --format md"
							: "report --format csv");
		free(buf);
	}
	report_release(&r);
}

static void write_fmt(out_format f, const run_info *ri, const result *rs, size_t n, bool site_only_text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		abort();
	results_write(m, f, ri, rs, n);
	fclose(m);
	if (f == FMT_JSON) {
		fuzz_assert_json(buf, len, "check --format json");
	} else if (site_only_text && (f == FMT_TEXT || f == FMT_CSV)) {
		assert_lines_inert(buf, len, f == FMT_CSV, f == FMT_TEXT ? "check --format text" : "check --format csv");
	}
	free(buf);
}

void fuzz_run_report(const catalog *cat, target *t, bool site_only_text)
{
	engine e;
	char *err = NULL;
	if (engine_init(&e, t, cat, &err) < 0) {
		free(err);
		engine_release(&e);
		return;
	}
	result *rs = xcalloc(cat->nchecks ? cat->nchecks : 1, sizeof *rs);
	size_t n = 0;
	for (size_t s = 0; s < cat->nsections; s++)
		for (size_t i = 0; i < cat->sections[s].n && n < cat->nchecks; i++)
			engine_run(&e, &cat->sections[s].checks[i], &rs[n++]);
	run_info ri = {"lab:fuzz", &e.site, cat};
	write_fmt(FMT_TEXT, &ri, rs, n, site_only_text);
	write_fmt(FMT_JSON, &ri, rs, n, site_only_text);
	write_fmt(FMT_JUNIT, &ri, rs, n, site_only_text);
	write_fmt(FMT_CSV, &ri, rs, n, site_only_text);
	for (size_t i = 0; i < n; i++)
		result_release(&rs[i]);
	free(rs);
	engine_refresh(&e);
	write_reports(&e, site_only_text);
	engine_release(&e);
}
