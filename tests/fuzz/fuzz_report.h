/* fuzz_report.h — runs checks through the real engine and every report writer
 * (check's text, JSON, JUnit and CSV; report's HTML, Markdown, JSON and CSV),
 * and asserts what the reports promise: text, CSV, HTML and Markdown are inert
 * (no control character but newlines, no bidi control, valid UTF-8) when the
 * content is the shipped one, and JSON is valid. */
#ifndef CMH_FUZZ_REPORT_H
#define CMH_FUZZ_REPORT_H

#include <stdbool.h>

#include "content/catalog.h"
#include "target/target.h"

/* Runs every check of `cat` on `t` and writes all formats. `site_only_text`:
 * the content is trusted (shipped), so any unsafe byte in a text report came
 * from the site and is a bug. */
void fuzz_run_report(const catalog *cat, target *t, bool site_only_text);

#endif
