/* fuzz_report.h — runs checks through the real engine and every report writer,
 * and asserts what the reports promise: the text report is inert (no control
 * character but newlines, no bidi control, valid UTF-8), JSON is valid. */
#ifndef CMH_FUZZ_REPORT_H
#define CMH_FUZZ_REPORT_H

#include <stdbool.h>

#include "catalog.h"
#include "target.h"

/* Runs every check of `cat` on `t` and writes all formats. `site_only_text`:
 * the content is trusted (shipped), so any unsafe byte in the text report came
 * from the site and is a bug. */
void fuzz_run_report(const catalog *cat, target *t, bool site_only_text);

#endif
