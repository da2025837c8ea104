/* trust.c — ownership and mode checks on content that runs (see trust.h).
 *
 * The checks look at what is there when a script is about to run. The file
 * itself is checked on the descriptor it was read from (fstat), so a script
 * swapped in after the name was checked is still judged by its own owner and
 * mode. */
#include "config.h"
#include "content/trust.h"
#include "base/i18n.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int judge(const char *path, const struct stat *st, char **err)
{
	uid_t me = geteuid();
	if (st->st_uid != 0 && st->st_uid != me) {
		*err = xasprintf(_("refusing to run fix scripts: %s is owned by uid %lu, neither root nor you"
				   " (uid %lu); scripts run with administrator rights on the site, so only"
				   " root or you may own them"),
				 path, (unsigned long)st->st_uid, (unsigned long)me);
		return -1;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		*err = xasprintf((st->st_mode & S_IWOTH)
					 ? _("refusing to run fix scripts: %s is world-writable (mode %04o); scripts run"
					     " with administrator rights on the site, so no one but the owner may"
					     " change them (chmod go-w '%s')")
					 : _("refusing to run fix scripts: %s is group-writable (mode %04o); scripts run"
					     " with administrator rights on the site, so no one but the owner may"
					     " change them (chmod go-w '%s')"),
				 path, (unsigned)(st->st_mode & 07777), path);
		return -1;
	}
	return 0;
}

int trust_path(const char *path, char **err)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		*err = xasprintf(_("cannot check %s: %s"), path, strerror(errno));
		return -1;
	}
	return judge(path, &st, err);
}

int trust_read(const char *path, size_t limit, char **buf, size_t *len, char **err)
{
	*buf = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*err = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
		return -1;
	}
	struct stat st;
	int rc = -1;
	if (fstat(fd, &st) < 0) {
		*err = xasprintf(_("cannot check %s: %s"), path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = xasprintf(_("refusing to run fix scripts: %s is not a regular file"), path);
		goto out;
	}
	if (judge(path, &st, err) < 0)
		goto out;
	if ((size_t)st.st_size > limit) {
		*err = xasprintf(_("%s is larger than %zu bytes"), path, limit);
		goto out;
	}
	strbuf sb = STRBUF_INIT;
	char chunk[8192];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
			sb_release(&sb);
			goto out;
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > limit) {
			*err = xasprintf(_("%s is larger than %zu bytes"), path, limit);
			sb_release(&sb);
			goto out;
		}
		sb_add(&sb, chunk, (size_t)n);
	}
	*len = sb.len;
	*buf = sb.buf ? sb_detach(&sb) : xstrdup("");
	rc = 0;
out:
	close(fd);
	return rc;
}

int trust_script(const char *content_dir, const char *name, char **err)
{
	char *paths[] = {
		xstrdup(content_dir),
		xasprintf("%s/fixes", content_dir),
		xasprintf("%s/fixes/scripts", content_dir),
		xasprintf("%s/fixes/scripts/%s", content_dir, name),
		xasprintf("%s/fixes/scripts/%s/script.yaml", content_dir, name),
		xasprintf("%s/fixes/scripts/%s/apply.ps1", content_dir, name),
		xasprintf("%s/fixes/scripts/%s/undo.ps1", content_dir, name),
		xasprintf("%s/fixes/scripts/%s/capture.ps1", content_dir, name),
	};
	int rc = 0;
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		if (rc == 0 && trust_path(paths[i], err) < 0)
			rc = -1;
		free(paths[i]);
	}
	return rc;
}
