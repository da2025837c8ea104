/* engagement.h — who a report is for and who prepared it.
 *
 * A consultant states these once per engagement in a small file,
 * $XDG_CONFIG_HOME/cmharden/report.conf (default ~/.config/cmharden/report.conf):
 *
 *     # cmharden report settings
 *     title = Configuration Manager security review
 *     organisation = Contoso Ltd
 *     engagement = Onboarding, phase 1
 *     prepared-by = Jane Doe
 *     baseline = /home/jane/contoso/report-2026-10.json
 *
 * and `cmharden report` options (--title, --organisation, --prepared-by,
 * --baseline) override it for one report. Values are the operator's own text:
 * the emitters sanitise and escape them like any other text. */
#ifndef CMH_ENGAGEMENT_H
#define CMH_ENGAGEMENT_H

typedef struct report_engagement {
	char *title, *organisation, *engagement, *prepared_by, *baseline; /* NULL: not stated */
} report_engagement;

/* The settings file's path (caller frees). */
char *engagement_config_path(void);
/* Reads the settings file into `e` (zeroed first). A missing file is no error.
 * 0, or -1 with *err naming the file and line of a line it cannot read. */
int engagement_load(report_engagement *e, char **err);
/* Sets each field `dst` lacks from `src`. */
void engagement_merge(report_engagement *dst, const report_engagement *src);
void engagement_release(report_engagement *e);

#endif
