/* html.h — what the parts of the HTML report share (report_html*.c). Not a
 * public interface: the report's one entry is report_write_html().
 *
 * Everything that came from the site, the journal or the operator is
 * sanitised (control and bidi characters become visible escapes) and then
 * HTML-escaped; our own text is escaped too, so a translator's '<' cannot
 * become markup. */
#ifndef CMH_REPORT_HTML_H
#define CMH_REPORT_HTML_H

#include "report/report.h"

#define HTML_ROWS_MAX 25   /* evidence rows per table (the JSON report has all) */
#define HTML_VALUE_MAX 400 /* bytes of one evidence value */
/* Past this many columns an evidence row lists its properties as name=value
 * pairs instead of one narrow column each. */
#define HTML_WIDE_COLUMNS 6

void html_esc_n(strbuf *sb, const char *s, size_t max);
void html_esc(strbuf *sb, const char *s);
/* <section id=ID><h2>TITLE</h2> */
void html_section_open(strbuf *sb, const char *id, const char *title);
/* <p class=CLS>TEXT</p>, escaped; `cls` may be NULL. */
void html_para(strbuf *sb, const char *cls, const char *text);
/* A table with a header row of translated column names, ready for rows. */
void html_table_open(strbuf *sb, const char *cls, const char *const *heads, size_t n);
const char *html_symbol(check_status s);
void html_badge(strbuf *sb, check_status s);
/* A value in <code>, named as report_value_text() names it. */
void html_value_cell(strbuf *sb, const char *cls, const char *prop, const value *v, size_t max);
/* An evidence table; `keep` (NULL: every column) picks the columns shown. */
void html_evidence_table(strbuf *sb, const ev_table *t, bool only_offending, const bool *keep);

void html_summary(strbuf *sb, const report *r);
void html_glance(strbuf *sb, const report *r);
void html_baseline(strbuf *sb, const report *r);
void html_findings(strbuf *sb, const report *r);
void html_actions(strbuf *sb, const report *r);
void html_changes(strbuf *sb, const report *r);
void html_attestations(strbuf *sb, const report *r);
void html_waivers(strbuf *sb, const report *r);
void html_journal(strbuf *sb, const report *r);
void html_signoff(strbuf *sb, const report *r);
void html_checks(strbuf *sb, const report *r);

#endif
