/* lock.c — one writer per journal and per site (see lock.h). */
#include "config.h"
#include "journal/lock.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "base/sha256.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct jlock {
	int fd[2]; /* the journal's lock, the site's (-1 when none) */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double default_wait(void)
{
	const char *e = getenv("CMHARDEN_LOCK_WAIT");
	char *end;
	double v = e && *e ? strtod(e, &end) : 10;
	return e && *e && (*end || v < 0 || v > 86400) ? 10 : v;
}

static const char *user_name(void)
{
	const char *u = getenv("USER");
	if (u && *u)
		return u;
	struct passwd *pw = getpwuid(geteuid());
	return pw ? pw->pw_name : "?";
}

/* Who holds the lock, as its holder wrote it; "" when it has not yet. */
static char *holder_text(int fd)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return xstrdup(_("another process"));
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	/* The file is ours (0600), but a command line may hold anything. */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return xstrdup(buf);
}

/* Opens a lock file without following a symlink; 0600, never truncated by
 * a waiter (only the holder rewrites it). */
static int lock_open(const char *path, char **err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		*err = xasprintf(_("cannot open the lock %s: %s"), path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		*err = xasprintf(_("the lock %s is not a regular file of this user; it was not used"), path);
		close(fd);
		return -1;
	}
	return fd;
}

static void write_holder(int fd, const char *command)
{
	char since[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", &tm);
	char *s = xasprintf(_("pid %ld, user %s, 'cmharden %s', since %s\n"), (long)getpid(), user_name(),
			    command ? command : "", since);
	if (ftruncate(fd, 0) == 0 && pwrite(fd, s, strlen(s), 0) < 0) {
		/* Only for others' information: the lock holds without it. */
	}
	free(s);
}

/* Takes one lock, waiting until `deadline`. 0 held, -1 with *err. */
static int take(const char *path, const char *what, const char *command, double wait_s, double deadline,
		jlock_wait_fn waiting, void *ctx, int *fdout, int *busy, char **err)
{
	int fd = lock_open(path, err);
	if (fd < 0)
		return -1;
	bool told = false;
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			*err = xasprintf(_("cannot lock %s: %s"), path, strerror(errno));
			close(fd);
			return -1;
		}
		*busy = 1;
		if (!told && waiting && wait_s > 0) {
			char *h = holder_text(fd);
			waiting(what, h, wait_s, ctx);
			free(h);
			told = true;
		}
		if (now_s() >= deadline) {
			char *h = holder_text(fd);
			*err = xasprintf(_("%s is in use by another cmharden (%s); try again when it has finished"),
					 what, h);
			free(h);
			close(fd);
			return -1;
		}
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
	write_holder(fd, command);
	*fdout = fd;
	return 0;
}

/* data_dir()/locks/site-HASH.lock: the identity hashed, so any text makes a
 * file name. */
static char *site_lock_path(const char *identity, char **err)
{
	char *dir = data_dir(err);
	if (!dir)
		return NULL;
	char *locks = xasprintf("%s/locks", dir);
	free(dir);
	if (mkdir(locks, 0700) < 0 && errno != EEXIST) {
		*err = xasprintf(_("cannot create %s: %s"), locks, strerror(errno));
		free(locks);
		return NULL;
	}
	char hex[65];
	sha256_hex(identity, strlen(identity), hex);
	hex[24] = 0;
	char *p = xasprintf("%s/site-%s.lock", locks, hex);
	free(locks);
	return p;
}

int jlock_acquire(const char *jpath, const char *identity, const char *command, double wait_s,
		  jlock_wait_fn waiting, void *ctx, jlock **out, int *busy, char **err)
{
	*busy = 0;
	if (wait_s < 0)
		wait_s = default_wait();
	double deadline = now_s() + wait_s;
	jlock *l = xcalloc(1, sizeof *l);
	l->fd[0] = l->fd[1] = -1;
	/* Always the journal first, then the site: two writers never wait on each other. */
	char *jl = xasprintf("%s.lock", jpath);
	char *jwhat = xasprintf(_("the journal %s"), jpath);
	int rc = take(jl, jwhat, command, wait_s, deadline, waiting, ctx, &l->fd[0], busy, err);
	free(jl);
	free(jwhat);
	if (rc == 0 && identity) {
		char *sl = site_lock_path(identity, err);
		char *swhat = xasprintf(_("the site %s"), identity);
		rc = sl ? take(sl, swhat, command, wait_s, deadline, waiting, ctx, &l->fd[1], busy, err) : -1;
		free(sl);
		free(swhat);
	}
	if (rc < 0) {
		jlock_release(l);
		return -1;
	}
	*out = l;
	return 0;
}

void jlock_release(jlock *l)
{
	if (!l)
		return;
	for (int i = 1; i >= 0; i--)
		if (l->fd[i] >= 0)
			close(l->fd[i]); /* closing the last descriptor drops the flock */
	free(l);
}
