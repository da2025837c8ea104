/* session.c — opening what a command needs, with the defaults decided once. */
#include "config.h"
#include "session/session.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "base/util.h"
#include "target/target_lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *session_target_spec(const session_opts *o)
{
	return o->target && *o->target ? o->target : SESSION_DEFAULT_TARGET;
}

char *session_content_dir(const session_opts *o)
{
	return o->content ? xstrdup(o->content) : content_dir();
}

char *session_journal_path(const session_opts *o, char **err)
{
	return o->journal ? xstrdup(o->journal) : journal_default_path(err);
}

int session_load_catalog(const session_opts *o, catalog *cat)
{
	char *dir = session_content_dir(o);
	diags d;
	diags_init(&d);
	int r = catalog_load(cat, dir, &d);
	if (r == 0)
		catalog_limit_scope(cat, (catalog_scope)o->scope);
	if (r < 0) {
		diags_print(&d, stderr);
		fprintf(stderr, _("cmharden: the content in %s is not valid (run 'cmharden content lint')\n"),
			dir);
		catalog_release(cat);
	}
	diags_release(&d);
	free(dir);
	return r;
}

/* Loads the fixes for a loaded catalog; prints problems and returns -1 if invalid. */
static int session_load_fixes(const catalog *cat, fixset *fixes)
{
	diags d;
	diags_init(&d);
	int r = fixes_load(fixes, cat->dir, cat, &d);
	if (r < 0) {
		diags_print(&d, stderr);
		fprintf(stderr, _("cmharden: the fixes in %s are not valid (run 'cmharden content lint')\n"),
			cat->dir);
		fixes_release(fixes);
	}
	diags_release(&d);
	return r;
}

int session_open_target(const char *spec, const char *content_dir, const catalog *cat, target **t, engine *e,
			char **err)
{
	if (target_open(spec, content_dir, t, err) < 0)
		return -1;
	if (e && engine_init(e, *t, cat, err) < 0) {
		char *why = *err;
		*err = xasprintf(_("cannot read the site information: %s"), why);
		free(why);
		return -1;
	}
	return 0;
}

int session_open_journal(const session_opts *o, bool create, journal **j, char **err)
{
	*j = NULL;
	char *path = session_journal_path(o, err);
	if (!path)
		return -1;
	int rc = 0;
	struct stat st;
	if (create)
		rc = journal_open(path, j, err);
	else if (lstat(path, &st) == 0) /* a symlink too: journal_open_existing refuses it */
		rc = journal_open_existing(path, j, err);
	free(path);
	return rc;
}

int session_open_lab_readonly(const char *content_dir, const char *name, const char *data_dir, const catalog *cat,
			      target **t, engine *e, char **err)
{
	*t = NULL;
	if (lab_target_open_at(content_dir, name, data_dir, true, t, err) < 0)
		return -1;
	return engine_init(e, *t, cat, err);
}

int session_open_journal_readonly(const char *path, journal **j, char **err)
{
	*j = NULL;
	if (access(path, F_OK) != 0)
		return 0;
	return journal_open_readonly(path, j, err);
}

void session_init(core_session *s, const session_opts *o)
{
	memset(s, 0, sizeof *s);
	s->o = o;
	s->tspec = session_target_spec(o);
}

/* What a need brings with it. */
static unsigned closure(unsigned needs)
{
	if (needs & SESSION_ENGINE)
		needs |= SESSION_CONTENT | SESSION_TARGET;
	if (needs & SESSION_FIXES)
		needs |= SESSION_CONTENT;
	if (needs & SESSION_RECONCILE)
		needs |= SESSION_TARGET | (needs & SESSION_JOURNAL_READ ? 0 : SESSION_JOURNAL);
	return needs;
}

static int open_content(core_session *s, unsigned needs, char **err)
{
	*err = NULL;
	if ((needs & SESSION_CONTENT) && !(s->open & SESSION_CONTENT)) {
		if (session_load_catalog(s->o, &s->cat) < 0)
			return -1;
		s->open |= SESSION_CONTENT;
	}
	if ((needs & SESSION_FIXES) && !(s->open & SESSION_FIXES)) {
		if (session_load_fixes(&s->cat, &s->fixes) < 0)
			return -1;
		s->open |= SESSION_FIXES;
	}
	return 0;
}

static int open_target(core_session *s, unsigned needs, char **err)
{
	if ((needs & SESSION_TARGET) && !s->t) {
		/* Without the checklist (undo), scripts are still read from the content. */
		char *dir = s->open & SESSION_CONTENT ? NULL : session_content_dir(s->o);
		int rc = target_open(s->tspec, dir ? dir : s->cat.dir, &s->t, err);
		free(dir);
		if (rc < 0)
			return -1;
		s->open |= SESSION_TARGET;
	}
	if ((needs & SESSION_ENGINE) && !(s->open & SESSION_ENGINE)) {
		if (engine_init(&s->e, s->t, &s->cat, err) < 0) {
			char *why = *err;
			*err = xasprintf(_("cannot read the site information: %s"), why);
			free(why);
			return -1;
		}
		s->open |= SESSION_ENGINE;
	}
	return 0;
}

static int open_journal(core_session *s, unsigned needs, char **err)
{
	if (s->j || !(needs & (SESSION_JOURNAL | SESSION_JOURNAL_READ)))
		return 0;
	if (session_open_journal(s->o, needs & SESSION_JOURNAL, &s->j, err) < 0)
		return -1;
	if (s->j)
		s->open |= SESSION_JOURNAL;
	return 0;
}

static int reconcile(core_session *s, char **err)
{
	jchanges_free(s->unresolved, s->nunresolved);
	s->unresolved = NULL;
	s->nunresolved = 0;
	if (!s->j)
		return 0;
	reconcile_report rep;
	if (remedy_reconcile(session_remedy(s), &rep, &s->unresolved, &s->nunresolved, err) < 0)
		return -1;
	s->recovered.applied += rep.applied;
	s->recovered.not_applied += rep.not_applied;
	s->recovered.conflicts += rep.conflicts;
	return 0;
}

int session_open(core_session *s, unsigned needs, char **err)
{
	*err = NULL;
	needs = closure(needs);
	if (open_content(s, needs, err) < 0 || open_target(s, needs, err) < 0 || open_journal(s, needs, err) < 0)
		return -1;
	if (needs & SESSION_RECONCILE)
		return reconcile(s, err);
	return 0;
}

int session_reopen_target(core_session *s, char **err)
{
	*err = NULL;
	if (!s->t) {
		*err = xstrdup(_("no target is open"));
		return -1;
	}
	char *dir = s->open & SESSION_CONTENT ? NULL : session_content_dir(s->o);
	target *t = NULL;
	/* The new target is watched as the old one was (the wizard's Esc), from its hello on. */
	target_watch w = {s->t->cancelled, s->t->cancel_ud};
	int rc = target_open_watched(s->tspec, dir ? dir : s->cat.dir, &w, &t, err);
	free(dir);
	if (rc < 0)
		return -1;
	if (s->open & SESSION_ENGINE) {
		engine e;
		if (engine_init(&e, t, &s->cat, err) < 0) {
			char *why = *err;
			*err = xasprintf(_("cannot read the site information: %s"), why);
			free(why);
			engine_release(&e);
			target_close(t);
			return -1;
		}
		engine_release(&s->e);
		s->e = e;
	}
	target_close(s->t);
	s->t = t;
	/* The remediation context (held by the wizard from its start) must not
	 * keep the target just closed. */
	session_remedy(s);
	return 0;
}

remedy *session_remedy(core_session *s)
{
	s->r.cat = s->open & SESSION_CONTENT ? &s->cat : NULL;
	s->r.fixes = s->open & SESSION_FIXES ? &s->fixes : NULL;
	s->r.t = s->t;
	s->r.tspec = s->tspec;
	s->r.e = s->open & SESSION_ENGINE ? &s->e : NULL;
	s->r.j = s->j;
	return &s->r;
}

void session_close(core_session *s)
{
	jchanges_free(s->unresolved, s->nunresolved);
	remedy_unlock(&s->r);
	journal_close(s->j);
	if (s->open & SESSION_ENGINE)
		engine_release(&s->e);
	target_close(s->t);
	if (s->open & SESSION_FIXES)
		fixes_release(&s->fixes);
	if (s->open & SESSION_CONTENT)
		catalog_release(&s->cat);
	memset(s, 0, sizeof *s);
}
