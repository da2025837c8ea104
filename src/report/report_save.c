/* report_save.c — writing a report file where the wizard (or any caller
 * without a file name of its own) can find it again: the data directory's
 * reports/ folder, one new file per report, created 0600 and renamed into
 * place only when complete. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/paths.h"
#include "report/report.h"
#include "base/util.h"

/* The site code as a safe piece of a file name. */
static void file_safe(char *out, size_t cap, const char *s)
{
	size_t n = 0;
	for (; s && *s && n + 1 < cap; s++)
		out[n++] = ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) ? *s : '_';
	out[n] = '\0';
	if (!n)
		snprintf(out, cap, "site");
}

int report_save(engine *e, journal *j, const char *jpath, int64_t session, report_format f, char **path_out,
		char **err)
{
	static const char *ext[] = {"html", "md", "json", "csv"};
	*path_out = NULL;
	char *ddir = data_dir(err);
	if (!ddir)
		return -1;
	char *dir = xasprintf("%s/reports", ddir);
	free(ddir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		*err = xasprintf(_("cannot create %s: %s"), dir, strerror(errno));
		free(dir);
		return -1;
	}
	report r;
	report_opts o = {.j = j, .jpath = jpath, .session = session};
	if (report_build(&r, e, &o, err) < 0) {
		free(dir);
		return -1;
	}
	char site[16], stamp[32];
	file_safe(site, sizeof site, r.site.code);
	time_t now = time(NULL);
	struct tm tm;
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", gmtime_r(&now, &tm));
	char *path = xasprintf("%s/report-%s-%s.%s", dir, site, stamp, ext[f]);
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		*err = xasprintf(_("cannot write %s: %s"), tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
	} else {
		int w = report_write(out, f, &r);
		if (fclose(out) != 0 || w < 0 || rename(tmp, path) != 0)
			*err = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
		else
			rc = 0;
	}
	if (rc < 0) {
		unlink(tmp);
		free(path);
	} else {
		*path_out = path;
	}
	free(tmp);
	free(dir);
	report_release(&r);
	return rc;
}
