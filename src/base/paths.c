#include "config.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool has_checks(const char *dir)
{
	char *p = xasprintf("%s/checks/00-checklist.yaml", dir);
	bool ok = access(p, R_OK) == 0;
	free(p);
	return ok;
}

char *content_dir(void)
{
	const char *env = getenv("CMHARDEN_CONTENT");
	if (env && *env)
		return xstrdup(env);
	/* Run from the build tree: content sits next to the binary (in-tree build)
	 * or in the source tree this build was configured from (VPATH build). */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (has_checks(exe))
				return xstrdup(exe);
			if (strcmp(exe, ABS_TOP_BUILDDIR) == 0 && has_checks(ABS_TOP_SRCDIR))
				return xstrdup(ABS_TOP_SRCDIR);
		}
	}
	return xstrdup(PKGDATADIR);
}

static int mkdir_p(const char *path, mode_t mode)
{
	char *tmp = xstrdup(path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST) {
			free(tmp);
			return -1;
		}
		*p = '/';
	}
	int r = mkdir(tmp, mode);
	free(tmp);
	return (r < 0 && errno != EEXIST) ? -1 : 0;
}

char *data_dir(char **err)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	char *dir;
	if (xdg && *xdg == '/') {
		dir = xasprintf("%s/cmharden", xdg);
	} else {
		const char *home = getenv("HOME");
		if (!home || !*home) {
			*err = xstrdup("neither XDG_DATA_HOME nor HOME is set");
			return NULL;
		}
		dir = xasprintf("%s/.local/share/cmharden", home);
	}
	if (mkdir_p(dir, 0700) < 0) {
		*err = xasprintf(_("cannot create %s: %s"), dir, strerror(errno));
		free(dir);
		return NULL;
	}
	/* The journal and the labs live here: a directory others can write (or
	 * one that is not ours) would let them replace either, as ssh refuses
	 * its keys in one. */
	struct stat st;
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		*err = xasprintf(_("the data directory %s is not a directory of this user that only this user can "
				   "write; it is not used (chmod 700 %s)"),
				 dir, dir);
		free(dir);
		return NULL;
	}
	return dir;
}
