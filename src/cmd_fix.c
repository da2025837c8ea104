/* cmd_fix.c — `cmharden fix`, `undo`, `journal`, `attest` and `waive`.
 *
 * Invariants:
 *   - nothing is written to the target without --yes; a preview and --dry-run
 *     do not open the journal at all, so they cannot write to it either;
 *   - before the first change of a command, the journal is reconciled with
 *     the target and the command refuses to go on while any change of the
 *     target is planned or in conflict;
 *   - every target_set() is preceded by a committed `planned` change and
 *     followed by applied/failed; CMHARDEN_CRASH_AT kills the process between
 *     them, for the crash tests (doc/journal.md);
 *   - after a fix is applied its check is re-run and the verdict journaled;
 *   - undo never overwrites a value that drifted from what we set, unless
 *     --force. */
#include "config.h"

#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "engine.h"
#include "fix.h"
#include "i18n.h"
#include "journal.h"
#include "json.h"
#include "sanitize.h"
#include "target.h"

int cli_load_catalog(const cli_opts *g, catalog *cat);

/* ---------- shared context ---------- */

typedef struct ctx {
	const cli_opts *g;
	catalog cat;
	fixset fixes;
	bool have_cat;
	target *t;
	engine e;
	bool have_engine;
	journal *j;
	int64_t session;
} ctx;

/* Test hook (doc/journal.md): CMHARDEN_CRASH_AT=POINT kills the process with
 * SIGKILL when it reaches POINT, as a power cut would. */
static void crash_point(const char *point)
{
	const char *at = getenv("CMHARDEN_CRASH_AT");
	if (at && !strcmp(at, point)) {
		fflush(NULL);
		raise(SIGKILL);
	}
}

static const char *operator_name(void)
{
	const char *u = getenv("USER");
	if (u && *u)
		return u;
	struct passwd *pw = getpwuid(geteuid());
	return pw ? pw->pw_name : "unknown";
}

static const char *target_spec(const cli_opts *g)
{
	return g->target && *g->target ? g->target : "lab:default";
}

static void ctx_release(ctx *c)
{
	journal_close(c->j);
	if (c->have_engine)
		engine_release(&c->e);
	target_close(c->t);
	if (c->have_cat) {
		fixes_release(&c->fixes);
		catalog_release(&c->cat);
	}
}

static int load_content(ctx *c)
{
	if (cli_load_catalog(c->g, &c->cat) < 0)
		return -1;
	diags d;
	diags_init(&d);
	if (fixes_load(&c->fixes, c->cat.dir, &c->cat, &d) < 0) {
		diags_print(&d, stderr);
		fprintf(stderr, _("cmharden: the fixes in %s are not valid (run 'cmharden content lint')\n"),
			c->cat.dir);
		diags_release(&d);
		fixes_release(&c->fixes);
		catalog_release(&c->cat);
		return -1;
	}
	diags_release(&d);
	c->have_cat = true;
	return 0;
}

static int open_target(ctx *c, bool with_engine)
{
	char *err = NULL;
	char *dir = c->have_cat ? NULL : cli_content_dir(c->g);
	int rc = target_open(c->g->target, c->have_cat ? c->cat.dir : dir, &c->t, &err);
	free(dir);
	if (rc < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	if (with_engine) {
		if (engine_init(&c->e, c->t, &c->cat, &err) < 0) {
			fprintf(stderr, _("cmharden: cannot read the site information: %s\n"), err);
			free(err);
			return -1;
		}
		c->have_engine = true;
	}
	return 0;
}

static int open_journal(ctx *c)
{
	char *err = NULL, *path = c->g->journal ? xstrdup(c->g->journal) : journal_default_path(&err);
	if (!path || journal_open(path, &c->j, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

static void print_change(const jchange *ch, const char *prefix)
{
	strbuf b = STRBUF_INIT, a = STRBUF_INIT;
	value_format(&ch->before, &b);
	value_format(&ch->after, &a);
	char *key = sanitize_dup(ch->key, 0), *bs = sanitize_dup(sb_str(&b), 200), *as = sanitize_dup(sb_str(&a), 200);
	printf(_("%schange %lld (%s): %s '%s' %s: %s -> %s\n"), prefix, (long long)ch->id,
	       change_state_name(ch->state), ch->cls, key, ch->prop, bs, as);
	free(key);
	free(bs);
	free(as);
	sb_release(&b);
	sb_release(&a);
}

/* Reconciles the journal with the target; -1 if a change is still unresolved. */
static int reconcile_gate(ctx *c)
{
	reconcile_report rep;
	char *err = NULL;
	if (journal_reconcile(c->j, c->t, &rep, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
	} else if (rep.applied + rep.not_applied + rep.conflicts) {
		printf(_("Recovered unfinished changes from the journal: %zu applied, %zu not applied,"
			 " %zu in conflict.\n"),
		       rep.applied, rep.not_applied, rep.conflicts);
	}
	jchange *v;
	size_t n;
	if (journal_unresolved(c->j, c->t->spec, &v, &n, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	if (n) {
		fprintf(stderr, _("cmharden: %zu change(s) on %s have no known outcome; nothing new may start"
				  " until each is resolved:\n"),
			n, c->t->spec);
		for (size_t i = 0; i < n; i++)
			print_change(&v[i], "  ");
		fprintf(stderr, _("Compare them with the site, then run 'cmharden journal resolve CHANGE'.\n"));
	}
	jchanges_free(v, n);
	return n ? -1 : 0;
}

static int begin_session(ctx *c, const char *command)
{
	char *err = NULL;
	site_info si;
	char *site = NULL;
	if (c->have_engine)
		site = xasprintf("%s (%s)", c->e.site.code, c->e.site.server);
	else if (c->t && target_site(c->t, &si, &err) == 0) {
		site = xasprintf("%s (%s)", si.code, si.server);
		site_info_release(&si);
	} else {
		free(err);
		err = NULL;
	}
	char *digest = c->have_cat ? xasprintf("checks:%s fixes:%s", c->cat.digest, c->fixes.digest) : NULL;
	c->session = journal_session_begin(c->j, operator_name(), c->t ? c->t->spec : target_spec(c->g), site,
					   digest, command, &err);
	free(site);
	free(digest);
	if (c->session < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

/* ---------- the planner ---------- */

typedef struct plan_item {
	const fix_step *step;
	size_t stepno;
	char *key;
	value before, after;
	char *skip; /* why this object is left alone */
} plan_item;

typedef struct plan {
	const fix *f;
	const check *k;
	result res;
	plan_item *items;
	size_t n, cap;
	size_t nchanges; /* distinct values the plan changes */
} plan;

static void plan_release(plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].key);
		free(p->items[i].skip);
		value_clear(&p->items[i].before);
		value_clear(&p->items[i].after);
	}
	free(p->items);
	result_release(&p->res);
	memset(p, 0, sizeof *p);
}

static const object *engine_object(const engine *e, const char *cls, const char *key)
{
	for (size_t i = 0; i < e->nclasses; i++)
		if (str_ieq(e->classes[i]->cls, cls))
			return objset_find(&e->classes[i]->objs, key);
	return NULL;
}

static bool key_selected(const char *key, char **objects, size_t nobj)
{
	if (!nobj)
		return true;
	for (size_t i = 0; i < nobj; i++)
		if (str_ieq(objects[i], key))
			return true;
	return false;
}

/* The change one set step makes to one offending object, or why it makes none. */
static void plan_object(ctx *c, plan *p, const fix_step *s, size_t stepno, const char *key)
{
	GROW(p->items, p->cap, p->n + 1);
	plan_item *it = &p->items[p->n++];
	memset(it, 0, sizeof *it);
	it->step = s;
	it->stepno = stepno;
	it->key = xstrdup(key);
	char *err = NULL;
	const char *cls = p->k->probe->cls;
	if (s->requires) {
		const object *o = engine_object(&c->e, cls, key);
		expr_env env = {&c->e.site, NULL, NULL};
		bool ok = false;
		if (!o || expr_eval(s->requires, o, &env, &ok, &err) < 0) {
			it->skip = xasprintf(_("cannot evaluate 'requires': %s"), err ? err : _("object not found"));
			free(err);
			return;
		}
		if (!ok) {
			it->skip = xstrdup(s->unmet);
			return;
		}
	}
	/* Steps apply in order: a later step on the same property starts from the
	 * value the earlier one will have set, so each change's before is exact. */
	const plan_item *earlier = NULL;
	for (size_t i = 0; i + 1 < p->n; i++)
		if (!p->items[i].skip && !strcmp(p->items[i].key, key) && !strcmp(p->items[i].step->path, s->path))
			earlier = &p->items[i];
	if (earlier)
		it->before = value_copy(&earlier->after);
	if ((!earlier && target_get(c->t, cls, key, s->path, &it->before, &err) < 0) ||
	    fix_step_value(s, &it->before, &it->after, &err) < 0) {
		it->skip = err;
		return;
	}
	if (value_equal(&it->before, &it->after)) {
		it->skip = xstrdup(_("already has the value"));
		return;
	}
	if (!earlier)
		p->nchanges++; /* counts values, not steps */
}

/* Runs the check and plans every set step for its offending objects. */
static int build_plan(ctx *c, const fix *f, char **objects, size_t nobj, plan *p)
{
	memset(p, 0, sizeof *p);
	p->f = f;
	p->k = catalog_find(&c->cat, f->check_id);
	engine_run(&c->e, p->k, &p->res);
	if (p->res.status != ST_FAIL || !p->res.ntables)
		return 0;
	const ev_table *probe = &p->res.tables[0];
	for (size_t i = 0; i < nobj; i++) {
		bool found = false;
		for (size_t r = 0; r < probe->nrows; r++)
			found |= probe->rows[r].offending && str_ieq(probe->rows[r].key, objects[i]);
		if (!found) {
			char *k = sanitize_dup(objects[i], 0);
			fprintf(stderr, _("cmharden: '%s' is not an offending object of %s\n"), k, p->k->id);
			free(k);
			return -1;
		}
	}
	for (size_t s = 0; s < f->nsteps; s++) {
		if (f->steps[s].kind != STEP_SET)
			continue;
		for (size_t r = 0; r < probe->nrows; r++)
			if (probe->rows[r].offending && key_selected(probe->rows[r].key, objects, nobj))
				plan_object(c, p, &f->steps[s], s + 1, probe->rows[r].key);
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
		value_format(&it->after, &a);
		char *bs = sanitize_dup(sb_str(&b), 200), *as = sanitize_dup(sb_str(&a), 200);
		printf("    %-24s %s: %s -> %s\n", key, it->step->path, bs, as);
		free(bs);
		free(as);
		sb_release(&b);
		sb_release(&a);
	}
	free(key);
	(void)p;
}

static void print_plan(const plan *p)
{
	printf(_("Fix %s: %s\n"), p->f->id, p->f->title);
	printf(_("  for check %s: %s (%zu of %zu objects offend)\n"), p->k->id, status_name(p->res.status),
	       p->res.offending, p->res.examined);
	if (p->f->note)
		printf("  %s\n", p->f->note);
	for (size_t s = 0; s < p->f->nsteps; s++) {
		const fix_step *st = &p->f->steps[s];
		if (st->kind == STEP_MANUAL) {
			printf(_("  step %zu (manual, in the console): %s\n    %s\n"), s + 1, st->console,
			       st->instructions);
			continue;
		}
		printf(_("  step %zu: set %s of %s\n"), s + 1, st->path, p->k->probe->cls);
		for (size_t i = 0; i < p->n; i++)
			if (p->items[i].step == st)
				print_item(p, &p->items[i]);
	}
}

/* ---------- applying ---------- */

static char *evidence_json(const result *r)
{
	strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "{\"examined\":%zu,\"offending\":%zu,\"tables\":[", r->examined, r->offending);
	for (size_t t = 0; t < r->ntables; t++) {
		const ev_table *tb = &r->tables[t];
		sb_adds(&sb, t ? ",{\"class\":" : "{\"class\":");
		json_str(&sb, tb->cls);
		sb_adds(&sb, ",\"columns\":[");
		for (size_t c = 0; c < tb->ncols; c++) {
			if (c)
				sb_addc(&sb, ',');
			json_str(&sb, tb->columns[c]);
		}
		sb_adds(&sb, "],\"rows\":[");
		for (size_t i = 0; i < tb->nrows; i++) {
			sb_adds(&sb, i ? ",{\"key\":" : "{\"key\":");
			json_str(&sb, tb->rows[i].key);
			sb_addf(&sb, ",\"offending\":%s,\"cells\":[", tb->rows[i].offending ? "true" : "false");
			for (size_t c = 0; c < tb->ncols; c++) {
				if (c)
					sb_addc(&sb, ',');
				if (tb->rows[i].missing[c])
					sb_adds(&sb, "null");
				else
					json_value(&sb, &tb->rows[i].cells[c]);
			}
			sb_adds(&sb, "]}");
		}
		sb_adds(&sb, "]}");
	}
	sb_adds(&sb, "]}");
	return sb_detach(&sb);
}

/* Write-ahead for one change: planned (committed) -> set -> applied/failed.
 * Returns -1 only when the journal cannot record: then nothing more may change. */
static int apply_item(ctx *c, const plan *p, const plan_item *it, int64_t run, size_t *failed)
{
	char *err = NULL;
	const char *cls = p->k->probe->cls;
	int64_t id = journal_change_plan(c->j, run, cls, it->key, it->step->path, &it->before, &it->after, 0, &err);
	if (id < 0)
		goto journal_fail;
	crash_point("after-plan");
	value prev = VALUE_NULL;
	char *terr = NULL;
	int rc = target_set(c->t, cls, it->key, it->step->path, &it->after, &prev, &terr);
	crash_point("after-set");
	if (rc < 0) {
		char *k = sanitize_dup(it->key, 0);
		fprintf(stderr, _("cmharden: cannot change %s '%s': %s\n"), cls, k, terr);
		free(k);
		free(terr);
		(*failed)++;
		rc = journal_change_mark(c->j, id, CH_FAILED, NULL, &err);
	} else {
		rc = journal_change_mark(c->j, id, CH_APPLIED, &prev, &err);
	}
	value_clear(&prev);
	crash_point("after-mark");
	if (rc == 0)
		return 0;
journal_fail:
	fprintf(stderr, _("cmharden: the journal cannot record the change, so nothing more is changed: %s\n"),
		err);
	free(err);
	return -1;
}

/* Applies a plan, re-runs the check and journals the verdict. 0 pass, 1 still failing, -1 error. */
static int apply_plan(ctx *c, plan *p)
{
	char *err = NULL;
	int64_t run = journal_run_begin(c->j, c->session, p->f->id, p->k->id,
					fix_is_automated(p->f) ? "apply" : "manual", &err);
	if (run < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	size_t failed = 0, done = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (p->items[i].skip)
			continue;
		if (apply_item(c, p, &p->items[i], run, &failed) < 0)
			return -1;
		done++;
	}
	engine_refresh(&c->e);
	result after;
	engine_run(&c->e, p->k, &after);
	char *ev = evidence_json(&after);
	int rc = journal_result_add(c->j, c->session, run, p->k->id, status_name(after.status), after.reason, ev,
				    &err);
	if (rc == 0)
		rc = journal_run_end(c->j, run, failed ? "failed" : status_name(after.status), &err);
	free(ev);
	if (rc < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
	} else {
		printf(_("  applied %zu change(s)%s; %s re-checked: %s\n"), done - failed,
		       failed ? _(" (some failed)") : "", p->k->id, status_name(after.status));
		rc = after.status == ST_PASS ? 0 : 1;
	}
	result_release(&after);
	return rc;
}

/* ---------- cmharden fix ---------- */

static int fix_help(void)
{
	puts(_("Usage: cmharden [--target T] fix ID [--objects KEY,...] [--dry-run] [--yes]\n"
	       "       cmharden [--target T] fix --failing [--dry-run] [--yes]\n"
	       "Remediate a failing check with one of its fixes (see 'cmharden list' and\n"
	       "fixes/). Every step is previewed: object, property, before -> after.\n\n"
	       "  -o, --objects=KEYS  only these offending objects (comma-separated keys)\n"
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
} fix_args;

/* Plans, previews and (with --yes) applies one fix. Returns 0, 1 (still failing) or -1. */
static int run_fix(ctx *c, const fix *f, const fix_args *a, size_t *would_change)
{
	plan p;
	if (build_plan(c, f, a->objects, a->nobj, &p) < 0) {
		plan_release(&p);
		return -1;
	}
	int rc = 0;
	if (p.res.status != ST_FAIL) {
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
					   {"dry-run", no_argument, NULL, 'n'},
					   {"yes", no_argument, NULL, 'y'},
					   {"failing", no_argument, NULL, 'F'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "o:nyh", lo, NULL)) != -1) {
		switch (ch) {
		case 'o':
			a->objects = split_keys(optarg, &a->nobj);
			break;
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
	return 0;
}

/* Resolves the fix id: a fix id, or a check id with one automated fix. */
static const fix *find_fix(ctx *c, const char *id)
{
	const fix *f = fixes_find(&c->fixes, id);
	const check *k = f ? NULL : catalog_find(&c->cat, id);
	if (!f && k && !(f = fix_for_check(&c->fixes, k)) && k->nfixes)
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
			const fix *f = fix_for_check(&c->fixes, k);
			if (!f) {
				if (k->nfixes) {
					result r;
					engine_run(&c->e, k, &r);
					if (r.status == ST_FAIL)
						sb_addf(&manual, "  cmharden fix %s\n", k->fixes[0]);
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
			if (rc < 0 && a->yes && !a->dry)
				return -1;
			if (rc != 0 && worst >= 0)
				worst = rc;
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
	ctx c = {0};
	c.g = g;
	if (prc != 0)
		goto out_args;
	if (load_content(&c) < 0 || open_target(&c, true) < 0)
		goto out;
	const fix *f = a.id ? find_fix(&c, a.id) : NULL;
	if (a.id && !f)
		goto out;
	printf(_("Warning from the checklist: %s\n\n"), c.cat.warning);
	bool apply = a.yes && !a.dry;
	if (apply && (open_journal(&c) < 0 || reconcile_gate(&c) < 0 || begin_session(&c, a.failing ? "fix --failing" : "fix") < 0))
		goto out;
	size_t would = 0;
	int r = a.failing ? fix_failing(&c, &a, &would) : run_fix(&c, f, &a, &would);
	if (a.dry)
		printf(_("Dry run: %zu value(s) would change. Nothing was changed.\n"), would);
	else if (!a.yes && would)
		printf(_("%zu value(s) would change. Nothing was changed: run again with --yes to apply.\n"), would);
	else if (!a.yes && f && !fix_is_automated(f))
		printf(_("Do the steps in the console, then run again with --yes to record it and re-run the check.\n"));
	rc = r < 0 ? EXIT_ERROR : (r > 0 && apply) ? EXIT_FINDINGS : EXIT_PASS;
out:
	ctx_release(&c);
out_args:
	for (size_t i = 0; i < a.nobj; i++)
		free(a.objects[i]);
	free(a.objects);
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
	char *err = NULL;
	value now = VALUE_NULL;
	if (target_get(c->t, ch->cls, ch->key, ch->prop, &now, &err) < 0) {
		fprintf(stderr, _("cmharden: cannot read change %lld's value: %s\n"), (long long)ch->id, err);
		free(err);
		return 1;
	}
	int rc = 0;
	if (value_equal(&now, &ch->before)) {
		/* Someone already put the old value back: record it, change nothing. */
		rc = journal_change_mark(c->j, ch->id, CH_UNDONE, NULL, &err) < 0 ? -1 : 0;
	} else if (!value_equal(&now, &ch->after) && !force) {
		strbuf sb = STRBUF_INIT;
		value_format(&now, &sb);
		char *v = sanitize_dup(sb_str(&sb), 200);
		printf(_("  change %lld left alone: the value is now %s, not what the fix set (--force restores it)\n"),
		       (long long)ch->id, v);
		free(v);
		sb_release(&sb);
		rc = 1;
	} else {
		int64_t id = journal_change_plan(c->j, run, ch->cls, ch->key, ch->prop, &now, &ch->before, ch->id, &err);
		if (id < 0) {
			rc = -1;
		} else {
			crash_point("undo-after-plan");
			value prev = VALUE_NULL;
			char *terr = NULL;
			int s = target_set(c->t, ch->cls, ch->key, ch->prop, &ch->before, &prev, &terr);
			crash_point("undo-after-set");
			if (s < 0) {
				fprintf(stderr, _("cmharden: cannot restore change %lld: %s\n"), (long long)ch->id, terr);
				free(terr);
				rc = journal_change_mark(c->j, id, CH_FAILED, NULL, &err) < 0 ? -1 : 1;
			} else {
				rc = journal_change_mark(c->j, id, CH_APPLIED, &prev, &err) < 0 ? -1 : 0;
			}
			value_clear(&prev);
		}
	}
	value_clear(&now);
	if (rc < 0) {
		fprintf(stderr, _("cmharden: the journal cannot record the undo, so nothing more is changed: %s\n"), err);
		free(err);
	}
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
	ctx c = {0};
	c.g = g;
	int rc = EXIT_ERROR;
	char *err = NULL;
	jchange *v = NULL;
	size_t n = 0;
	if (open_target(&c, false) < 0 || open_journal(&c) < 0 || reconcile_gate(&c) < 0)
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
	if (begin_session(&c, "undo") < 0 || (run = journal_run_begin(c.j, c.session, NULL, NULL, "undo", &err)) < 0)
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
	if (journal_run_end(c.j, run, refused ? "partial" : "done", &err) < 0)
		goto fail;
	printf(_("Undone: %zu change(s); left alone: %zu.\n"), done, refused);
	rc = refused ? EXIT_FINDINGS : EXIT_PASS;
	goto out;
fail:
	fprintf(stderr, "cmharden: %s\n", err);
	free(err);
out:
	jchanges_free(v, n);
	ctx_release(&c);
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
	if (open_target(c, false) < 0)
		return EXIT_ERROR;
	char *err = NULL;
	change_state st;
	reconcile_report rep;
	if (journal_reconcile(c->j, c->t, &rep, &err) < 0 || journal_resolve(c->j, c->t, id, &st, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
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
	ctx c = {0};
	c.g = g;
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
	if (open_journal(&c) < 0)
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
	ctx_release(&c);
	return rc;
}

/* ---------- cmharden attest / waive ---------- */

static bool valid_date(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end || strlen(s) != 10)
		return false;
	/* strptime accepts 2026-02-30; a round trip through timegm does not. */
	struct tm norm = tm; /* timegm normalises its argument in place */
	time_t at = timegm(&norm);
	gmtime_r(&at, &norm);
	return norm.tm_year == tm.tm_year && norm.tm_mon == tm.tm_mon && norm.tm_mday == tm.tm_mday;
}

static bool date_past(const char *s)
{
	char today[11];
	today_utc(today);
	return strcmp(s, today) < 0;
}

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
	if (until && (!valid_date(until) || date_past(until)))
		return cli_usage_error(cmd, _("--until takes a date from today on, as YYYY-MM-DD"));
	const char *id = argv[optind];
	ctx c = {0};
	c.g = g;
	int rc = EXIT_ERROR;
	char *err = NULL;
	if (cli_load_catalog(g, &c.cat) < 0)
		return EXIT_ERROR;
	const check *k = catalog_find(&c.cat, id);
	if (!k) {
		fprintf(stderr, _("cmharden: no check '%s' (see 'cmharden list')\n"), id);
	} else if (!waive && k->kind != KIND_ATTESTATION) {
		fprintf(stderr, _("cmharden: %s is an automated check; the site decides it (use 'cmharden waive'"
				  " to accept a deviation)\n"),
			id);
	} else if (open_journal(&c) == 0 && begin_session(&c, waive ? "waive" : "attest") == 0) {
		int64_t r = waive ? journal_waive(c.j, c.session, id, text, until, operator_name(), &err)
				  : journal_attest(c.j, c.session, id, text, operator_name(), &err);
		if (r < 0) {
			fprintf(stderr, "cmharden: %s\n", err);
			free(err);
		} else {
			printf(waive ? _("Waiver %lld recorded for %s.\n") : _("Attestation %lld recorded for %s.\n"),
			       (long long)r, id);
			rc = EXIT_PASS;
		}
	}
	journal_close(c.j);
	catalog_release(&c.cat);
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
