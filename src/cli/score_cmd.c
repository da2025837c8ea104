/* score_cmd.c — `cmharden lab score [NAME] [--format text|json]`: what is left
 * of a training lab's goals (score.h). An instructor collects the JSON of every
 * trainee's machine; the exit status says whether every goal is met. */
#include "config.h"

#include <getopt.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/json.h"
#include "target/target_lab.h"
#include "base/paths.h"
#include "base/sanitize.h"
#include "report/report.h"
#include "report/score.h"


/* When the lab's state was (re)created: the `created` row of the state file's
 * meta table (written by lab_state_create in target_lab.c). NULL if unknown. */
static char *state_created(const char *state_path)
{
	sqlite3 *db = NULL;
	char *out = NULL;
	if (sqlite3_open_v2(state_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, "SELECT v FROM meta WHERE k = 'created'", -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
				out = xstrdup((const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
		}
	}
	sqlite3_close(db);
	return out;
}

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
		sb_adds(&now, report_status_label(ge->status));
		if (ge->status == ST_FAIL)
			sb_addf(&now, ngettext(" (%zu offending object)", " (%zu offending objects)", ge->offending),
				ge->offending);
		if (ge->attest)
			sb_addf(&now, _(", attested by %s on %.10s"), ge->attest->operator_, ge->attest->at);
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
	for (size_t i = 0; i < sc->n; i++) {
		const goal_eval *ge = &sc->items[i];
		sb_adds(&sb, i ? ",\n{\"check\":" : "\n{\"check\":");
		json_str(&sb, ge->chk->id);
		sb_adds(&sb, ",\"title\":");
		json_str(&sb, ge->chk->title);
		sb_adds(&sb, ",\"wanted\":");
		states_json(&sb, ge->g->want);
		sb_adds(&sb, ",\"now\":");
		states_json(&sb, ge->state);
		sb_addf(&sb, ",\"status\":\"%s\",\"offending\":%zu,\"met\":%s,\"note\":", status_name(ge->status),
			ge->offending, ge->met ? "true" : "false");
		json_str(&sb, ge->g->note);
		sb_adds(&sb, ",\"attestation\":");
		if (ge->attest) {
			sb_addf(&sb, "{\"id\":%lld,\"note\":", (long long)ge->attest->id);
			json_str(&sb, ge->attest->note);
			sb_adds(&sb, ",\"operator\":");
			json_str(&sb, ge->attest->operator_);
			sb_adds(&sb, ",\"at\":");
			json_str(&sb, ge->attest->at);
			sb_addc(&sb, '}');
		} else {
			sb_adds(&sb, "null");
		}
		sb_adds(&sb, ",\"waiver\":");
		if (ge->waiver) {
			sb_addf(&sb, "{\"id\":%lld,\"reason\":", (long long)ge->waiver->id);
			json_str(&sb, ge->waiver->reason);
			sb_adds(&sb, ",\"until\":");
			json_str(&sb, ge->waiver->until);
			sb_adds(&sb, ",\"operator\":");
			json_str(&sb, ge->waiver->operator_);
			sb_addc(&sb, '}');
		} else {
			sb_adds(&sb, "null");
		}
		sb_addc(&sb, '}');
	}
	sb_adds(&sb, "\n]}\n");
	fputs(sb_str(&sb), stdout);
	sb_release(&sb);
}

static int score_help(void)
{
	puts(_("Usage: cmharden lab score [NAME|FILE.yaml] [--format text|json]\n"
	       "Compare a training lab's current state with its scenario's goals and show what\n"
	       "is left. Checks are run on the lab now; attestations and waivers are read from\n"
	       "the journal, counting only those recorded since the lab was last reset.\n\n"
	       "  -f, --format=FMT   text (default) or json (one object per lab, for collecting\n"
	       "                     the scores of a room of trainees)\n\n"
	       "Exit status: 0 when every goal is met, 1 when some are left, 2 on errors."));
	return EXIT_PASS;
}

int lab_score_cmd(const cli_opts *g, const char *name, int argc, char **argv)
{
	static const struct option lo[] = {{"format", required_argument, NULL, 'f'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	const char *format = "text";
	int c;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:h", lo, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'h')
			return score_help();
		else
			return cli_usage_error("lab score ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
	if (optind < argc)
		name = argv[optind++];
	if (optind < argc)
		return cli_usage_error("lab score ", _("unexpected argument '%s'"), argv[optind]);
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage_error("lab score ", _("unknown format '%s' (text or json)"), format);
	if (!name)
		return cli_usage_error("lab score ", _("the target '%s' is not a lab"), g->target);

	int rc = EXIT_ERROR;
	catalog cat;
	if (session_load_catalog(g, &cat) < 0)
		return EXIT_ERROR;
	char *spath = lab_scenario_path(cat.dir, name), *err = NULL, *ddir = NULL, *state = NULL;
	char *since = NULL, *jpath = NULL, *tspec = xasprintf("lab:%s", name);
	scenario s;
	diags d;
	diags_init(&d);
	target *t = NULL;
	engine e;
	bool have_engine = false, have_view = false;
	journal *j = NULL;
	jq_view jv;
	lab_score sc = {0};
	if (scenario_load(&s, spath, &d) < 0) {
		diags_print(&d, stderr);
		goto out;
	}
	if (!s.ngoals) {
		fprintf(stderr, _("cmharden: the lab '%s' has no goals to score\n"), s.name);
		goto out;
	}
	if (session_open_target(tspec, cat.dir, &cat, &t, &e, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		goto out;
	}
	have_engine = true;
	if (!(ddir = data_dir(&err))) {
		fprintf(stderr, "cmharden: %s\n", err);
		goto out;
	}
	state = lab_state_path(ddir, spath, &s);
	since = state_created(state);
	/* Scoring only reads: a journal that does not exist yet is not created. */
	jpath = session_journal_path(g, &err);
	if (!jpath) {
		fprintf(stderr, "cmharden: %s\n", err);
		goto out;
	}
	if (access(jpath, F_OK) == 0) {
		if (journal_open(jpath, &j, &err) < 0 || jq_load(j, t->spec, &jv, &err) < 0) {
			fprintf(stderr, "cmharden: %s\n", err);
			goto out;
		}
		have_view = true;
	}
	char today[11];
	today_utc(today);
	if (score_eval(&sc, &s, &e, have_view ? &jv : NULL, since, today, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		goto out;
	}
	if (!strcmp(format, "json"))
		print_json(&s, t->spec, &sc, have_view, since);
	else
		print_text(&s, t->spec, &sc, have_view);
	rc = sc.met == sc.n ? EXIT_PASS : EXIT_FINDINGS;
out:
	score_release(&sc);
	if (have_view)
		jq_release(&jv);
	journal_close(j);
	if (have_engine)
		engine_release(&e);
	target_close(t);
	scenario_release(&s);
	diags_release(&d);
	catalog_release(&cat);
	free(err), free(spath), free(ddir), free(state), free(since), free(jpath), free(tspec);
	return rc;
}
