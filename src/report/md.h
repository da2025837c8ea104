/* md.h — what the parts of the Markdown report share (report_md*.c).
 *
 * The report is CommonMark with GitHub tables. Text from the site, the journal
 * or the operator is sanitised, then escaped only where Markdown would read it
 * as markup: < > & become entities (no raw HTML), \ ` * [ ] | ~ are escaped,
 * _ where it could open emphasis (not after a letter or digit), and a line's first # + - = or "1." — so
 * "SMS_Advertisement" and "2007 SP2 (build 6487)" stay as they are written. */
#ifndef CMH_REPORT_MD_H
#define CMH_REPORT_MD_H

#include "report/report.h"

#define MD_ROWS_MAX 25
#define MD_VALUE_MAX 300

void md_n(strbuf *sb, const char *s, size_t max);
void md(strbuf *sb, const char *s);
/* Our own identifiers (check ids, commands, hashes) as a code span. */
void md_code(strbuf *sb, const char *s);
/* A value named as report_value_text() names it, escaped. */
void md_value(strbuf *sb, const char *cls, const char *prop, const value *v, size_t max);
/* "\n## TITLE\n\n" */
void md_heading(strbuf *sb, int level, const char *title);
/* A paragraph: TEXT and a blank line. */
void md_para(strbuf *sb, const char *text);
void md_header_row(strbuf *sb, const char *const *heads, size_t n);
/* An evidence table; `keep` (NULL: every column) picks the columns shown. */
void md_evidence(strbuf *sb, const ev_table *t, bool only_offending, const bool *keep);

void md_summary(strbuf *sb, const report *r);
void md_glance(strbuf *sb, const report *r);
void md_baseline(strbuf *sb, const report *r);
void md_findings(strbuf *sb, const report *r);
void md_actions(strbuf *sb, const report *r);
void md_changes(strbuf *sb, const report *r);
void md_attestations(strbuf *sb, const report *r);
void md_waivers(strbuf *sb, const report *r);
void md_journal(strbuf *sb, const report *r);
void md_signoff(strbuf *sb, const report *r);
void md_checks(strbuf *sb, const report *r);

#endif
