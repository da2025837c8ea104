/* engagement.c — the report settings file (see engagement.h). */
#include "config.h"
#include "report/engagement.h"
#include "base/i18n.h"
#include "base/util.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A settings file is a few lines; anything bigger is not one. */
#define ENGAGEMENT_LINE_MAX 1024

char *engagement_config_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	if (x && *x == '/')
		return xasprintf("%s/cmharden/report.conf", x);
	const char *home = getenv("HOME");
	return xasprintf("%s/.config/cmharden/report.conf", home && *home ? home : ".");
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static char **field(report_engagement *e, const char *key)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {{"title", offsetof(report_engagement, title)},
		    {"organisation", offsetof(report_engagement, organisation)},
		    {"organization", offsetof(report_engagement, organisation)},
		    {"engagement", offsetof(report_engagement, engagement)},
		    {"prepared-by", offsetof(report_engagement, prepared_by)},
		    {"baseline", offsetof(report_engagement, baseline)}};
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(key, keys[i].key))
			return (char **)((char *)e + keys[i].off);
	return NULL;
}

/* One line: blank, a comment, or "key = value". 0, or -1 when it is none of these. */
static int parse_line(report_engagement *e, char *line)
{
	char *s = trim(line);
	if (!*s || *s == '#')
		return 0;
	char *eq = strchr(s, '=');
	if (!eq)
		return -1;
	*eq = '\0';
	char **f = field(e, trim(s));
	if (!f)
		return -1;
	free(*f);
	*f = xstrdup(trim(eq + 1));
	return 0;
}

int engagement_load(report_engagement *e, char **err)
{
	memset(e, 0, sizeof *e);
	char *path = engagement_config_path();
	FILE *f = fopen(path, "r");
	if (!f) {
		int rc = errno == ENOENT ? 0 : -1;
		if (rc < 0)
			*err = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
		free(path);
		return rc;
	}
	char line[ENGAGEMENT_LINE_MAX];
	int rc = 0, n = 0;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		n++;
		if (parse_line(e, line) < 0) {
			*err = xasprintf(_("%s:%d: not a setting (title, organisation, engagement, prepared-by, baseline)"),
					 path, n);
			rc = -1;
		}
	}
	fclose(f);
	free(path);
	if (rc < 0)
		engagement_release(e);
	return rc;
}

void engagement_merge(report_engagement *dst, const report_engagement *src)
{
	char **d[] = {&dst->title, &dst->organisation, &dst->engagement, &dst->prepared_by, &dst->baseline};
	char *const s[] = {src->title, src->organisation, src->engagement, src->prepared_by, src->baseline};
	for (size_t i = 0; i < ARRAY_SIZE(d); i++)
		if (!*d[i] && s[i] && *s[i])
			*d[i] = xstrdup(s[i]);
}

void engagement_release(report_engagement *e)
{
	free(e->title), free(e->organisation), free(e->engagement), free(e->prepared_by), free(e->baseline);
	memset(e, 0, sizeof *e);
}
