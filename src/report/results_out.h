/* results_out.h — check results as text, JSON, JUnit XML and CSV. Every string
 * that came from the site is sanitised (text, CSV) or escaped (JSON, XML). */
#ifndef CMH_RESULTS_OUT_H
#define CMH_RESULTS_OUT_H

#include <stdio.h>

#include "check/engine.h"

typedef enum { FMT_TEXT, FMT_JSON, FMT_JUNIT, FMT_CSV } out_format;

typedef struct run_info {
	const char *target;
	const site_info *site;
	const catalog *cat;
} run_info;

int out_format_parse(const char *s, out_format *f);
void results_write(FILE *out, out_format f, const run_info *ri, const result *rs, size_t n);
/* One evidence table as a JSON object (shared with the report, src/report_json.c). */
void results_json_table(strbuf *sb, const ev_table *t);
/* One RFC 4180 field: sanitised, quoted, and safe from spreadsheet formulas. */
void results_csv_field(strbuf *sb, const char *s);

#endif
