/* score_cmd.c — `cmharden lab score [NAME] [--format text|json]`: what is left
 * of a training lab's goals (score.h). An instructor collects the JSON of every
 * trainee's machine; the exit status says whether every goal is met. */
#include "config.h"

#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/json.h"
#include "target/target_lab.h"
#include "base/paths.h"
#include "base/sanitize.h"
#include "journal/verify.h"
#include "report/report.h"
#include "report/score.h"


/* The same rule as the journal's sessions (cmd_fix.c): $USER, else the account. */
static const char *operator_name(void)
{
	const char *u = getenv("USER");
	if (u && *u)
		return u;
	struct passwd *pw = getpwuid(geteuid());
	return pw ? pw->pw_name : "unknown";
}

/* The translated names of the states in a GOAL_* set, joined with "or". */
static void states_text(unsigned set, strbuf *out)
{
	static const char *names[] = {N_("pass"), N_("not applicable"), N_("attested"), N_("waived")};
	bool first = true;
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (set & (1u << i)) {
			if (!first)
				sb_adds(out, _(" or "));
			sb_adds(out, _(names[i]));
			first = false;
		}
}

static void print_text(const scenario *s, const char *tspec, const lab_score *sc, bool have_journal)
{
	char *title = sanitize_dup(content_text(s->title), 0);
	printf(_("Lab %s: %s\n"), s->name, title);
	free(title);
	printf(_("Target %s, site %s on %s\n"), tspec, s->site.code, s->site.server);
	printf(_("Score: %zu of %zu goals met\n\n"), sc->met, sc->n);
	for (size_t i = 0; i < sc->n; i++) {
		const goal_eval *ge = &sc->items[i];
		strbuf want = STRBUF_INIT, now = STRBUF_INIT;
		states_text(ge->g->want, &want);
		if ((ge->g->want & GOAL_ATTESTED) && ge->g->not_compliant)
			sb_adds(&want, _(" (answer: not compliant)"));
		sb_adds(&now, report_status_label(ge->status));
		if (ge->status == ST_FAIL && ge->offending)
			sb_addf(&now, ngettext(" (%zu offending object)", " (%zu offending objects)", ge->offending),
				ge->offending);
		if (ge->attest)
			sb_addf(&now,
				ge->attest->compliant ? _(", attested compliant by %s on %.10s")
						      : _(", judged not compliant by %s on %.10s"),
				ge->attest->operator_, ge->attest->at);
		if (ge->waiver)
			sb_addf(&now, _(", waived by %s until %s"), ge->waiver->operator_,
				*ge->waiver->until ? ge->waiver->until : _("further notice"));
		char *nowc = sanitize_dup(sb_str(&now), 0);
		/* TRANSLATORS: the two markers of `lab score` are padded to one width. */
		printf("  [%s] %s  %s\n", ge->met ? _("done") : _("left"), ge->chk->id, content_text(ge->chk->title));
		printf(_("         wanted: %s; now: %s\n"), sb_str(&want), nowc);
		if (!ge->met && ge->g->note) {
			char *note = sanitize_dup(content_text(ge->g->note), 0);
			printf(_("         to do: %s\n"), note);
			free(note);
		}
		free(nowc);
		sb_release(&want);
		sb_release(&now);
	}
	if (!have_journal)
		printf(_("\nNo journal yet: nothing has been attested or waived on this machine.\n"));
	if (sc->met == sc->n)
		printf(_("\nEvery goal is met.\n"));
	else
		printf(ngettext("\n%zu goal left.\n", "\n%zu goals left.\n", sc->n - sc->met), sc->n - sc->met);
}

static void states_json(strbuf *sb, unsigned set)
{
	sb_addc(sb, '[');
	bool first = true;
	for (unsigned bit = 1; bit <= GOAL_WAIVED; bit <<= 1)
		if (set & bit) {
			sb_addf(sb, "%s\"%s\"", first ? "" : ",", goal_state_name(bit));
			first = false;
		}
	sb_addc(sb, ']');
}

/* Every goal: what it wants, what holds now, and the trainee's verdicts. */
static void goals_json(strbuf *sb, const lab_score *sc)
{
	for (size_t i = 0; i < sc->n; i++) {
		const goal_eval *ge = &sc->items[i];
		sb_adds(sb, i ? ",\n{\"check\":" : "\n{\"check\":");
		json_str(sb, ge->chk->id);
		sb_adds(sb, ",\"title\":");
		json_str(sb, ge->chk->title);
		sb_adds(sb, ",\"wanted\":");
		states_json(sb, ge->g->want);
		sb_adds(sb, ",\"now\":");
		states_json(sb, ge->state);
		/* status: the verdict with the trainee's attestation or waiver applied,
		 * as `check` gives it; site_status: what the site alone says. */
		sb_addf(sb, ",\"status\":\"%s\",\"site_status\":\"%s\",\"offending\":%zu,\"met\":%s,\"note\":",
			status_name(ge->verdict), status_name(ge->status), ge->offending, ge->met ? "true" : "false");
		json_str(sb, ge->g->note);
		sb_adds(sb, ",\"attestation\":");
		if (ge->attest) {
			sb_addf(sb, "{\"id\":%lld,\"answer\":\"%s\",\"note\":", (long long)ge->attest->id,
				ge->attest->compliant ? "compliant" : "not_compliant");
			json_str(sb, ge->attest->note);
			sb_adds(sb, ",\"operator\":");
			json_str(sb, ge->attest->operator_);
			sb_adds(sb, ",\"at\":");
			json_str(sb, ge->attest->at);
			sb_addc(sb, '}');
		} else {
			sb_adds(sb, "null");
		}
		sb_adds(sb, ",\"waiver\":");
		if (ge->waiver) {
			sb_addf(sb, "{\"id\":%lld,\"reason\":", (long long)ge->waiver->id);
			json_str(sb, ge->waiver->reason);
			sb_adds(sb, ",\"until\":");
			json_str(sb, ge->waiver->until);
			sb_adds(sb, ",\"operator\":");
			json_str(sb, ge->waiver->operator_);
			sb_addc(sb, '}');
		} else {
			sb_adds(sb, "null");
		}
		sb_addc(sb, '}');
	}
}

static void print_json(const scenario *s, const char *tspec, const lab_score *sc, bool have_journal,
		       const char *since)
{
	strbuf sb = STRBUF_INIT;
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0)
		host[0] = '\0';
	sb_adds(&sb, "{\"lab\":");
	json_str(&sb, s->name);
	sb_adds(&sb, ",\"title\":");
	json_str(&sb, s->title);
	sb_adds(&sb, ",\"target\":");
	json_str(&sb, tspec);
	sb_adds(&sb, ",\"site\":");
	json_str(&sb, s->site.code);
	sb_adds(&sb, ",\"operator\":");
	json_str(&sb, operator_name());
	sb_adds(&sb, ",\"host\":");
	json_str(&sb, host);
	sb_adds(&sb, ",\"state_created\":");
	if (since)
		json_str(&sb, since);
	else
		sb_adds(&sb, "null");
	sb_addf(&sb, ",\"journal\":%s,\"goals_total\":%zu,\"goals_met\":%zu,\"complete\":%s,\"goals\":[",
		have_journal ? "true" : "false", sc->n, sc->met, sc->met == sc->n ? "true" : "false");
	goals_json(&sb, sc);
	sb_adds(&sb, "\n]}\n");
	fputs(sb_str(&sb), stdout);
	sb_release(&sb);
}

static int score_help(void)
{
	puts(_("Usage: cmharden lab score [NAME|FILE.yaml] [--format text|json|csv] [--data-dir DIR]...\n"
	       "Compare a training lab's current state with its scenario's goals and show what\n"
	       "is left. Checks are run on the lab now; attestations and waivers are read from\n"
	       "the journal, counting only those recorded since the lab was last reset. A goal\n"
	       "that wants an attestation is met only by the answer it wants.\n\n"
	       "  -f, --format=FMT    text (default), json or csv (csv: with --data-dir)\n"
	       "  -d, --data-dir=DIR  score the trainee whose cmharden data directory is DIR\n"
	       "                      (their $XDG_DATA_HOME/cmharden: journal.db and labs/),\n"
	       "                      read-only; repeat it to score a room, one row per trainee\n\n"
	       "--journal PATH scores the trainee whose journal is PATH (its directory is their\n"
	       "data directory), never this user's own lab.\n\n"
	       "Exit status: 0 when every goal is met (for every trainee), 1 when some are left,\n"
	       "2 on errors (a trainee who cannot be scored is an error)."));
	return EXIT_PASS;
}

/* One trainee's lab: the scored goals and what the instructor reviews. */
typedef struct trainee {
	const char *dir;   /* the data directory scored; NULL: this user's own */
	char *error;       /* why it could not be scored, or NULL */
	char *tspec;
	char *since;       /* when the lab's state was created */
	char *last;        /* the newest journal record for the lab since then, or NULL */
	char *operator_;   /* who recorded it (the newest session's operator), or NULL */
	bool have_view;
	jq_view jv;
	lab_score sc;
	const char **fixed; /* checks with a fix applied and not undone since `since` */
	size_t nfixed;
	const jq_attest **attests; /* every attestation since `since`, oldest first */
	size_t nattests;
} trainee;

static void trainee_release(trainee *t)
{
	score_release(&t->sc);
	if (t->have_view)
		jq_release(&t->jv);
	free(t->error), free(t->tspec), free(t->since), free(t->last), free(t->operator_);
	free(t->fixed), free(t->attests);
	memset(t, 0, sizeof *t);
}

static void newest(char **last, const char *at, const char *since)
{
	if (at && *at && score_time_counts(at, since) && (!*last || strcmp(at, *last) > 0)) {
		free(*last);
		*last = xstrdup(at);
	}
}

/* What the trainee did since the lab was (re)created: fixes still in place,
 * attestations, the last thing recorded and who recorded it. */
static void trainee_review(trainee *t)
{
	const jq_view *v = &t->jv;
	for (size_t i = 0; i < v->nchanges; i++) {
		const jq_change *c = &v->changes[i];
		const jq_run *r = jq_run_get(v, c->run);
		newest(&t->last, c->updated, t->since);
		if (!r || !r->check_id || !r->kind || strcmp(r->kind, "apply") || c->state != CH_APPLIED ||
		    c->undone_by || !score_time_counts(c->updated, t->since))
			continue;
		bool seen = false;
		for (size_t k = 0; k < t->nfixed && !seen; k++)
			seen = !strcmp(t->fixed[k], r->check_id);
		if (!seen) {
			t->fixed = xrealloc(t->fixed, (t->nfixed + 1) * sizeof *t->fixed);
			t->fixed[t->nfixed++] = r->check_id;
		}
	}
	for (size_t i = 0; i < v->nattests; i++) {
		newest(&t->last, v->attests[i].at, t->since);
		if (!score_time_counts(v->attests[i].at, t->since))
			continue;
		t->attests = xrealloc(t->attests, (t->nattests + 1) * sizeof *t->attests);
		t->attests[t->nattests++] = &v->attests[i];
	}
	for (size_t i = 0; i < v->nwaivers; i++)
		newest(&t->last, v->waivers[i].at, t->since);
	for (size_t i = v->nsessions; i-- > 0 && !t->operator_;)
		if (score_time_counts(v->sessions[i].started, t->since))
			t->operator_ = xstrdup(v->sessions[i].operator_);
}

/* Scores the lab `name` kept in `dir` (NULL: this user's data directory, read
 * and written as any command does; else read-only). Errors go to t->error. */
static void trainee_score(trainee *t, const cli_opts *g, catalog *cat, const scenario *s, const char *spath,
			  const char *name)
{
	char *err = NULL, *ddir = NULL, *state = NULL, *jpath = NULL;
	target *tg = NULL;
	engine e;
	bool have_engine = false;
	journal *j = NULL;
	ddir = t->dir ? xstrdup(t->dir) : data_dir(&err);
	if (!ddir)
		goto out;
	/* A trainee's lab (--data-dir) is another user's: read-only, never the session's own target. */
	if (t->dir ? session_open_lab_readonly(cat->dir, name, ddir, cat, &tg, &e, &err) < 0
		   : session_open_target(t->tspec, cat->dir, cat, &tg, &e, &err) < 0)
		goto out;
	have_engine = true;
	state = lab_state_path(ddir, spath, s);
	t->since = lab_state_created(state);
	/* Scoring only reads: a journal that does not exist yet is not created. */
	if (t->dir) {
		/* A trainee's journal (--data-dir) is only read, never the session's own. */
		jpath = xasprintf("%s/journal.db", ddir);
		if (session_open_journal_readonly(jpath, &j, &err) < 0)
			goto out;
	} else if (session_open_journal(g, false, &j, &err) < 0) {
		goto out;
	}
	if (j) {
		/* Attestations and waivers meet goals: only from a journal proved unaltered. */
		if (journal_require_intact(j, &err) < 0 || jq_load(j, tg->spec, &t->jv, &err) < 0)
			goto out;
		t->have_view = true;
		trainee_review(t);
	}
	char today[11];
	today_utc(today);
	score_eval(&t->sc, s, &e, t->have_view ? &t->jv : NULL, t->since, today, &err);
out:
	if (err)
		t->error = err;
	journal_close(j);
	if (have_engine)
		engine_release(&e);
	target_close(tg);
	free(ddir), free(state), free(jpath);
}

/* "1:05" (hours:minutes) from the lab's creation to the last record; "" if unknown. */
static char *time_taken(const trainee *t, long *seconds)
{
	*seconds = -1;
	struct tm a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (!t->since || !t->last || !strptime(t->since, "%Y-%m-%dT%H:%M:%S", &a) ||
	    !strptime(t->last, "%Y-%m-%dT%H:%M:%S", &b))
		return xstrdup("");
	*seconds = (long)difftime(timegm(&b), timegm(&a));
	if (*seconds < 0)
		*seconds = 0;
	return xasprintf("%ld:%02ld", *seconds / 3600, *seconds / 60 % 60);
}

static void room_text(const scenario *s, trainee *v, size_t n)
{
	char *title = sanitize_dup(content_text(s->title), 0);
	printf(_("Lab %s: %s\n"), s->name, title);
	free(title);
	printf(ngettext("%zu trainee\n", "%zu trainees\n", n), n);
	for (size_t i = 0; i < n; i++) {
		trainee *t = &v[i];
		char *dir = sanitize_dup(t->dir, 0), *op = sanitize_dup(t->operator_ ? t->operator_ : "?", 0);
		printf("\n%s (%s)\n", dir, op);
		if (t->error) {
			char *e = sanitize_dup(t->error, 0);
			printf(_("  not scored: %s\n"), e);
			free(e);
		} else {
			long sec;
			char *tt = time_taken(t, &sec);
			printf(_("  goals met: %zu of %zu; checks fixed: %zu; attestations: %zu; time taken: %s\n"),
			       t->sc.met, t->sc.n, t->nfixed, t->nattests, *tt ? tt : _("unknown"));
			free(tt);
			for (size_t k = 0; k < t->sc.n; k++)
				if (!t->sc.items[k].met)
					printf(_("  left: %s\n"), t->sc.items[k].chk->id);
			for (size_t k = 0; k < t->nattests; k++) {
				const jq_attest *a = t->attests[k];
				char *note = sanitize_dup(a->note, 0);
				printf("  %s %s: %s\n", a->compliant ? _("compliant") : _("not compliant"), a->check_id, note);
				free(note);
			}
		}
		free(dir);
		free(op);
	}
}

static void room_json(const scenario *s, trainee *v, size_t n)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "{\"lab\":");
	json_str(&sb, s->name);
	sb_adds(&sb, ",\"title\":");
	json_str(&sb, s->title);
	sb_addf(&sb, ",\"goals_total\":%zu,\"trainees\":[", s->ngoals);
	for (size_t i = 0; i < n; i++) {
		trainee *t = &v[i];
		sb_adds(&sb, i ? ",\n{\"data_dir\":" : "\n{\"data_dir\":");
		json_str(&sb, t->dir);
		sb_adds(&sb, ",\"operator\":");
		json_str(&sb, t->operator_);
		sb_adds(&sb, ",\"error\":");
		json_str(&sb, t->error);
		if (t->error) {
			sb_adds(&sb, "}");
			continue;
		}
		long sec;
		char *tt = time_taken(t, &sec);
		free(tt);
		sb_adds(&sb, ",\"state_created\":");
		json_str(&sb, t->since);
		sb_adds(&sb, ",\"last_record\":");
		json_str(&sb, t->last);
		if (sec >= 0)
			sb_addf(&sb, ",\"seconds_taken\":%ld", sec);
		else
			sb_adds(&sb, ",\"seconds_taken\":null");
		sb_addf(&sb, ",\"goals_met\":%zu,\"complete\":%s,\"checks_fixed\":[", t->sc.met,
			t->sc.met == t->sc.n ? "true" : "false");
		for (size_t k = 0; k < t->nfixed; k++) {
			if (k)
				sb_addc(&sb, ',');
			json_str(&sb, t->fixed[k]);
		}
		sb_adds(&sb, "],\"attestations\":[");
		for (size_t k = 0; k < t->nattests; k++) {
			const jq_attest *a = t->attests[k];
			sb_adds(&sb, k ? ",{\"check\":" : "{\"check\":");
			json_str(&sb, a->check_id);
			sb_addf(&sb, ",\"answer\":\"%s\",\"note\":", a->compliant ? "compliant" : "not_compliant");
			json_str(&sb, a->note);
			sb_adds(&sb, ",\"operator\":");
			json_str(&sb, a->operator_);
			sb_adds(&sb, ",\"at\":");
			json_str(&sb, a->at);
			sb_addc(&sb, '}');
		}
		sb_adds(&sb, "],\"goals\":[");
		goals_json(&sb, &t->sc);
		sb_adds(&sb, "]}");
	}
	sb_adds(&sb, "\n]}\n");
	fputs(sb_str(&sb), stdout);
	sb_release(&sb);
}

/* RFC 4180: quoted when it holds a comma, a quote or a line break. */
static void csv_field(strbuf *sb, const char *s, bool last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		sb_addc(sb, '"');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				sb_addc(sb, '"');
			sb_addc(sb, *p);
		}
		sb_addc(sb, '"');
	} else if (s) {
		sb_adds(sb, s);
	}
	sb_adds(sb, last ? "\r\n" : ",");
}

static void room_csv(trainee *v, size_t n)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "data_dir,operator,goals_met,goals_total,checks_fixed,attestations,seconds_taken,error\r\n");
	for (size_t i = 0; i < n; i++) {
		trainee *t = &v[i];
		csv_field(&sb, t->dir, false);
		csv_field(&sb, t->operator_, false);
		if (t->error) {
			sb_adds(&sb, ",,,,,");
			csv_field(&sb, t->error, true);
			continue;
		}
		sb_addf(&sb, "%zu,%zu,", t->sc.met, t->sc.n);
		strbuf x = STRBUF_INIT;
		sb_adds(&x, "");
		for (size_t k = 0; k < t->nfixed; k++)
			sb_addf(&x, "%s%s", k ? " " : "", t->fixed[k]);
		csv_field(&sb, sb_str(&x), false);
		sb_reset(&x);
		/* One cell: "CHECK=compliant: NOTE" per attestation, a line each. */
		for (size_t k = 0; k < t->nattests; k++)
			sb_addf(&x, "%s%s=%s: %s", k ? "\n" : "", t->attests[k]->check_id,
				t->attests[k]->compliant ? "compliant" : "not_compliant", t->attests[k]->note);
		csv_field(&sb, sb_str(&x), false);
		sb_release(&x);
		long sec;
		char *tt = time_taken(t, &sec);
		free(tt);
		if (sec >= 0)
			sb_addf(&sb, "%ld", sec);
		sb_adds(&sb, ",\r\n");
	}
	fputs(sb_str(&sb), stdout);
	sb_release(&sb);
}

int lab_score_cmd(const cli_opts *g, const char *name, int argc, char **argv)
{
	static const struct option lo[] = {{"format", required_argument, NULL, 'f'},
					   {"data-dir", required_argument, NULL, 'd'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	const char *format = "text";
	const char **dirs = NULL;
	size_t ndirs = 0;
	int c;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:d:h", lo, NULL)) != -1) {
		if (c == 'f') {
			format = optarg;
		} else if (c == 'd') {
			dirs = xrealloc(dirs, (ndirs + 1) * sizeof *dirs);
			dirs[ndirs++] = optarg;
		} else if (c == 'h') {
			free(dirs);
			return score_help();
		} else {
			free(dirs);
			return cli_usage_error("lab score ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	int usage = 0;
	if (optind < argc)
		name = argv[optind++];
	if (optind < argc)
		usage = cli_usage_error("lab score ", _("unexpected argument '%s'"), argv[optind]);
	else if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv"))
		usage = cli_usage_error("lab score ", _("unknown format '%s' (text, json or csv)"), format);
	else if (!strcmp(format, "csv") && !ndirs && !g->journal)
		usage = cli_usage_error("lab score ", _("--format csv is for a room: give --data-dir DIR"));
	else if (!name)
		usage = cli_usage_error("lab score ", _("the target '%s' is not a lab"), g->target);
	if (usage) {
		free(dirs);
		return usage;
	}
	/* A journal named on the command line is a trainee's: score the lab kept
	 * beside it, never this user's own state. */
	char *jdir = NULL;
	if (g->journal && !ndirs) {
		jdir = xstrdup(g->journal);
		char *slash = strrchr(jdir, '/');
		if (slash && slash != jdir)
			*slash = '\0';
		else if (slash)
			slash[1] = '\0';
		else
			strcpy(jdir, ".");
		dirs = xrealloc(dirs, sizeof *dirs);
		dirs[ndirs++] = jdir;
	}

	int rc = EXIT_ERROR;
	catalog cat;
	if (session_load_catalog(g, &cat) < 0) {
		free(dirs);
		free(jdir);
		return EXIT_ERROR;
	}
	char *spath = lab_scenario_path(cat.dir, name);
	scenario s;
	diags d;
	diags_init(&d);
	size_t nt = ndirs ? ndirs : 1;
	trainee *tv = xcalloc(nt, sizeof *tv);
	if (scenario_load(&s, spath, &d) < 0) {
		diags_print(&d, stderr);
		goto out;
	}
	if (!s.ngoals) {
		fprintf(stderr, _("cmharden: the lab '%s' has no goals to score\n"), s.name);
		goto out;
	}
	bool all_met = true, any_error = false;
	for (size_t i = 0; i < nt; i++) {
		tv[i].dir = ndirs ? dirs[i] : NULL;
		tv[i].tspec = xasprintf("lab:%s", name);
		trainee_score(&tv[i], g, &cat, &s, spath, name);
		any_error |= tv[i].error != NULL;
		all_met &= !tv[i].error && tv[i].sc.met == tv[i].sc.n;
	}
	if (!ndirs || (jdir && strcmp(format, "csv"))) {
		/* One lab: the goal by goal view. */
		if (tv[0].error) {
			fprintf(stderr, "cmharden: %s\n", tv[0].error);
			goto out;
		}
		if (!strcmp(format, "json"))
			print_json(&s, tv[0].tspec, &tv[0].sc, tv[0].have_view, tv[0].since);
		else
			print_text(&s, tv[0].tspec, &tv[0].sc, tv[0].have_view);
	} else if (!strcmp(format, "json")) {
		room_json(&s, tv, nt);
	} else if (!strcmp(format, "csv")) {
		room_csv(tv, nt);
	} else {
		room_text(&s, tv, nt);
	}
	rc = any_error ? EXIT_ERROR : all_met ? EXIT_PASS : EXIT_FINDINGS;
out:
	for (size_t i = 0; i < nt; i++)
		trainee_release(&tv[i]);
	free(tv);
	scenario_release(&s);
	diags_release(&d);
	catalog_release(&cat);
	free(spath);
	free(dirs);
	free(jdir);
	return rc;
}
