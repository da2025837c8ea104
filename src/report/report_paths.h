/* report_paths.h — the attack-path view (check/paths.h) and the score of the
 * sections beyond the checklist, in every output: `check --by-path` (text,
 * JSON) and each report format. Each writer is one self-contained block that the
 * format's writer calls once. */
#ifndef CMH_REPORT_PATHS_H
#define CMH_REPORT_PATHS_H

#include <stdio.h>

#include "check/paths.h"
#include "report/report.h"

/* The view of a report's verdicts (after attestations and waivers). */
void report_path_view(const report *r, path_view *pv);
/* Counts of the checks of the sections beyond the checklist; false when the run has none. */
bool report_beyond_counts(const report *r, size_t counts[ST_COUNT]);

void report_paths_html(strbuf *sb, const report *r);
void report_paths_md(strbuf *sb, const report *r);
/* `,"beyond_checklist":{...},"attack_paths":[...]` to append to the report object. */
void report_paths_json(strbuf *sb, const report *r);

/* `cmharden check --by-path`: the verdicts of a run (statuses already overlaid). */
void paths_write_text(FILE *out, const catalog *cat, const result *rs, size_t n);
void paths_write_json(FILE *out, const catalog *cat, const result *rs, size_t n);

#endif
