/* session_test.c — reopening the target of a core session in place (what the
 * wizard's R does after a cancelled or broken read): the session goes on
 * through a new target, and a reopen that fails leaves the session as it was. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/object.h"
#include "base/util.h"
#include "session/session.h"
#include "testutil.h"

static char *home;

static void setup(void)
{
	home = tu_tempdir();
	setenv("XDG_DATA_HOME", home, 1);
}

static void teardown(void)
{
	tu_rmrf(home);
	free(home);
}

/* The session's target answers a query for the site's one SMS_Site. */
static void reads_the_site(core_session *s)
{
	objset o = {0};
	char *err = NULL;
	cr_assert_eq(target_query(s->t, "SMS_Site", &o, &err), 0, "%s", err ? err : "");
	cr_assert_eq(o.n, 1);
	objset_release(&o);
}

static void open_session(core_session *s, session_opts *o, const char *spec)
{
	memset(o, 0, sizeof *o);
	o->target = (char *)spec;
	session_init(s, o);
	char *err = NULL;
	cr_assert_eq(session_open(s, SESSION_ENGINE, &err), 0, "%s", err ? err : "(content)");
}

TestSuite(session, .init = setup, .fini = teardown);

Test(session, a_reopened_lab_target_is_a_new_target_with_the_site_read_again)
{
	core_session s;
	session_opts o;
	open_session(&s, &o, "lab:default");
	remedy *r = session_remedy(&s); /* as the wizard holds it from its start */
	target *before = s.t;
	cr_assert_str_eq(s.e.site.code, "CON");
	char *err = NULL;
	cr_assert_eq(session_reopen_target(&s, &err), 0, "%s", err ? err : "");
	cr_assert_neq(s.t, before, "the target was not opened afresh");
	cr_assert_eq(s.e.t, s.t, "the engine still reads through the old target");
	cr_assert_eq(r->t, s.t, "the remediation context still holds the closed target");
	cr_assert_eq(r->e, &s.e);
	cr_assert_str_eq(s.e.site.code, "CON", "the site information was not read again");
	cr_assert_str_eq(s.t->spec, "lab:default");
	reads_the_site(&s);
	session_close(&s);
}

Test(session, a_reopen_that_fails_leaves_the_session_as_it_was)
{
	/* An agent that starts once: the site server is gone when it is started again. */
	char *marker = xasprintf("%s/started", home);
	const char *cmh = getenv("CMHARDEN");
	cr_assert(cmh && *cmh, "CMHARDEN is not set (tests/Makefile.inc sets it)");
	char *spec = xasprintf("agent-shell:if [ -e '%s' ]; then echo 'no route to host' >&2; exit 1; fi; "
			       ": >'%s'; exec '%s' agent --lab default",
			       marker, marker, cmh);
	core_session s;
	session_opts o;
	open_session(&s, &o, spec);
	target *before = s.t;
	char *err = NULL;
	cr_assert_eq(session_reopen_target(&s, &err), -1, "the second agent could not have started");
	cr_assert(err && *err, "a failed reopen says why");
	cr_assert_eq(s.t, before, "the session lost its target");
	cr_assert_eq(s.e.t, before);
	cr_assert_str_eq(s.e.site.code, "CON");
	reads_the_site(&s);
	free(err);
	session_close(&s);
	free(spec);
	free(marker);
}

static int asked;

static bool cancel_at_once(void *ud)
{
	(void)ud;
	asked++;
	return true;
}

Test(session, the_old_targets_cancel_hook_watches_the_new_agents_hello)
{
	/* Started again, the agent hangs before its hello (a site server that hangs). */
	char *marker = xasprintf("%s/started", home);
	const char *cmh = getenv("CMHARDEN");
	cr_assert(cmh && *cmh, "CMHARDEN is not set (tests/Makefile.inc sets it)");
	char *spec = xasprintf("agent-shell:if [ -e '%s' ]; then exec sleep 60; fi; : >'%s'; exec '%s' agent --lab default",
			       marker, marker, cmh);
	core_session s;
	session_opts o;
	open_session(&s, &o, spec);
	target *before = s.t;
	s.t->cancelled = cancel_at_once;
	asked = 0;
	char *err = NULL;
	cr_assert_eq(session_reopen_target(&s, &err), -1, "the hello never came");
	cr_assert_gt(asked, 0, "the wait for the new agent's hello was not watched");
	cr_assert(err && strstr(err, "cancelled"), "%s", err ? err : "(no message)");
	cr_assert_eq(s.t, before, "the session lost its target");
	free(err);
	s.t->cancelled = NULL;
	session_close(&s);
	free(spec);
	free(marker);
}

Test(session, without_a_target_there_is_nothing_to_reopen)
{
	session_opts o = {0};
	core_session s;
	session_init(&s, &o);
	char *err = NULL;
	cr_assert_eq(session_reopen_target(&s, &err), -1);
	cr_assert(err && strstr(err, "no target"), "%s", err ? err : "(no message)");
	free(err);
	session_close(&s);
}
