/* target_agent.c — the agent target: a live site reached through a process that
 * speaks doc/agent-protocol.md on its stdin and stdout.
 *
 * Invariants:
 * - One process per target, started at open and reaped at close. Requests are
 *   strictly one at a time; every line of an answer must carry the request's id.
 * - No call waits without a bound: each request has an idle time-out
 *   (CMHARDEN_AGENT_TIMEOUT, default 30 s, reset by any byte from the agent) and a
 *   total limit of ten times that. Writing is non-blocking and drains the agent's
 *   stdout and stderr meanwhile, so a stalled agent cannot deadlock us.
 * - When the agent dies, stalls or breaks the protocol, it is stopped and the
 *   session is *broken*: that call and every later one fail at once with the same
 *   message. A set whose answer never came is reported as of unknown outcome (the
 *   journal's reconciliation reads the site again before trusting it).
 * - Memory is bounded by agent_proto.h's limits; the agent's stderr is kept as a
 *   bounded tail, shown (sanitised) when it dies.
 * - Script steps: the target has ops->run only when the agent offered `run` in its
 *   hello (otherwise script steps are refused and the console fix is offered).
 *   The script's text, read by script_run() from trusted content, is sent with
 *   the typed parameters; an apply or undo whose answer is lost is of unknown
 *   outcome, like a set. */
#include "config.h"
#include "target/agent_proto.h"
#include "base/i18n.h"
#include "base/sanitize.h"
#include "target/target_agent.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ERRTAIL_MAX 4096
#define TOTAL_FACTOR 10.0
#define BYE_TIMEOUT 2.0

typedef struct agent_impl {
	pid_t pid;
	int to_fd, from_fd, err_fd;
	ap_reader rd;
	strbuf errtail;
	unsigned long next_id;
	double timeout;
	char *name; /* argv[0], for messages */
	char *broken;
	bool reaped, signalled;
	int status;
	char *agent;
	site_info site;
	bool can_batch;
	bool can_probe;
	ap_class *cache; /* prefetched classes, handed out once */
	size_t ncache;
	/* The site systems the last class handed out could not be read on. */
	char *partial_cls, *partial;
} agent_impl;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int agent_timeout(double *seconds, char **err)
{
	const char *s = getenv("CMHARDEN_AGENT_TIMEOUT");
	*seconds = AGENT_TIMEOUT_DEFAULT;
	if (!s || !*s)
		return 0;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !(v >= 0.05 && v <= 86400)) {
		*err = xasprintf(_("CMHARDEN_AGENT_TIMEOUT='%s' is not a number of seconds between 0.05 and 86400"),
				 s);
		return -1;
	}
	*seconds = v;
	return 0;
}

/* Process handling. */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Waits up to `wait` seconds for the agent to exit, then stops it: SIGTERM, one
 * second's grace, SIGKILL. Always reaps it. */
static void reap(agent_impl *A, double wait)
{
	if (A->reaped || A->pid <= 0)
		return;
	int sig = 0;
	double deadline = now_s() + wait;
	for (;;) {
		pid_t r = waitpid(A->pid, &A->status, WNOHANG);
		if (r == A->pid || (r < 0 && errno != EINTR)) {
			A->reaped = true;
			return;
		}
		if (now_s() >= deadline) {
			if (sig == SIGKILL) {
				while (waitpid(A->pid, &A->status, 0) < 0 && errno == EINTR)
					;
				A->reaped = true;
				return;
			}
			sig = sig ? SIGKILL : SIGTERM;
			kill(A->pid, sig);
			A->signalled = true;
			deadline = now_s() + 1.0;
		}
		sleep_ms(5);
	}
}

static void stop(agent_impl *A)
{
	close_fd(&A->to_fd);
	close_fd(&A->from_fd);
	close_fd(&A->err_fd);
	reap(A, 0);
}

static int move_high(int fd)
{
	if (fd >= 3)
		return fd;
	int n = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	return n < 0 ? fd : n;
}

/* Whether execvp() would find the program: 0, or an errno. Checked before the
 * fork so that the usual mistake (a wrong name or path) costs no child process. */
static int find_program(const char *prog)
{
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 ? 0 : errno;
	const char *path = getenv("PATH");
	int found = ENOENT;
	if (!path || !*path)
		path = "/bin:/usr/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		char *full = n ? xasprintf("%.*s/%s", (int)n, path, prog) : xasprintf("./%s", prog);
		if (access(full, X_OK) == 0)
			found = 0;
		else if (errno == EACCES)
			found = EACCES;
		free(full);
		if (!found)
			break;
		path += n + (end ? 1 : 0);
	}
	return found;
}

static int spawn(agent_impl *A, char **argv, char **err)
{
	int perr = find_program(argv[0]);
	if (perr) {
		*err = xasprintf(_("cannot run the agent '%s': %s"), argv[0], strerror(perr));
		return -1;
	}
	int in[2] = {-1, -1}, out[2] = {-1, -1}, er[2] = {-1, -1}, st[2] = {-1, -1};
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(er, O_CLOEXEC) < 0 ||
	    pipe2(st, O_CLOEXEC) < 0) {
		*err = xasprintf(_("cannot create pipes for the agent: %s"), strerror(errno));
		goto fail;
	}
	pid_t pid = fork();
	if (pid < 0) {
		*err = xasprintf(_("cannot start the agent: %s"), strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		/* The child: our pipes become its stdin, stdout and stderr. */
		int i0 = move_high(in[0]), o1 = move_high(out[1]), e2 = move_high(er[1]);
		if (dup2(i0, 0) < 0 || dup2(o1, 1) < 0 || dup2(e2, 2) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		int e = errno;
		ssize_t wr = write(st[1], &e, sizeof e);
		(void)wr;
		_exit(127);
	}
	close_fd(&in[0]);
	close_fd(&out[1]);
	close_fd(&er[1]);
	close_fd(&st[1]);
	A->pid = pid;
	A->to_fd = in[1];
	A->from_fd = out[0];
	A->err_fd = er[0];
	int e = 0;
	ssize_t n;
	while ((n = read(st[0], &e, sizeof e)) < 0 && errno == EINTR)
		;
	close_fd(&st[0]);
	if (n == (ssize_t)sizeof e) {
		*err = xasprintf(_("cannot run the agent '%s': %s"), argv[0], strerror(e));
		stop(A);
		return -1;
	}
	fcntl(A->to_fd, F_SETFL, fcntl(A->to_fd, F_GETFL) | O_NONBLOCK);
	fcntl(A->from_fd, F_SETFL, fcntl(A->from_fd, F_GETFL) | O_NONBLOCK);
	fcntl(A->err_fd, F_SETFL, fcntl(A->err_fd, F_GETFL) | O_NONBLOCK);
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		close_fd(&in[i]);
		close_fd(&out[i]);
		close_fd(&er[i]);
		close_fd(&st[i]);
	}
	return -1;
}

static void keep_stderr(agent_impl *A, const char *buf, size_t n)
{
	sb_add(&A->errtail, buf, n);
	if (A->errtail.len > ERRTAIL_MAX) {
		size_t cut = A->errtail.len - ERRTAIL_MAX / 2;
		memmove(A->errtail.buf, A->errtail.buf + cut, A->errtail.len - cut);
		A->errtail.len -= cut;
		A->errtail.buf[A->errtail.len] = '\0';
	}
}

/* "; it said: ..." with the last non-empty lines of its stderr, sanitised. */
static void add_last_words(agent_impl *A, strbuf *msg)
{
	const char *s = sb_str(&A->errtail);
	size_t len = A->errtail.len;
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
		len--;
	if (!len)
		return;
	size_t from = len > 300 ? len - 300 : 0;
	/* Start at a line boundary if there is one in the window. */
	for (size_t i = from; i < len; i++)
		if (s[i] == '\n' && i + 1 < len && i > from) {
			from = i + 1;
			break;
		}
	strbuf clean = STRBUF_INIT;
	sanitize_append(&clean, s + from, len - from, 0);
	sb_addf(msg, _("; its last words on stderr: %s"), sb_str(&clean));
	sb_release(&clean);
}

/* Ends the session: stops the agent and remembers why, for every later call. */
static int break_session(agent_impl *A, char **err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int break_session(agent_impl *A, char **err, const char *fmt, ...)
{
	va_list ap;
	strbuf msg = STRBUF_INIT;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	/* Collect what is left on its stderr before it goes. */
	if (A->err_fd >= 0) {
		char buf[1024];
		ssize_t n;
		while ((n = read(A->err_fd, buf, sizeof buf)) > 0)
			keep_stderr(A, buf, (size_t)n);
	}
	stop(A);
	add_last_words(A, &msg);
	free(A->broken);
	A->broken = sb_detach(&msg);
	*err = xstrdup(A->broken);
	return -1;
}

static const char *exit_text(agent_impl *A, strbuf *sb)
{
	if (!A->reaped || A->signalled)
		sb_adds(sb, _("closed its output"));
	else if (WIFEXITED(A->status))
		sb_addf(sb, _("exited with status %d"), WEXITSTATUS(A->status));
	else if (WIFSIGNALED(A->status))
		sb_addf(sb, _("was killed by signal %d (%s)"), WTERMSIG(A->status), strsignal(WTERMSIG(A->status)));
	else
		sb_adds(sb, _("stopped"));
	return sb_str(sb);
}

/* One request, one answer. `what` names the request for messages. */
static int roundtrip(target *t, agent_impl *A, const strbuf *req, ap_response *resp, const char *what,
		     bool is_set, char **err)
{
	if (A->broken) {
		*err = xstrdup(A->broken);
		return -1;
	}
	t->round_trips++;
	/* Once the whole request is out, a lost answer leaves a change's outcome unknown. */
	const char *unknown = "";
	size_t woff = 0;
	double start = now_s(), last = start;
	ap_msg m;
	ap_msg_init(&m);
	ap_error pe;
	for (;;) {
		int rc;
		while ((rc = ap_reader_next(&A->rd, &m, &pe)) != 0) {
			if (rc > 0) {
				rc = ap_response_feed(resp, &m, &pe);
				ap_msg_release(&m);
			}
			if (rc < 0) {
				if (pe.col)
					return break_session(A, err,
							     _("the agent (%s) broke the protocol answering %s: line %lu, "
							       "column %zu: %s; it was stopped%s"),
							     A->name, what, pe.line, pe.col, pe.msg, unknown);
				return break_session(A, err,
						     _("the agent (%s) broke the protocol answering %s: line %lu: %s; it "
						       "was stopped%s"),
						     A->name, what, pe.line, pe.msg, unknown);
			}
			if (rc == 1) {
				t->set_outcome_unknown = false;
				return 0;
			}
		}
		double now = now_s();
		double left = fmin(last + A->timeout, start + TOTAL_FACTOR * A->timeout) - now;
		if (left <= 0) {
			if (now - last >= A->timeout)
				return break_session(A, err,
						     _("the agent (%s) did not answer %s for %g s "
						       "(CMHARDEN_AGENT_TIMEOUT); it was stopped%s"),
						     A->name, what, A->timeout, unknown);
			return break_session(A, err,
					     _("the agent (%s) took more than %g s to answer %s (ten times "
					       "CMHARDEN_AGENT_TIMEOUT); it was stopped%s"),
					     A->name, TOTAL_FACTOR * A->timeout, what, unknown);
		}
		struct pollfd pf[3];
		int np = 0, iw = -1, io = -1, ie = -1;
		if (woff < req->len) {
			iw = np;
			pf[np++] = (struct pollfd){A->to_fd, POLLOUT, 0};
		}
		io = np;
		pf[np++] = (struct pollfd){A->from_fd, POLLIN, 0};
		if (A->err_fd >= 0) {
			ie = np;
			pf[np++] = (struct pollfd){A->err_fd, POLLIN, 0};
		}
		int ms = (int)ceil(left * 1000.0);
		/* Someone may cancel a late answer: wait in slices of 100 ms then. */
		if (t->cancelled && ms > 100)
			ms = 100;
		int pr = poll(pf, (nfds_t)np, ms > 0 ? ms : 1);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			return break_session(A, err, _("cannot wait for the agent: %s"), strerror(errno));
		}
		if (pr == 0 && t->cancelled && t->cancelled(t->cancel_ud))
			return break_session(A, err, _("the wait for the agent (%s) answering %s was cancelled; it was stopped%s"),
					     A->name, what, unknown);
		if (iw >= 0 && (pf[iw].revents & (POLLOUT | POLLERR | POLLHUP))) {
			struct sigaction ign, old;
			memset(&ign, 0, sizeof ign);
			ign.sa_handler = SIG_IGN;
			sigemptyset(&ign.sa_mask);
			sigaction(SIGPIPE, &ign, &old);
			ssize_t n = write(A->to_fd, req->buf + woff, req->len - woff);
			int e = errno;
			sigaction(SIGPIPE, &old, NULL);
			if (n > 0) {
				woff += (size_t)n;
				if (is_set && woff == req->len) {
					unknown = _(" (the change may or may not have been made)");
					t->set_outcome_unknown = true;
				}
			} else if (n < 0 && e != EAGAIN && e != EINTR) {
				/* It stopped reading: it is probably gone; its exit says more. */
				reap(A, 1.0);
				strbuf st = STRBUF_INIT;
				exit_text(A, &st);
				int r = break_session(A, err, _("the agent (%s) %s before answering %s%s"), A->name,
						      sb_str(&st), what, unknown);
				sb_release(&st);
				return r;
			}
		}
		if (ie >= 0 && (pf[ie].revents & (POLLIN | POLLHUP | POLLERR))) {
			char buf[4096];
			ssize_t n = read(A->err_fd, buf, sizeof buf);
			if (n > 0) {
				keep_stderr(A, buf, (size_t)n);
				last = now_s();
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				close_fd(&A->err_fd);
			}
		}
		if (pf[io].revents & (POLLIN | POLLHUP | POLLERR)) {
			char buf[65536];
			ssize_t n = read(A->from_fd, buf, sizeof buf);
			if (n > 0) {
				ap_reader_feed(&A->rd, buf, (size_t)n);
				last = now_s();
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				/* End of its output: it is gone (or going). */
				if (A->err_fd >= 0) {
					/* Let its last words arrive. */
					struct pollfd ep = {A->err_fd, POLLIN, 0};
					double until = now_s() + 0.5;
					while (poll(&ep, 1, 50) >= 0 && now_s() < until) {
						ssize_t k = read(A->err_fd, buf, sizeof buf);
						if (k > 0)
							keep_stderr(A, buf, (size_t)k);
						else if (k == 0 || errno != EAGAIN)
							break;
					}
				}
				reap(A, 1.0);
				strbuf st = STRBUF_INIT;
				exit_text(A, &st);
				int r;
				if (resp->bytes || A->rd.len)
					r = break_session(A, err, _("the agent (%s) %s in the middle of answering %s%s"),
							  A->name, sb_str(&st), what, unknown);
				else
					r = break_session(A, err, _("the agent (%s) %s before answering %s%s"), A->name,
							  sb_str(&st), what, unknown);
				sb_release(&st);
				return r;
			}
		}
	}
}

static char *agent_refusal(const ap_response *r, const char *what)
{
	char *clean = sanitize_dup(r->error ? r->error : "", 500);
	char *s = xasprintf(_("the agent could not answer %s: %s (%d %s)"), what, clean, r->code,
			    ap_error_name(r->code));
	free(clean);
	return s;
}

static char *class_refusal(const ap_class *c)
{
	char *clean = sanitize_dup(c->error ? c->error : "", 500);
	char *s = xasprintf(_("the agent could not read %s: %s (%d %s)"), c->cls, clean, c->code,
			    ap_error_name(c->code));
	free(clean);
	return s;
}

/* The ops. */

static int agent_site(target *t, site_info *out, char **err)
{
	agent_impl *A = t->impl;
	(void)err;
	/* The site was learnt in the hello; it costs no round trip. */
	memset(out, 0, sizeof *out);
	char *const *src[] = {&A->site.code, &A->site.name, &A->site.server,
			      &A->site.version, &A->site.build, &A->site.mode};
	char **dst[] = {&out->code, &out->name, &out->server, &out->version, &out->build, &out->mode};
	for (size_t i = 0; i < ARRAY_SIZE(src); i++)
		*dst[i] = *src[i] ? xstrdup(*src[i]) : NULL;
	return 0;
}

static void take_class(agent_impl *A, ap_class *c, objset *out, char **err, int *rc)
{
	free(A->partial_cls);
	free(A->partial);
	A->partial_cls = xstrdup(c->cls);
	A->partial = c->partial ? sanitize_dup(c->partial, 1000) : NULL;
	if (c->code) {
		*err = class_refusal(c);
		*rc = -1;
	} else {
		*out = c->objs;
		objset_init(&c->objs);
		*rc = 0;
	}
}

static const char *agent_partial(target *t, const char *cls)
{
	agent_impl *A = t->impl;
	return A->partial_cls && !strcasecmp(A->partial_cls, cls) ? A->partial : NULL;
}

static void drop_cache(agent_impl *A)
{
	for (size_t i = 0; i < A->ncache; i++) {
		free(A->cache[i].cls);
		objset_release(&A->cache[i].objs);
		free(A->cache[i].error);
		free(A->cache[i].partial);
	}
	free(A->cache);
	A->cache = NULL;
	A->ncache = 0;
}

static int agent_query(target *t, const char *cls, objset *out, char **err)
{
	agent_impl *A = t->impl;
	int rc = -1;
	for (size_t i = 0; i < A->ncache; i++) {
		if (strcasecmp(A->cache[i].cls, cls) != 0)
			continue;
		objset_release(out);
		take_class(A, &A->cache[i], out, err, &rc);
		free(A->cache[i].cls);
		objset_release(&A->cache[i].objs);
		free(A->cache[i].error);
		free(A->cache[i].partial);
		A->cache[i] = A->cache[--A->ncache];
		return rc;
	}
	unsigned long id = A->next_id++;
	strbuf req = STRBUF_INIT;
	ap_begin(&req, "query", id);
	ap_add(&req, cls);
	ap_end(&req);
	ap_response r;
	ap_response_init(&r, AP_REQ_QUERY, id, &cls, 1);
	char *what = xasprintf(_("the query of %s"), cls);
	if (roundtrip(t, A, &req, &r, what, false, err) == 0) {
		if (r.code) {
			*err = agent_refusal(&r, what);
		} else {
			objset_release(out);
			take_class(A, &r.classes[0], out, err, &rc);
		}
	}
	free(what);
	ap_response_release(&r);
	sb_release(&req);
	return rc;
}

static int send_batch(target *t, agent_impl *A, const char *const *classes, size_t n, char **err)
{
	unsigned long id = A->next_id++;
	strbuf req = STRBUF_INIT;
	ap_begin(&req, "batch", id);
	for (size_t i = 0; i < n; i++)
		ap_add(&req, classes[i]);
	ap_end(&req);
	ap_response r;
	ap_response_init(&r, AP_REQ_QUERY, id, classes, n);
	int rc = -1;
	const char *what = _("a batch of queries");
	if (roundtrip(t, A, &req, &r, what, false, err) == 0) {
		if (r.code) {
			*err = agent_refusal(&r, what);
		} else {
			A->cache = xrealloc(A->cache, (A->ncache + r.nclasses) * sizeof *A->cache);
			for (size_t i = 0; i < r.nclasses; i++) {
				A->cache[A->ncache++] = r.classes[i];
				memset(&r.classes[i], 0, sizeof r.classes[i]);
			}
			r.nclasses = 0;
			rc = 0;
		}
	}
	ap_response_release(&r);
	sb_release(&req);
	return rc;
}

static int agent_prefetch(target *t, const char *const *classes, size_t n, char **err)
{
	agent_impl *A = t->impl;
	if (!A->can_batch)
		return 0;
	const char **todo = xcalloc(n ? n : 1, sizeof *todo);
	size_t nt = 0, bytes = 0;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		bool have = false;
		for (size_t j = 0; j < A->ncache && !have; j++)
			have = !strcasecmp(A->cache[j].cls, classes[i]);
		for (size_t j = 0; j < nt && !have; j++)
			have = !strcasecmp(todo[j], classes[i]);
		if (have)
			continue;
		size_t l = strlen(classes[i]) * 3 + 1;
		if (nt && (nt == AP_MAX_BATCH || bytes + l > AP_MAX_LINE / 2)) {
			if ((rc = send_batch(t, A, todo, nt, err)) < 0)
				break;
			nt = bytes = 0;
		}
		todo[nt++] = classes[i];
		bytes += l;
	}
	if (rc == 0 && nt)
		rc = send_batch(t, A, todo, nt, err);
	free(todo);
	return rc;
}

static int agent_get(target *t, const char *cls, const char *key, const char *prop, value *out, char **err)
{
	agent_impl *A = t->impl;
	unsigned long id = A->next_id++;
	strbuf req = STRBUF_INIT;
	ap_begin(&req, "get", id);
	ap_add(&req, cls);
	ap_add(&req, key);
	ap_add(&req, prop);
	ap_end(&req);
	ap_response r;
	ap_response_init(&r, AP_REQ_GET, id, NULL, 0);
	char *what = xasprintf(_("the read of %s '%s' %s"), cls, key, prop);
	int rc = -1;
	if (roundtrip(t, A, &req, &r, what, false, err) == 0) {
		if (r.code) {
			*err = agent_refusal(&r, what);
		} else {
			*out = r.v;
			r.v = value_null();
			rc = 0;
		}
	}
	free(what);
	ap_response_release(&r);
	sb_release(&req);
	return rc;
}

static int agent_set(target *t, const char *cls, const char *key, const char *prop, const value *v,
		     value *prev, char **err)
{
	agent_impl *A = t->impl;
	drop_cache(A); /* what was read ahead may be stale after a change */
	unsigned long id = A->next_id++;
	strbuf req = STRBUF_INIT;
	ap_begin(&req, "set", id);
	ap_add(&req, cls);
	ap_add(&req, key);
	ap_add(&req, prop);
	ap_add_value(&req, v);
	ap_end(&req);
	int rc = -1;
	char *what = xasprintf(_("the change of %s '%s' %s"), cls, key, prop);
	if (req.len > AP_MAX_LINE) {
		*err = xasprintf(_("%s: the value is larger than the protocol's line limit (%u bytes)"), what,
				 AP_MAX_LINE);
		goto out;
	}
	ap_response r;
	ap_response_init(&r, AP_REQ_SET, id, NULL, 0);
	if (roundtrip(t, A, &req, &r, what, true, err) == 0) {
		if (r.code) {
			*err = agent_refusal(&r, what);
		} else {
			*prev = r.v;
			r.v = value_null();
			rc = 0;
		}
	}
	ap_response_release(&r);
out:
	free(what);
	sb_release(&req);
	return rc;
}

/* One phase of a fix script (doc/agent-protocol.md, "run"). script_run() has
 * checked the content's trust, read the text from it and checked every value
 * against its type; the agent checks them again and binds them by name. An
 * apply or undo whose answer never came is of unknown outcome, like a set: the
 * capture that follows fails on the broken session, the change stays planned,
 * and reconciliation runs capture on the next start. */
static int agent_run(target *t, const script_call *call, value *result, char **err)
{
	agent_impl *A = t->impl;
	*result = value_null();
	bool change = call->phase != SCRIPT_CAPTURE;
	if (change)
		drop_cache(A); /* what was read ahead may be stale after a change */
	char *what = xasprintf(_("the %s script of %s"), script_phase_name(call->phase), call->name);
	unsigned long id = A->next_id++;
	strbuf req = STRBUF_INIT;
	int rc = -1;
	if (ap_write_run(&req, id, call) < 0) {
		*err = xasprintf(_("%s: the script is empty"), what);
		goto out;
	}
	if (req.len > AP_MAX_LINE) {
		*err = xasprintf(_("%s: the script and its parameters are larger than the protocol's line limit "
				   "(%u bytes)"),
				 what, AP_MAX_LINE);
		goto out;
	}
	ap_response r;
	ap_response_init(&r, change ? AP_REQ_RUN_CHANGE : AP_REQ_RUN_CAPTURE, id, NULL, 0);
	if (roundtrip(t, A, &req, &r, what, change, err) == 0) {
		if (r.code) {
			*err = agent_refusal(&r, what);
		} else {
			*result = r.v;
			r.v = value_null();
			rc = 0;
		}
	}
	ap_response_release(&r);
out:
	free(what);
	sb_release(&req);
	return rc;
}

/* The agent's account of its data sources (a `probe` request); 0 when it
 * offers none, so the doctor judges from the classes alone. */
static int agent_probe(target *t, probe_result *out, char **err)
{
	agent_impl *A = t->impl;
	if (!A->can_probe)
		return 0;
	unsigned long id = A->next_id++;
	strbuf req = STRBUF_INIT;
	ap_begin(&req, "probe", id);
	ap_end(&req);
	ap_response r;
	ap_response_init(&r, AP_REQ_PROBE, id, NULL, 0);
	const char *what = _("the probe of the data sources");
	int rc = -1;
	if (roundtrip(t, A, &req, &r, what, false, err) == 0) {
		if (r.code) {
			*err = agent_refusal(&r, what);
		} else {
			*out = r.probe;
			probe_init(&r.probe);
			rc = 1;
		}
	}
	ap_response_release(&r);
	sb_release(&req);
	return rc;
}

static void agent_close(target *t)
{
	agent_impl *A = t->impl;
	if (!A)
		return;
	if (!A->broken && A->pid > 0) {
		/* Say goodbye, briefly; then give it a moment to exit on its own. */
		double keep = A->timeout;
		A->timeout = fmin(A->timeout, BYE_TIMEOUT);
		unsigned long id = A->next_id++;
		strbuf req = STRBUF_INIT;
		ap_begin(&req, "bye", id);
		ap_end(&req);
		ap_response r;
		ap_response_init(&r, AP_REQ_BYE, id, NULL, 0);
		char *err = NULL;
		roundtrip(t, A, &req, &r, "bye", false, &err);
		free(err);
		ap_response_release(&r);
		sb_release(&req);
		A->timeout = keep;
		close_fd(&A->to_fd);
		close_fd(&A->from_fd);
		close_fd(&A->err_fd);
		reap(A, BYE_TIMEOUT);
	}
	stop(A);
	drop_cache(A);
	ap_reader_release(&A->rd);
	sb_release(&A->errtail);
	site_info_release(&A->site);
	free(A->agent);
	free(A->partial_cls);
	free(A->partial);
	free(A->name);
	free(A->broken);
	free(A);
	t->impl = NULL;
}

static const target_ops agent_target_ops = {
	.kind = "agent",
	.site = agent_site,
	.query = agent_query,
	.get = agent_get,
	.set = agent_set,
	.close = agent_close,
	.prefetch = agent_prefetch,
	.probe = agent_probe,
	.partial = agent_partial,
};

/* The same, for an agent that offers `run`. */
static const target_ops agent_target_ops_run = {
	.kind = "agent",
	.site = agent_site,
	.query = agent_query,
	.get = agent_get,
	.set = agent_set,
	.run = agent_run,
	.close = agent_close,
	.prefetch = agent_prefetch,
	.probe = agent_probe,
	.partial = agent_partial,
};

int agent_target_open(const char *command, bool shell, const target_watch *w, target **out, char **err)
{
	*out = NULL;
	double timeout;
	if (agent_timeout(&timeout, err) < 0)
		return -1;
	char **argv;
	if (shell) {
		if (!*command) {
			*err = xstrdup(_("the agent command is empty"));
			return -1;
		}
		argv = xcalloc(4, sizeof *argv);
		argv[0] = xstrdup("/bin/sh");
		argv[1] = xstrdup("-c");
		argv[2] = xstrdup(command);
	} else {
		char *e = NULL;
		if (!(argv = ap_split_command(command, &e))) {
			*err = xasprintf(_("%s (in agent:%s)"), e, command);
			free(e);
			return -1;
		}
	}
	agent_impl *A = xcalloc(1, sizeof *A);
	A->to_fd = A->from_fd = A->err_fd = -1;
	A->timeout = timeout;
	A->next_id = 1;
	const char *base = strrchr(argv[shell ? 2 : 0], '/');
	A->name = xstrdup(shell ? "sh" : base ? base + 1 : argv[0]);
	ap_reader_init(&A->rd, AP_MAX_LINE);
	target *t = xcalloc(1, sizeof *t);
	t->ops = &agent_target_ops;
	t->impl = A;
	t->spec = xasprintf("%s:%s", shell ? "agent-shell" : "agent", command);
	if (w) {
		t->cancelled = w->cancelled;
		t->cancel_ud = w->ud;
	}
	int rc = spawn(A, argv, err);
	ap_argv_free(argv);
	if (rc < 0)
		goto fail;
	unsigned long id = A->next_id++;
	strbuf req = STRBUF_INIT;
	ap_begin(&req, "hello", id);
	ap_add_ulong(&req, AP_VERSION);
	ap_add_ulong(&req, AP_VERSION);
	ap_end(&req);
	ap_response r;
	ap_response_init(&r, AP_REQ_HELLO, id, NULL, 0);
	rc = roundtrip(t, A, &req, &r, "hello", false, err);
	sb_release(&req);
	if (rc == 0 && r.code) {
		*err = agent_refusal(&r, "hello");
		rc = -1;
	} else if (rc == 0 && (!r.site.code || !r.site.name || !r.site.server)) {
		*err = xasprintf(_("the agent (%s) did not name the site it serves (its hello lacks the site code, "
				   "name or server)"),
				 A->name);
		rc = -1;
	}
	if (rc < 0) {
		ap_response_release(&r);
		goto fail;
	}
	A->agent = sanitize_dup(r.agent, 200);
	A->site = r.site;
	memset(&r.site, 0, sizeof r.site);
	A->can_batch = ap_response_has_cap(&r, "batch");
	A->can_probe = ap_response_has_cap(&r, "probe");
	if (ap_response_has_cap(&r, "run"))
		t->ops = &agent_target_ops_run;
	if (!ap_response_has_cap(&r, "set")) {
		t->readonly = true;
		t->readonly_why = _("the agent serves it read-only");
	}
	char *code = sanitize_dup(A->site.code, 40), *srv = sanitize_dup(A->site.server, 100);
	t->description = xasprintf(_("site %s on %s through the agent %s (%s)%s"), code, srv, A->agent, command,
				   t->readonly ? _(", read-only") : "");
	free(code);
	free(srv);
	ap_response_release(&r);
	*out = t;
	return 0;
fail:
	/* A failed open leaves nothing running. */
	free(A->broken);
	A->broken = xstrdup("closed");
	target_close(t);
	return -1;
}
