/* cmd_fix.c — `cmharden fix`, `undo`, `journal`, `attest` and `waive`: the
 * command-line front end of remedy.h, which plans, applies and undoes.
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

/* ---------- shared context: the core session ---------- */

typedef core_session ctx;

/* Opens what the command needs now; prints why not. */
static int open_stack(ctx *c, unsigned needs)
{
	char *err = NULL;
	if (session_open(c, needs, &err) < 0) {
		if (err)
			fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

static void print_change(const jchange *ch, const char *prefix)
{
	strbuf b = STRBUF_INIT, a = STRBUF_INIT;
	value_format(&ch->before, &b);
	if (ch->script && ch->after.kind == V_NULL)
		sb_adds(&a, _("(as the script leaves it)"));
	else
		value_format(&ch->after, &a);
	char *key = sanitize_dup(ch->key, 0), *bs = sanitize_dup(sb_str(&b), 200), *as = sanitize_dup(sb_str(&a), 200);
	char *prop = ch->script ? xasprintf(_("script %s"), ch->prop) : xstrdup(ch->prop);
	printf(_("%schange %lld (%s): %s '%s' %s: %s -> %s\n"), prefix, (long long)ch->id,
	       change_state_name(ch->state), ch->cls, key, prop, bs, as);
	free(prop);
	free(key);
	free(bs);
	free(as);
	sb_release(&b);
	sb_release(&a);
}

/* Reconciles the journal with the target; -1 if a change is still unresolved. */
static int reconcile_gate(ctx *c)
{
	char *err = NULL;
	if (session_open(c, SESSION_RECONCILE, &err) < 0) {
		/* A capture script's message may quote site data. */
		char *e = sanitize_dup(err, 0);
		fprintf(stderr, "cmharden: %s\n", e);
		free(e);
		free(err);
		return -1;
	}
	const reconcile_report rep = c->recovered;
	size_t n = c->nunresolved;
	if (rep.applied + rep.not_applied + rep.conflicts)
		printf(_("Recovered unfinished changes from the journal: %zu applied, %zu not applied,"
			 " %zu in conflict.\n"),
		       rep.applied, rep.not_applied, rep.conflicts);
	if (n) {
		fprintf(stderr, _("cmharden: %zu change(s) on %s have no known outcome; nothing new may start"
				  " until each is resolved:\n"),
			n, c->t->spec);
		for (size_t i = 0; i < n; i++)
			print_change(&c->unresolved[i], "  ");
		fprintf(stderr, _("Compare them with the site, then run 'cmharden journal resolve CHANGE'.\n"));
	}
	return n ? -1 : 0;
}

static int begin_session(ctx *c, const char *command)
{
	char *err = NULL;
	if (remedy_session(session_remedy(c), command, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

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
		value_format(&it->before, &b);
		if (it->script && it->after.kind == V_NULL)
			sb_adds(&a, _("(as the script leaves it)"));
		else
			value_format(&it->after, &a);
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
		printf(_("  for check %s: %s (%zu of %zu objects offend)\n"), p->k->id, status_name(p->res.status),
		       p->res.offending, p->res.examined);
	if (p->f->note)
		printf("  %s\n", content_text(p->f->note));
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
		rc = failed ? 2 : after.status == ST_PASS || fix_is_chosen(p->f, p->k) ? 0 : 1;
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
	optind = 1;
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
	if (open_stack(&c, g->needs & ~(SESSION_JOURNAL | SESSION_RECONCILE)) < 0)
		goto out;
	const fix *f = a.id ? find_fix(&c, a.id) : NULL;
	if (a.id && !f)
		goto out;
	c.r.args = a.args;
	c.r.nargs = a.nargs;
	printf(_("Warning from the checklist: %s\n\n"), c.cat.warning);
	bool apply = a.yes && !a.dry;
	if (apply && (open_stack(&c, SESSION_JOURNAL) < 0 || reconcile_gate(&c) < 0 || begin_session(&c, a.failing ? "fix --failing" : "fix") < 0))
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

/* ---------- cmharden undo ---------- */

static int undo_help(void)
{
	puts(_("Usage: cmharden [--target T] undo CHANGE [--yes] [--force]\n"
	       "       cmharden [--target T] undo --run ID [--yes] [--force]\n"
	       "       cmharden [--target T] undo --session[=ID] [--yes] [--force]\n"
	       "Restore the values that fixes replaced, newest first: one change, every change\n"
	       "of a fix run, or of a session (default: the newest session with changes left to\n"
	       "undo). Undo is journaled like any change.\n\n"
	       "  -y, --yes     restore (without it, only show what would be restored)\n"
	       "  -f, --force   also restore values that changed since the fix set them\n\n"
	       "Exit status: 0 done (or previewed), 1 some values drifted and were left alone,\n"
	       "2 on errors."));
	return EXIT_PASS;
}

static bool parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0)
		return false;
	*out = v;
	return true;
}

/* Restores one change. 0 done, 1 refused (drift), -1 journal failure. */
static int undo_one(ctx *c, const jchange *ch, int64_t run, bool force)
{
	char *err = NULL, *why = NULL;
	value now;
	undo_outcome out;
	int rc = remedy_undo_one(session_remedy(c), ch, run, force, &out, &now, &why, &err);
	if (why) { /* a script's message may quote site data */
		char *w = sanitize_dup(why, 0);
		free(why);
		why = w;
	}
	if (rc < 0) {
		fprintf(stderr, _("cmharden: the journal cannot record the undo, so nothing more is changed: %s\n"), err);
		free(err);
	} else if (out == UNDO_UNREADABLE) {
		fprintf(stderr, _("cmharden: cannot read change %lld's value: %s\n"), (long long)ch->id, why);
		rc = 1;
	} else if (out == UNDO_DRIFTED) {
		strbuf sb = STRBUF_INIT;
		value_format(&now, &sb);
		char *v = sanitize_dup(sb_str(&sb), 200);
		printf(_("  change %lld left alone: the value is now %s, not what the fix set (--force restores it)\n"),
		       (long long)ch->id, v);
		free(v);
		sb_release(&sb);
		rc = 1;
	} else if (out == UNDO_FAILED) {
		fprintf(stderr, _("cmharden: cannot restore change %lld: %s\n"), (long long)ch->id, why);
		rc = 1;
	}
	free(why);
	value_clear(&now);
	return rc;
}

typedef struct undo_args {
	undo_scope scope;
	int64_t id;
	bool yes, force, session_given;
} undo_args;

static int undo_parse(int argc, char **argv, undo_args *a)
{
	static const struct option lo[] = {{"run", required_argument, NULL, 'r'},
					   {"session", optional_argument, NULL, 's'},
					   {"yes", no_argument, NULL, 'y'},
					   {"force", no_argument, NULL, 'f'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	int ch, scopes = 0;
	optind = 1;
	opterr = 0;
	a->scope = UNDO_CHANGE;
	while ((ch = getopt_long(argc, argv, "yfh", lo, NULL)) != -1) {
		switch (ch) {
		case 'r':
			a->scope = UNDO_RUN;
			scopes++;
			if (!parse_id(optarg, &a->id))
				return cli_usage_error("undo ", _("'%s' is not a run id"), optarg);
			break;
		case 's':
			a->scope = UNDO_SESSION;
			a->session_given = true;
			scopes++;
			if (optarg && !parse_id(optarg, &a->id))
				return cli_usage_error("undo ", _("'%s' is not a session id"), optarg);
			break;
		case 'y':
			a->yes = true;
			break;
		case 'f':
			a->force = true;
			break;
		case 'h':
			return undo_help() + 1;
		default:
			return cli_usage_error("undo ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	/* "undo CHANGE" and "undo --session ID" both take the id as an operand. */
	if (optind < argc) {
		if (a->scope == UNDO_RUN || a->id || !parse_id(argv[optind], &a->id))
			return cli_usage_error("undo ", _("unexpected argument '%s'"), argv[optind]);
		if (!a->session_given)
			scopes++;
		optind++;
	}
	if (optind < argc || scopes != 1)
		return cli_usage_error("undo ", _("give exactly one of CHANGE, --run ID or --session [ID]"));
	return 0;
}

int cmd_undo(const cli_opts *g, int argc, char **argv)
{
	undo_args a = {0};
	int prc = undo_parse(argc, argv, &a);
	if (prc)
		return prc == 1 ? EXIT_PASS : prc;
	ctx c;
	session_init(&c, g);
	int rc = EXIT_ERROR;
	char *err = NULL;
	jchange *v = NULL;
	size_t n = 0;
	if (open_stack(&c, g->needs & ~SESSION_RECONCILE) < 0 || reconcile_gate(&c) < 0)
		goto out;
	if (a.scope == UNDO_SESSION && !a.id && (a.id = journal_last_undoable_session(c.j, c.t->spec, &err)) <= 0) {
		if (a.id < 0)
			goto fail;
		printf(_("Nothing to undo on %s.\n"), c.t->spec);
		rc = EXIT_PASS;
		goto out;
	}
	if (journal_undoable(c.j, c.t->spec, a.scope, a.id, &v, &n, &err) < 0)
		goto fail;
	if (!n) {
		printf(_("Nothing to undo: no applied change of %s in that scope.\n"), c.t->spec);
		rc = a.scope == UNDO_CHANGE ? EXIT_ERROR : EXIT_PASS;
		goto out;
	}
	printf(_("%zu change(s) to undo, newest first:\n"), n);
	for (size_t i = 0; i < n; i++)
		print_change(&v[i], "  ");
	if (!a.yes) {
		printf(_("Nothing was changed: run again with --yes to restore these values.\n"));
		rc = EXIT_PASS;
		goto out;
	}
	int64_t run;
	if (begin_session(&c, "undo") < 0 || (run = remedy_undo_begin(session_remedy(&c), &err)) < 0)
		goto fail;
	size_t refused = 0, done = 0;
	for (size_t i = 0; i < n; i++) {
		int r = undo_one(&c, &v[i], run, a.force);
		if (r < 0)
			goto out;
		if (r)
			refused++;
		else
			done++;
	}
	if (remedy_undo_finish(session_remedy(&c), run, refused, &err) < 0)
		goto fail;
	printf(_("Undone: %zu change(s); left alone: %zu.\n"), done, refused);
	rc = refused ? EXIT_FINDINGS : EXIT_PASS;
	goto out;
fail:
	fprintf(stderr, "cmharden: %s\n", err);
	free(err);
out:
	jchanges_free(v, n);
	session_close(&c);
	return rc;
}

/* ---------- cmharden journal ---------- */

static int journal_help(void)
{
	puts(_("Usage: cmharden journal list\n"
	       "       cmharden journal show SESSION\n"
	       "       cmharden journal verify [--head SEQ:HASH]\n"
	       "       cmharden journal export [--format json]\n"
	       "       cmharden [--target T] journal resolve CHANGE\n"
	       "The journal ($XDG_DATA_HOME/cmharden/journal.db, or --journal PATH) records\n"
	       "sessions, fix runs, every change with its before-value, check results,\n"
	       "attestations and waivers.\n\n"
	       "  verify   check the hash chain and every row; print the head SEQ:HASH;\n"
	       "           --head proves that a head recorded earlier is still in the chain\n"
	       "  resolve  settle a change whose outcome is unknown: re-read the site; if it\n"
	       "           holds neither value, accept what it holds now\n\n"
	       "Exit status of verify: 0 intact, 1 altered, 2 on errors."));
	return EXIT_PASS;
}

static int journal_verify_cmd(ctx *c, int argc, char **argv)
{
	const char *head = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--head=", 7))
			head = argv[i] + 7;
		else if (!strcmp(argv[i], "--head") && i + 1 < argc)
			head = argv[++i];
		else
			return cli_usage_error("journal ", _("unexpected argument '%s'"), argv[i]);
	}
	strbuf rep = STRBUF_INIT;
	char *err = NULL, *h = NULL;
	int r = journal_verify(c->j, head, &rep, &h, &err);
	int rc = EXIT_ERROR;
	if (r < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
	} else {
		fputs(sb_str(&rep), stdout);
		if (r == 0)
			printf(head ? _("Journal intact; the head %s is in the chain. Head: %s\n")
				    : _("Journal intact%s. Head: %s\n"),
			       head ? head : "", h);
		else
			printf(_("The journal was altered (the first problem is listed first). Head: %s\n"), h);
		rc = r ? EXIT_FINDINGS : EXIT_PASS;
	}
	free(h);
	sb_release(&rep);
	return rc;
}

static int journal_resolve_cmd(ctx *c, int argc, char **argv)
{
	int64_t id;
	if (argc != 2 || !parse_id(argv[1], &id))
		return cli_usage_error("journal ", _("resolve takes one change id"));
	if (open_stack(c, SESSION_TARGET) < 0)
		return EXIT_ERROR;
	char *err = NULL;
	change_state st;
	reconcile_report rep;
	if (journal_reconcile(c->j, c->t, &rep, &err) < 0 || journal_resolve(c->j, c->t, id, &st, &err) < 0) {
		char *e = sanitize_dup(err, 0); /* a capture script's message may quote site data */
		fprintf(stderr, "cmharden: %s\n", e);
		free(e);
		free(err);
		return EXIT_ERROR;
	}
	printf(_("Change %lld is now %s.\n"), (long long)id, change_state_name(st));
	return EXIT_PASS;
}

int cmd_journal(const cli_opts *g, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("journal ", _("expected list, show, verify, export or resolve"));
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h"))
		return journal_help();
	ctx c;
	session_init(&c, g);
	int rc = EXIT_ERROR;
	char *err = NULL;
	int64_t id = 0;
	if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "verify") && strcmp(sub, "export") &&
	    strcmp(sub, "resolve"))
		return cli_usage_error("journal ", _("unknown subcommand '%s'"), sub);
	if (!strcmp(sub, "show") && (argc != 3 || !parse_id(argv[2], &id)))
		return cli_usage_error("journal ", _("show takes one session id"));
	if (!strcmp(sub, "list") && argc != 2)
		return cli_usage_error("journal ", _("unexpected argument '%s'"), argv[2]);
	if (!strcmp(sub, "export") && argc > 2 &&
	    !(argc == 4 && !strcmp(argv[2], "--format") && !strcmp(argv[3], "json")) &&
	    !(argc == 3 && !strcmp(argv[2], "--format=json")))
		return cli_usage_error("journal ", _("export writes JSON only: --format json"));
	if (open_stack(&c, SESSION_JOURNAL) < 0)
		goto out;
	if (!strcmp(sub, "verify"))
		rc = journal_verify_cmd(&c, argc - 1, argv + 1);
	else if (!strcmp(sub, "resolve"))
		rc = journal_resolve_cmd(&c, argc - 1, argv + 1);
	else if ((!strcmp(sub, "list") ? journal_list(c.j, stdout, &err)
		  : !strcmp(sub, "show") ? journal_show(c.j, id, stdout, &err)
					 : journal_export_json(c.j, stdout, &err)) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
	} else {
		rc = EXIT_PASS;
	}
out:
	session_close(&c);
	return rc;
}

/* ---------- cmharden attest / waive ---------- */

/* attest and waive share everything but their options and the row they write. */
static int record_verdict(const cli_opts *g, int argc, char **argv, bool waive)
{
	const char *cmd = waive ? "waive " : "attest ";
	static const struct option lo[] = {{"note", required_argument, NULL, 'n'},
					   {"reason", required_argument, NULL, 'r'},
					   {"until", required_argument, NULL, 'u'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	const char *text = NULL, *until = NULL;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (ch == 'h') {
			puts(waive ? _("Usage: cmharden waive CHECK --reason TEXT [--until YYYY-MM-DD]\n"
				       "Record that a check is deliberately not met, why, and until when.")
				   : _("Usage: cmharden attest CHECK --note TEXT\n"
				       "Record the verdict on an attestation check, with a note."));
			return EXIT_PASS;
		}
		if ((ch == 'n' && !waive) || (ch == 'r' && waive))
			text = optarg;
		else if (ch == 'u' && waive)
			until = optarg;
		else
			return cli_usage_error(cmd, _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
	if (optind + 1 != argc)
		return cli_usage_error(cmd, _("give one check id"));
	if (!text || !*text)
		return cli_usage_error(cmd, waive ? _("--reason TEXT is required") : _("--note TEXT is required"));
	if (until && !remedy_valid_until(until))
		return cli_usage_error(cmd, _("--until takes a date from today on, as YYYY-MM-DD"));
	const char *id = argv[optind];
	ctx c;
	session_init(&c, g);
	int rc = EXIT_ERROR;
	char *err = NULL;
	if (open_stack(&c, SESSION_CONTENT) < 0)
		return EXIT_ERROR;
	const check *k = catalog_find(&c.cat, id);
	if (!k) {
		fprintf(stderr, _("cmharden: no check '%s' (see 'cmharden list')\n"), id);
	} else if (!waive && k->kind != KIND_ATTESTATION) {
		fprintf(stderr, _("cmharden: %s is an automated check; the site decides it (use 'cmharden waive'"
				  " to accept a deviation)\n"),
			id);
	} else if (open_stack(&c, SESSION_JOURNAL) == 0 && begin_session(&c, waive ? "waive" : "attest") == 0) {
		int64_t r = waive ? journal_waive(c.j, c.r.session, id, text, until, remedy_operator(), &err)
				  : journal_attest(c.j, c.r.session, id, text, remedy_operator(), &err);
		if (r < 0) {
			fprintf(stderr, "cmharden: %s\n", err);
			free(err);
		} else {
			printf(waive ? _("Waiver %lld recorded for %s.\n") : _("Attestation %lld recorded for %s.\n"),
			       (long long)r, id);
			rc = EXIT_PASS;
		}
	}
	session_close(&c);
	return rc;
}

int cmd_attest(const cli_opts *g, int argc, char **argv)
{
	return record_verdict(g, argc, argv, false);
}

int cmd_waive(const cli_opts *g, int argc, char **argv)
{
	return record_verdict(g, argc, argv, true);
}
