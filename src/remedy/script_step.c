/* script_step.c — script steps under the write-ahead protocol (see
 * script_step.h and doc/journal.md).
 *
 * Order of one change, each journal write its own committed transaction:
 *   capture -> before                      (site unchanged)
 *   journal: planned(params, before, expected after)
 *   apply                                  (site changes)
 *   capture -> after
 *   journal: applied(after) | failed | conflict(observed)
 * A crash anywhere leaves either no row (nothing ran) or a planned row with
 * everything reconciliation needs to run capture again and decide. If the
 * capture after apply fails, the change stays planned and the caller stops:
 * its outcome is decided on the next start, like a crash. */
#include "config.h"
#include "remedy/script_step.h"
#include "base/i18n.h"
#include "remedy/script_run.h"
#include "content/trust.h"
#include "content/content_i18n.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The crash-test hook of cmd_fix.c (doc/journal.md), at the same points. */
static void crash_point(const char *point)
{
	const char *at = getenv("CMHARDEN_CRASH_AT");
	if (at && !strcmp(at, point)) {
		fflush(NULL);
		raise(SIGKILL);
	}
}

void script_item_release(script_item *it)
{
	script_params_free(it->params, it->nparams);
	value_clear(&it->before);
	value_clear(&it->after);
	memset(it, 0, sizeof *it);
}

/* The state apply is expected to leave, when the manifest declares it. */
static value expected_after(const script_def *sd, const script_param *p, size_t n, const value *before)
{
	const script_param *rm = sd->after_remove ? script_params_find(p, n, sd->after_remove) : NULL;
	const script_param *to = sd->after_value ? script_params_find(p, n, sd->after_value) : NULL;
	return rm ? script_state_remove(before, &rm->v) : to ? value_copy(&to->v) : value_null();
}

/* The operator's value of an `ask` parameter: every --param of that name. */
static int asked(const script_bind *b, const script_arg *args, size_t nargs, value *out, char **why)
{
	size_t given = 0;
	*out = value_null();
	if (script_type_is_list(b->type))
		out->kind = V_LIST;
	for (size_t i = 0; i < nargs; i++) {
		if (!str_ieq(args[i].name, b->name))
			continue;
		given++;
		if (script_type_is_list(b->type)) {
			value_list_push(out, args[i].text);
		} else if (given > 1) {
			*why = xasprintf(_("parameter %s is given more than once (it is a %s, not a list)"), b->name,
					 script_type_name(b->type));
			return -1;
		} else if (script_value_parse(b->type, args[i].text, out, why) < 0) {
			char *e = *why;
			*why = xasprintf(_("parameter %s (%s): %s"), b->name, script_type_name(b->type), e);
			free(e);
			return -1;
		}
	}
	if (!given) {
		*why = xasprintf(_("parameter %s is for you to give: --param %s=VALUE (%s)"), b->name, b->name,
				 b->ask ? content_text(b->ask) : script_type_name(b->type));
		return -1;
	}
	return 0;
}

int script_step_plan(target *t, const char *fix_file, const fix_step *s, const object *o, const script_arg *args,
		     size_t nargs, script_item *it, char **why)
{
	memset(it, 0, sizeof *it);
	const script_def *sd = s->script;
	/* Every file the step depends on is judged now, so a fix is refused
	 * whole rather than failing at its apply. */
	if ((fix_file && trust_path(fix_file, why) < 0) ||
	    (t->content_dir && trust_script(t->content_dir, sd->name, why) < 0))
		return -1;
	it->params = xcalloc(s->nbinds ? s->nbinds : 1, sizeof *it->params);
	for (size_t i = 0; i < s->nbinds; i++) {
		const script_bind *b = &s->binds[i];
		script_param *p = &it->params[it->nparams++];
		p->name = xstrdup(b->name);
		p->type = b->type;
		if (b->src == BIND_VALUE) {
			p->v = value_copy(&b->v);
			continue;
		}
		if (b->src == BIND_ASK) {
			if (asked(b, args, nargs, &p->v, why) < 0)
				return -1;
			continue;
		}
		const value *v = object_get(o, b->from);
		if (!v) {
			*why = xasprintf(_("parameter %s: the object has no property %s"), b->name, b->from);
			return -1;
		}
		p->v = value_copy(v);
	}
	char *e = NULL;
	if (script_params_check(it->params, it->nparams, &e) < 0) {
		*why = xasprintf(_("script %s was not run: %s"), sd->name, e);
		free(e);
		return -1;
	}
	if (script_run(t, sd->name, SCRIPT_CAPTURE, sd->state, it->params, it->nparams, NULL, &it->before, why) < 0)
		return -1;
	it->after = expected_after(sd, it->params, it->nparams, &it->before);
	if (it->after.kind != V_NULL && script_state_equal(&it->before, &it->after)) {
		*why = xstrdup(_("already in the state the script leaves"));
		return 1;
	}
	return 0;
}

int script_step_apply(journal *j, target *t, int64_t run, const char *cls, const char *key, const fix_step *s,
		      const script_item *it, char **why, char **err)
{
	const script_def *sd = s->script;
	/* The before-state is captured now, not taken from the preview: it is
	 * what undo will restore. */
	value before = VALUE_NULL, after = VALUE_NULL, now = VALUE_NULL, none = VALUE_NULL;
	if (script_run(t, sd->name, SCRIPT_CAPTURE, sd->state, it->params, it->nparams, NULL, &before, why) < 0)
		return 1;
	after = expected_after(sd, it->params, it->nparams, &before);
	int64_t id = journal_script_plan(j, run, cls, key, sd->name, sd->state, it->params, it->nparams, &before,
					 &after, 0, err);
	int rc = -1;
	if (id < 0)
		goto out;
	crash_point("after-plan");
	int ran = script_run(t, sd->name, SCRIPT_APPLY, sd->state, it->params, it->nparams, NULL, &none, why);
	crash_point("after-set");
	char *cerr = NULL;
	if (script_run(t, sd->name, SCRIPT_CAPTURE, sd->state, it->params, it->nparams, NULL, &now, &cerr) < 0) {
		*err = xasprintf(_("change %lld: the state after the script cannot be read (%s); it stays planned"
				   " and is decided on the next start"),
				 (long long)id, cerr);
		free(cerr);
		goto out;
	}
	if (ran == 0) {
		rc = journal_change_mark(j, id, CH_APPLIED, &now, err) < 0 ? -1 : 0;
	} else if (script_state_equal(&now, &before)) {
		rc = journal_change_mark(j, id, CH_FAILED, NULL, err) < 0 ? -1 : 1;
	} else {
		/* It failed part way: what it left is not what anyone planned. */
		rc = journal_change_mark(j, id, CH_CONFLICT, &now, err) < 0 ? -1 : 1;
		char *w = *why;
		*why = xasprintf(_("%s; it changed part of the state, so change %lld is in conflict (compare with"
				   " the site, then run 'cmharden journal resolve %lld')"),
				 w ? w : _("the script failed"), (long long)id, (long long)id);
		free(w);
	}
	crash_point("after-mark");
out:
	value_clear(&before);
	value_clear(&after);
	value_clear(&now);
	value_clear(&none);
	return rc;
}

int script_step_undo(journal *j, target *t, const jchange *ch, int64_t run, bool force, script_undo_outcome *out,
		     value *now, char **why, char **err)
{
	*now = value_null();
	*why = NULL;
	if (script_run(t, ch->prop, SCRIPT_CAPTURE, ch->state_type, ch->params, ch->nparams, NULL, now, why) < 0) {
		*out = SUNDO_UNREADABLE;
		return 0;
	}
	if (script_state_equal(now, &ch->before)) {
		*out = SUNDO_ALREADY;
		return journal_change_mark(j, ch->id, CH_UNDONE, NULL, err) < 0 ? -1 : 0;
	}
	if (!script_state_equal(now, &ch->after) && !force) {
		*out = SUNDO_DRIFTED;
		return 0;
	}
	int64_t id = journal_script_plan(j, run, ch->cls, ch->key, ch->prop, ch->state_type, ch->params, ch->nparams,
					 now, &ch->before, ch->id, err);
	if (id < 0)
		return -1;
	crash_point("undo-after-plan");
	value none = VALUE_NULL, back = VALUE_NULL;
	int ran = script_run(t, ch->prop, SCRIPT_UNDO, ch->state_type, ch->params, ch->nparams, &ch->before, &none,
			     why);
	crash_point("undo-after-set");
	value_clear(&none);
	char *cerr = NULL;
	if (script_run(t, ch->prop, SCRIPT_CAPTURE, ch->state_type, ch->params, ch->nparams, NULL, &back, &cerr) < 0) {
		*err = xasprintf(_("change %lld: the state after the undo script cannot be read (%s); it stays"
				   " planned and is decided on the next start"),
				 (long long)id, cerr);
		free(cerr);
		return -1;
	}
	int rc;
	if (ran == 0) {
		*out = SUNDO_RESTORED;
		rc = journal_change_mark(j, id, CH_APPLIED, &back, err);
	} else if (script_state_equal(&back, now)) {
		*out = SUNDO_FAILED;
		rc = journal_change_mark(j, id, CH_FAILED, NULL, err);
	} else {
		*out = SUNDO_CONFLICT;
		rc = journal_change_mark(j, id, CH_CONFLICT, &back, err);
		char *w = *why;
		*why = xasprintf(_("%s; it changed part of the state, so change %lld is in conflict (compare with"
				   " the site, then run 'cmharden journal resolve %lld')"),
				 w ? w : _("the undo script failed"), (long long)id, (long long)id);
		free(w);
	}
	value_clear(&back);
	return rc < 0 ? -1 : 0;
}
