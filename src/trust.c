/* trust.c — see trust.h.
 *
 * Paths are checked with lstat so a symlink cannot stand in for a checked file:
 * the content directory itself may be reached through symlinks (it is resolved
 * first), but fixes/, fixes/scripts/ and the scripts may not be symlinks. */
#include "config.h"
#include "trust.h"
#include "i18n.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int refuse(char **err, const char *path, const char *why)
{
	*err = xasprintf(_("refusing to run fix scripts: %s %s; only its owner (root or you) may be able to "
			   "change it (chmod go-w, or chown it)"),
			 path, why);
	return -1;
}

/* `ancestor`: a directory above the content (sticky and world-writable is fine). */
static int check_path(const char *path, bool dir, bool ancestor, char **err)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		*err = xasprintf(_("refusing to run fix scripts: cannot check %s: %s"), path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		return refuse(err, path, _("is a symbolic link"));
	if (dir && !S_ISDIR(st.st_mode))
		return refuse(err, path, _("is not a directory"));
	if (!dir && !S_ISREG(st.st_mode))
		return refuse(err, path, _("is not a regular file"));
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		char *why = xasprintf(_("is owned by user %ld"), (long)st.st_uid);
		int r = refuse(err, path, why);
		free(why);
		return r;
	}
	if (ancestor && (st.st_mode & S_ISVTX))
		return 0;
	if (st.st_mode & S_IWOTH)
		return refuse(err, path, _("is writable by everyone"));
	if (st.st_mode & S_IWGRP)
		return refuse(err, path, _("is writable by its group"));
	return 0;
}

static int check_scripts(const char *sdir, char **err)
{
	DIR *dh = opendir(sdir);
	if (!dh) {
		*err = xasprintf(_("refusing to run fix scripts: cannot read %s: %s"), sdir, strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(dh)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = xasprintf("%s/%s", sdir, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = check_path(p, true, false, err) < 0 ? -1 : check_scripts(p, err);
		else
			rc = check_path(p, false, false, err);
		free(p);
	}
	closedir(dh);
	return rc;
}

int content_trust_check(const char *dir, char **err)
{
	char real[PATH_MAX];
	*err = NULL;
	if (!realpath(dir, real)) {
		*err = xasprintf(_("refusing to run fix scripts: cannot resolve %s: %s"), dir, strerror(errno));
		return -1;
	}
	/* The ancestors, from the top down, then the content directory itself. */
	char *p = xstrdup(real);
	for (char *s = p + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		int r = check_path(p, true, true, err);
		*s = '/';
		if (r < 0) {
			free(p);
			return -1;
		}
	}
	free(p);
	if (check_path("/", true, true, err) < 0 || check_path(real, true, false, err) < 0)
		return -1;
	char *fixes = xasprintf("%s/fixes", real), *scripts = xasprintf("%s/fixes/scripts", real);
	struct stat st;
	int rc = 0;
	if (lstat(fixes, &st) == 0 || errno != ENOENT)
		rc = check_path(fixes, true, false, err);
	if (rc == 0 && (lstat(scripts, &st) == 0 || errno != ENOENT))
		rc = check_path(scripts, true, false, err) < 0 ? -1 : check_scripts(scripts, err);
	free(fixes);
	free(scripts);
	return rc;
}
