/* outfile.c — output files replaced atomically, special files written in
 * place, never replaced (see outfile.h). */
#include "config.h"
#include "base/outfile.h"
#include "base/i18n.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void outfile_clear(outfile *o)
{
	free(o->path);
	free(o->dest);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

/* A special file: written in place through the descriptor already open. */
static int open_in_place(outfile *o, int fd, const struct stat *st, char **err)
{
	if (!S_ISCHR(st->st_mode) && !S_ISFIFO(st->st_mode)) {
		*err = xasprintf(_("%s is not a regular file, a character device or a fifo; nothing was written"),
				 o->path);
		close(fd);
		return -1;
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		*err = xasprintf(_("cannot write %s: %s"), o->path, strerror(errno));
		close(fd);
		return -1;
	}
	return 0;
}

/* A new file in dest's directory, to be renamed over dest. */
static int open_temp(outfile *o, mode_t mode, char **err)
{
	char *copy = xstrdup(o->dest);
	char *dir = xstrdup(dirname(copy));
	free(copy);
	copy = xstrdup(o->dest);
	o->tmp = xasprintf("%s/.%s.cmharden-XXXXXX", dir, basename(copy));
	free(copy);
	free(dir);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		*err = xasprintf(_("cannot create a file beside %s: %s"), o->dest, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	if (fchmod(fd, mode) < 0 || !(o->f = fdopen(fd, "w"))) {
		*err = xasprintf(_("cannot write %s: %s"), o->tmp, strerror(errno));
		close(fd);
		unlink(o->tmp);
		return -1;
	}
	return 0;
}

int outfile_open(outfile *o, const char *path, unsigned mode, char **err)
{
	memset(o, 0, sizeof *o);
	o->path = xstrdup(path);
	/* Opening without O_CREAT or O_TRUNC changes nothing, and tells what is
	 * there now, through any symbolic links (a pipe behind /dev/stdout has
	 * no name to resolve). */
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (open_in_place(o, fd, &st, err) < 0)
			goto fail;
		return 0;
	}
	if (fd >= 0) {
		close(fd);
		char real[PATH_MAX];
		if (!realpath(path, real)) {
			*err = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
			goto fail;
		}
		if (st.st_nlink > 1) {
			*err = xasprintf(_("%s has %lu hard links; replacing it would split them, so nothing was "
					   "written (remove the other links, or write elsewhere)"),
					 path, (unsigned long)st.st_nlink);
			goto fail;
		}
		o->dest = xstrdup(real);
		if (open_temp(o, st.st_mode & 07777, err) < 0)
			goto fail;
		return 0;
	}
	if (errno == EISDIR) {
		*err = xasprintf(_("%s is a directory; nothing was written"), path);
		goto fail;
	}
	if (errno != ENOENT) {
		*err = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
		goto fail;
	}
	if (lstat(path, &st) == 0) {
		*err = xasprintf(_("%s is a symbolic link to a file that does not exist; nothing was created "
				   "through it"),
				 path);
		goto fail;
	}
	o->dest = xstrdup(path);
	mode_t um = umask(0);
	umask(um);
	if (open_temp(o, (mode_t)mode & 0777 & ~um, err) < 0)
		goto fail;
	return 0;
fail:
	outfile_clear(o);
	return -1;
}

/* Makes a rename durable: the directory entry is synced too. */
static void sync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int outfile_commit(outfile *o, char **err)
{
	int rc = 0;
	bool bad = fflush(o->f) != 0 || ferror(o->f);
	if (o->tmp && !bad && fsync(fileno(o->f)) != 0)
		bad = true;
	int e = errno;
	if (fclose(o->f) != 0 && !bad) {
		bad = true;
		e = errno;
	}
	o->f = NULL;
	if (bad) {
		*err = xasprintf(_("cannot write %s: %s"), o->path, strerror(e));
		rc = -1;
	} else if (o->tmp && rename(o->tmp, o->dest) != 0) {
		*err = xasprintf(_("cannot write %s: %s"), o->path, strerror(errno));
		rc = -1;
	} else if (o->tmp) {
		sync_dir_of(o->dest);
		free(o->tmp);
		o->tmp = NULL;
	}
	if (rc < 0 && o->tmp)
		unlink(o->tmp);
	outfile_clear(o);
	return rc;
}

void outfile_abort(outfile *o)
{
	if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	outfile_clear(o);
}
