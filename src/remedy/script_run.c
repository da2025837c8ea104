/* script_run.c — the checks every script run passes (see script_run.h). */
#include "config.h"
#include "remedy/script_run.h"
#include "base/i18n.h"
#include "content/trust.h"

#include <stdlib.h>
#include <string.h>

int script_run(target *t, const char *name, script_phase phase, script_type state, const script_param *params,
	       size_t n, const value *undo_state, value *result, char **err)
{
	*result = value_null();
	if (!script_name_ok(name)) {
		*err = xstrdup(_("a script name is [a-z0-9-]"));
		return -1;
	}
	if (!t->ops->run) {
		*err = xasprintf(_("the target %s cannot run fix scripts (its %s connection has no 'run');"
				   " use the fix's console steps instead"),
				 t->spec, t->ops->kind);
		return -1;
	}
	if (phase != SCRIPT_CAPTURE && t->readonly) {
		*err = xasprintf(_("the target %s is read-only"), t->spec);
		return -1;
	}
	if (!t->content_dir) {
		*err = xasprintf(_("the target %s does not know where the fix scripts are"), t->spec);
		return -1;
	}
	if (trust_script(t->content_dir, name, err) < 0)
		return -1;
	char *path = xasprintf("%s/fixes/scripts/%s/%s.ps1", t->content_dir, name, script_phase_name(phase));
	char *text = NULL;
	size_t len = 0;
	int rc = trust_read(path, SCRIPT_MAX_BYTES, &text, &len, err);
	free(path);
	if (rc < 0)
		return -1;
	/* undo gets the captured state as one more parameter, checked like the rest. */
	script_param *all = script_params_copy(params, n);
	size_t nall = n;
	if (phase == SCRIPT_UNDO) {
		all = xrealloc(all, (n + 1) * sizeof *all);
		all[n].name = xstrdup(SCRIPT_STATE_PARAM);
		all[n].type = state;
		all[n].v = undo_state ? value_copy(undo_state) : value_null();
		nall++;
	}
	char *e = NULL;
	if (script_params_check(all, nall, &e) < 0) {
		*err = xasprintf(_("script %s was not run: %s"), name, e);
		free(e);
		rc = -1;
		goto out;
	}
	script_call call = {name, phase, text, len, all, nall, state};
	rc = t->ops->run(t, &call, result, err);
	if (rc == 0 && phase == SCRIPT_CAPTURE && script_value_check(state, result, &e) < 0) {
		*err = xasprintf(_("the capture script of %s returned a state that is not a %s: %s"), name,
				 script_type_name(state), e);
		free(e);
		value_clear(result);
		rc = -1;
	}
	if (rc == 0 && phase != SCRIPT_CAPTURE)
		value_clear(result);
out:
	script_params_free(all, nall);
	free(text);
	return rc;
}
