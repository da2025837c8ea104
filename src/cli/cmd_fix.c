/* cmd_fix.c — `cmharden fix`: the command-line front end of remedy.h, which
 * plans and applies (undo, journal, attest and waive have their own files).
 *
 * Invariants:
 *   - nothing is written to the target without --yes; a preview and --dry-run
 *     do not open the journal at all, so they cannot write to it either;
 *   - before the first change of a command, the journal is reconciled with
 *     the target and the command refuses to go on while any change of the
 *     target is planned or in conflict;
 *   - every target_set() is preceded by a committed `planned` change and
 *     followed by applied/failed; CMHARDEN_CRASH_AT kills the process between
 *     them, for the crash tests (doc/journal.md); script steps keep the same
 *     protocol (script_step.c);
 *   - a fix with a script step whose parameters do not pass their types, or
 *     whose content others could change, is refused whole before anything
 *     runs; `fix --failing` goes on with the other fixes;
 *   - after a fix is applied its check is re-run and the verdict journaled;
 *   - undo never overwrites a value that drifted from what we set, unless
 *     --force. */
#include "config.h"
#include "content/value_names.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "content/catalog.h"
#include "cli/cli.h"
#include "check/engine.h"
#include "content/fix.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "journal/journal.h"
#include "base/json.h"
#include "remedy/remedy.h"
#include "base/sanitize.h"
#include "session/session.h"
#include "target/target.h"
#include "cli/cli_change.h"

typedef core_session ctx;

/* ---------- the planner (remedy.h) ---------- */

static int build_plan(ctx *c, const fix *f, char **objects, size_t nobj, plan *p)
{
	char *err = NULL;
	if (remedy_plan(session_remedy(c), f, objects, nobj, p, &err) < 0) {
		for (size_t i = 0; p->refused > 1 && i < p->n; i++) {
			if (!p->items[i].refused)
				continue;
			char *k = sanitize_dup(p->items[i].key, 0), *w = sanitize_dup(p->items[i].skip, 0);
			fprintf(stderr, _("cmharden: %s '%s': %s\n"), plan_item_class(p, &p->items[i]), k, w);
			free(k);
			free(w);
		}
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return p->refused ? -2 : -1;
	}
	return 0;
}

static void print_item(const plan *p, const plan_item *it)
{
	char *key = sanitize_dup(it->key, 0);
	if (it->skip) {
		char *why = sanitize_dup(it->skip, 300);
		printf(_("    %-24s left alone: %s\n"), key, why);
		free(why);
	} else {
		strbuf b = STRBUF_INIT, a = STRBUF_INIT;
		/* A set step's property is of the check's probe class: its names apply. */
		const char *cls = it->script ? NULL : plan_item_class(p, it);
		const char *prop = it->script ? NULL : it->step->path;
		value_format_named(cls, prop, &it->before, &b);
		if (it->script && it->after.kind == V_NULL)
			sb_adds(&a, _("(as the script leaves it)"));
		else
			value_format_named(cls, prop, &it->after, &a);
		char *bs = sanitize_dup(sb_str(&b), 200), *as = sanitize_dup(sb_str(&a), 200);
		printf("    %-24s %s: %s -> %s\n", key, it->script ? _("state") : it->step->path, bs, as);
		free(bs);
		free(as);
		sb_release(&b);
		sb_release(&a);
		for (size_t i = 0; it->script && i < it->script->nparams; i++) {
			const script_param *sp = &it->script->params[i];
			strbuf v = STRBUF_INIT;
			value_format(&sp->v, &v);
			char *vs = sanitize_dup(sb_str(&v), 300);
			printf("      %s = %s\n", sp->name, vs);
			free(vs);
			sb_release(&v);
		}
	}
	free(key);
	(void)p;
}

static void print_plan(const plan *p)
{
	printf(_("Fix %s: %s\n"), p->f->id, content_text(p->f->title));
	if (fix_is_chosen(p->f, p->k))
		printf(_("  for check %s (an attestation check: it changes the objects you chose)\n"), p->k->id);
	else
		printf(_("  for check %s: %s (%zu of %zu objects offend)\n"), p->k->id, _(status_name(p->res.status)),
		       p->res.offending, p->res.examined);
	if (p->f->note)
		printf("  %s\n", content_text(p->f->note));
	if (remedy_fix_effect_note(p->f, p->k))
		printf("  %s\n", remedy_fix_effect_note(p->f, p->k));
	for (size_t s = 0; s < p->f->nsteps; s++) {
		const fix_step *st = &p->f->steps[s];
		if (st->kind == STEP_MANUAL) {
			printf(_("  step %zu (manual, in the console): %s\n    %s\n"), s + 1, content_text(st->console),
			       content_text(st->instructions));
			continue;
		}
		if (st->kind == STEP_SCRIPT)
			printf(_("  step %zu: script %s on %s (%s)\n"), s + 1, st->script->name, st->script->cls,
			       content_text(st->script->title));
		else
			printf(_("  step %zu: set %s of %s\n"), s + 1, st->path, p->k->probe->cls);
		for (size_t i = 0; i < p->n; i++)
			if (p->items[i].step == st)
				print_item(p, &p->items[i]);
	}
}

/* ---------- applying ---------- */

/* Applies a plan, re-runs the check and journals the verdict. 0 pass, 1 still failing, -1 error. */
static int apply_plan(ctx *c, plan *p)
{
	char *err = NULL;
	int64_t run = remedy_run_begin(session_remedy(c), p, &err);
	if (run < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	size_t failed = 0, done = 0;
	for (size_t i = 0; i < p->n; i++) {
		plan_item *it = &p->items[i];
		if (it->skip)
			continue;
		int r = remedy_apply_item(session_remedy(c), p, it, run, &err);
		if (r < 0) {
			fprintf(stderr,
				_("cmharden: the journal cannot record the change, so nothing more is changed: %s\n"),
				err);
			free(err);
			return -1;
		}
		if (r > 0) {
			char *k = sanitize_dup(it->key, 0);
			char *e = sanitize_dup(it->error, 0);
			fprintf(stderr, _("cmharden: cannot change %s '%s': %s\n"), plan_item_class(p, it), k, e);
			free(e);
			free(k);
			failed++;
		}
		done++;
	}
	result after;
	int rc = remedy_run_finish(session_remedy(c), p, run, failed, &after, &err);
	if (rc < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
	} else {
		printf(_("  applied %zu change(s)%s; %s re-checked: %s\n"), done - failed,
		       failed ? _(" (some failed)") : "", p->k->id, status_name(after.status));
		/* A change the site refused is an error (2); a check that still fails
		 * after every change went in is a finding (1). The fix of an
		 * attestation check leaves the verdict to the operator. */
		/* A fail-or-ask check whose automated part no longer finds a violation
		 * now asks the operator: the fix did what it could. */
		bool settled = after.status == ST_PASS ||
			       (p->k->fail_or_ask && after.status == ST_NEEDS_ATTESTATION);
		rc = failed ? 2 : settled || fix_is_chosen(p->f, p->k) ? 0 : 1;
	}
	result_release(&after);
	return rc;
}

/* ---------- cmharden fix ---------- */

static int fix_help(void)
{
	puts(_("Usage: cmharden [--target T] fix ID [--objects KEY,...] [--param NAME=VALUE]... [--dry-run] [--yes]\n"
	       "       cmharden [--target T] fix --failing [--dry-run] [--yes]\n"
	       "Remediate a failing check with one of its fixes (see 'cmharden list' and\n"
	       "fixes/). Every step is previewed: object, property, before -> after.\n\n"
	       "  -o, --objects=KEYS  only these offending objects (comma-separated keys); for\n"
	       "                      the fix of an attestation check, the objects you choose\n"
	       "                      from its evidence\n"
	       "  -p, --param=N=V     a value for a parameter the fix asks you for (repeat it\n"
	       "                      for each item of a list)\n"
	       "  -n, --dry-run       preview and count the values that would change\n"
	       "  -y, --yes           apply: write each change to the journal, then to the site,\n"
	       "                      then re-run the check and journal its verdict\n"
	       "      --failing       every failing check that has an automated fix\n\n"
	       "Without --yes nothing is changed. Undo with 'cmharden undo'.\n"
	       "Exit status: 0 done (or previewed), 1 a check still fails, 2 on errors."));
	return EXIT_PASS;
}

static char **split_keys(const char *s, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	char *copy = xstrdup(s), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		GROW(v, cap, *n + 1);
		v[(*n)++] = xstrdup(tok);
	}
	free(copy);
	return v;
}

typedef struct fix_args {
	const char *id;
	char **objects;
	size_t nobj;
	bool dry, yes, failing;
	script_arg *args; /* --param NAME=VALUE */
	size_t nargs;
} fix_args;

/* Plans, previews and (with --yes) applies one fix. Returns 0, 1 (still failing),
 * -1 on errors, or -2 when the fix was refused before anything ran. */
static int run_fix(ctx *c, const fix *f, const fix_args *a, size_t *would_change)
{
	plan p;
	int br = build_plan(c, f, a->objects, a->nobj, &p);
	if (br < 0) {
		plan_release(&p);
		return br;
	}
	int rc = 0;
	if (p.res.status != ST_FAIL && !fix_is_chosen(f, p.k)) {
		printf(_("Check %s is %s: nothing to fix.\n"), p.k->id, status_name(p.res.status));
		rc = p.res.status == ST_ERROR ? -1 : 0;
		if (p.res.reason)
			printf("  %s\n", p.res.reason);
	} else {
		print_plan(&p);
		*would_change += p.nchanges;
		if (a->yes && !a->dry)
			rc = apply_plan(c, &p);
	}
	plan_release(&p);
	return rc;
}

static int fix_parse(int argc, char **argv, fix_args *a)
{
	static const struct option lo[] = {{"objects", required_argument, NULL, 'o'},
					   {"param", required_argument, NULL, 'p'},
					   {"dry-run", no_argument, NULL, 'n'},
					   {"yes", no_argument, NULL, 'y'},
					   {"failing", no_argument, NULL, 'F'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	int ch;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "o:p:nyh", lo, NULL)) != -1) {
		switch (ch) {
		case 'o':
			a->objects = split_keys(optarg, &a->nobj);
			break;
		case 'p': {
			const char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg)
				return cli_usage_error("fix ", _("--param takes NAME=VALUE"));
			a->args = xrealloc(a->args, (a->nargs + 1) * sizeof *a->args);
			a->args[a->nargs].name = xstrndup(optarg, (size_t)(eq - optarg));
			a->args[a->nargs++].text = eq + 1;
			break;
		}
		case 'n':
			a->dry = true;
			break;
		case 'y':
			a->yes = true;
			break;
		case 'F':
			a->failing = true;
			break;
		case 'h':
			return fix_help() + 1;
		default:
			return cli_usage_error("fix ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (optind < argc)
		a->id = argv[optind++];
	if (optind < argc)
		return cli_usage_error("fix ", _("unexpected argument '%s'"), argv[optind]);
	if (!a->id == !a->failing)
		return cli_usage_error("fix ", _("give either a fix id or --failing"));
	if (a->failing && a->nobj)
		return cli_usage_error("fix ", _("--objects chooses objects of one fix; it does not go with --failing"));
	if (a->failing && a->nargs)
		return cli_usage_error("fix ", _("--param gives a value to one fix; it does not go with --failing"));
	return 0;
}

/* Resolves the fix id: a fix id, or a check id with one automated fix. */
static const fix *find_fix(ctx *c, const char *id)
{
	const fix *f = fixes_find(&c->fixes, id);
	const check *k = f ? NULL : catalog_find(&c->cat, id);
	/* A check id: its first fix this target can run, else the one done by hand. */
	if (!f && k && !(f = fix_for_target(&c->fixes, k, c->t->ops->run != NULL)) && !(f = fix_by_hand(&c->fixes, k)) &&
	    k->nfixes)
		f = fixes_find(&c->fixes, k->fixes[0]);
	if (!f)
		fprintf(stderr, _("cmharden: no fix '%s' (the fixes of a check are listed by 'cmharden list')\n"), id);
	return f;
}

/* Every failing check with an automated fix; lists those that need manual work. */
static int fix_failing(ctx *c, const fix_args *a, size_t *would_change)
{
	int worst = 0;
	strbuf manual = STRBUF_INIT;
	for (size_t s = 0; s < c->cat.nsections; s++)
		for (size_t i = 0; i < c->cat.sections[s].n; i++) {
			const check *k = &c->cat.sections[s].checks[i];
			/* A target without `run` gets the console fix of a check whose fix is a script. */
			const fix *f = fix_for_target(&c->fixes, k, c->t->ops->run != NULL);
			if (!f) {
				if (k->nfixes) {
					const fix *hand = fix_by_hand(&c->fixes, k);
					result r;
					engine_run(&c->e, k, &r);
					if (r.status == ST_FAIL)
						sb_addf(&manual, "  cmharden fix %s\n", hand ? hand->id : k->fixes[0]);
					result_release(&r);
				}
				continue;
			}
			result r;
			engine_run(&c->e, k, &r);
			check_status st = r.status;
			result_release(&r);
			if (st != ST_FAIL)
				continue;
			int rc = run_fix(c, f, a, would_change);
			if (rc == -1 && a->yes && !a->dry)
				return -1;
			if (rc < 0)
				rc = -1; /* refused: nothing of it ran; the other fixes go on */
			if (rc < 0 || worst < 0)
				worst = -1;
			else if (rc > worst)
				worst = rc; /* 2 (a change failed) outranks 1 (still failing) */
		}
	if (manual.len)
		printf(_("Failing checks whose fix is done in the console (run each to see the steps):\n%s"),
		       sb_str(&manual));
	sb_release(&manual);
	return worst;
}

int cmd_fix(const cli_opts *g, int argc, char **argv)
{
	fix_args a = {0};
	int prc = fix_parse(argc, argv, &a), rc = EXIT_ERROR;
	ctx c;
	session_init(&c, g);
	if (prc != 0)
		goto out_args;
	if (cli_open_stack(&c, g->needs & ~(SESSION_JOURNAL | SESSION_RECONCILE)) < 0)
		goto out;
	const fix *f = a.id ? find_fix(&c, a.id) : NULL;
	if (a.id && !f)
		goto out;
	c.r.args = a.args;
	c.r.nargs = a.nargs;
	printf(_("Warning from the checklist: %s\n\n"), content_text(c.cat.warning));
	bool apply = a.yes && !a.dry;
	const char *command = a.failing ? "fix --failing" : "fix";
	if (apply && (cli_open_stack(&c, SESSION_JOURNAL) < 0 || cli_lock_writer(&c, command) < 0 ||
		      cli_reconcile_gate(&c) < 0 || cli_begin_session(&c, command) < 0))
		goto out;
	size_t would = 0;
	int r = a.failing ? fix_failing(&c, &a, &would) : run_fix(&c, f, &a, &would);
	if (a.dry)
		printf(_("Dry run: %zu value(s) would change. Nothing was changed.\n"), would);
	else if (!a.yes && would)
		printf(_("%zu value(s) would change. Nothing was changed: run again with --yes to apply.\n"), would);
	else if (!a.yes && f && !fix_is_automated(f))
		printf(_("Do the steps in the console, then run again with --yes to record it and re-run the check.\n"));
	rc = r < 0 || (r == 2 && apply) ? EXIT_ERROR : (r > 0 && apply) ? EXIT_FINDINGS : EXIT_PASS;
out:
	session_close(&c);
out_args:
	for (size_t i = 0; i < a.nobj; i++)
		free(a.objects[i]);
	free(a.objects);
	for (size_t i = 0; i < a.nargs; i++)
		free((char *)a.args[i].name);
	free(a.args);
	return prc == 1 ? EXIT_PASS : prc ? prc : rc;
}
