/* query.c — every read of the journal: changes, runs, results and verdicts
 * for the commands, the wizard and resume, and the view of one target that
 * reports and lab scores read (see query.h). Nothing here writes. */
#include "config.h"
#include "journal/query.h"
#include "journal/journal_int.h"
#include "journal/verify.h"
#include "base/i18n.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* ---------- reading changes ---------- */

#define CHANGE_COLS                                                                                     \
	"SELECT c.id, c.run, r.session, coalesce(c.undoes, 0), c.class, c.key, c.property, c.before,"   \
	" c.after, c.state, s.target, c.kind, c.params, c.observed, c.updated FROM changes c"            \
	" JOIN fix_runs r ON r.id = c.run"                                                              \
	" JOIN sessions s ON s.id = r.session "

const char *jcol_text(sqlite3_stmt *st, int c)
{
	const char *t = (const char *)sqlite3_column_text(st, c);
	return t ? t : "";
}

static int change_from_row(sqlite3_stmt *st, jchange *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->run = sqlite3_column_int64(st, 1);
	c->session = sqlite3_column_int64(st, 2);
	c->undoes = sqlite3_column_int64(st, 3);
	c->cls = xstrdup(jcol_text(st, 4));
	c->key = xstrdup(jcol_text(st, 5));
	c->prop = xstrdup(jcol_text(st, 6));
	c->target = xstrdup(jcol_text(st, 10));
	if (value_decode(jcol_text(st, 7), (size_t)sqlite3_column_bytes(st, 7), &c->before) < 0 ||
	    value_decode(jcol_text(st, 8), (size_t)sqlite3_column_bytes(st, 8), &c->after) < 0 ||
	    jstate_parse(jcol_text(st, 9), &c->state) < 0)
		return -1;
	c->updated = xstrdup(jcol_text(st, 14));
	if (sqlite3_column_type(st, 13) != SQLITE_NULL &&
	    value_decode(jcol_text(st, 13), (size_t)sqlite3_column_bytes(st, 13), &c->observed) == 0)
		c->has_observed = true;
	c->script = !strcmp(jcol_text(st, 11), "script");
	if (c->script && script_params_decode(jcol_text(st, 12), (size_t)sqlite3_column_bytes(st, 12), &c->state_type,
					      &c->params, &c->nparams) < 0)
		return -1;
	return 0;
}

/* Runs CHANGE_COLS + `tail` with arguments bound as in bind_args. */
int jread_changes(journal *j, jchange **out, size_t *n, char **err, const char *tail, const char *fmt, ...)
{
	*out = NULL;
	*n = 0;
	char *sql = xasprintf("%s%s", CHANGE_COLS, tail);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		*err = jdb_err(j->db, "cannot read the journal");
		return -1;
	}
	va_list ap;
	va_start(ap, fmt);
	jbind_args(st, fmt, ap, NULL, 0);
	va_end(ap);
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(*out, cap, *n + 1);
		if (change_from_row(st, &(*out)[(*n)++]) < 0) {
			*err = xasprintf(_("change %lld in the journal is corrupt"), (long long)(*out)[*n - 1].id);
			rc = SQLITE_ERROR;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		if (!*err)
			*err = jdb_err(j->db, "cannot read the journal");
		jchanges_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int journal_change_get(journal *j, int64_t id, jchange *out, char **err)
{
	jchange *v;
	size_t n;
	if (jread_changes(j, &v, &n, err, "WHERE c.id = ?", "i", id) < 0)
		return -1;
	if (n == 0) {
		free(v);
		*err = xasprintf(_("there is no change %lld in the journal"), (long long)id);
		return -1;
	}
	*out = v[0];
	free(v);
	return 0;
}

/* The operator's verdicts come from the report view, so `check`, reports and
 * scores apply one rule (jq_waiver_for, jq_attestation_for): a waiver in
 * force outranks an attestation of the same check. They settle verdicts, so
 * they are read only from a journal proved unaltered, as undo reads changes. */
int journal_verdicts(journal *j, const char *tspec, const char *today, jverdict **out, size_t *n,
		     char **err)
{
	*out = NULL;
	*n = 0;
	jq_view v;
	if (journal_require_intact(j, err) < 0 || jq_load(j, tspec, &v, err) < 0)
		return -1;
	size_t cap = 0;
	/* Every check named by an attestation or a waiver, once, in the order first named. */
	for (size_t i = 0; i < v.nattests + v.nwaivers; i++) {
		const char *id = i < v.nwaivers ? v.waivers[i].check_id : v.attests[i - v.nwaivers].check_id;
		bool seen = false;
		for (size_t k = 0; k < *n && !seen; k++)
			seen = !strcmp((*out)[k].check_id, id);
		const jq_waiver *w = seen ? NULL : jq_waiver_for(&v, id, today);
		const jq_attest *a = seen || w ? NULL : jq_attestation_for(&v, id);
		if (!w && !a)
			continue;
		GROW(*out, cap, *n + 1);
		jverdict *x = &(*out)[(*n)++];
		x->check_id = xstrdup(id);
		x->waived = w != NULL;
		x->compliant = w || a->compliant;
		x->text = xstrdup(w ? w->reason : a->note);
		x->operator_ = xstrdup(w ? w->operator_ : a->operator_);
		x->at = xstrdup(w ? w->at : a->at);
		x->until = w && *w->until ? xstrdup(w->until) : NULL;
	}
	jq_release(&v);
	return 0;
}

void jverdicts_free(jverdict *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].check_id);
		free(v[i].text);
		free(v[i].operator_);
		free(v[i].at);
		free(v[i].until);
	}
	free(v);
}

int journal_unresolved(journal *j, const char *tspec, const char *site, jchange **out, size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	if (journal_require_intact(j, err) < 0)
		return -1;
	return jread_changes(j, out, n, err,
			     "WHERE " JOURNAL_SITE_SESSIONS " AND c.state IN ('planned','conflict') ORDER BY c.id", "sss",
			     tspec, site, site);
}

int64_t journal_data_version(journal *j)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(j->db, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	/* data_version counts other connections' commits; our own show in total_changes. */
	return v < 0 ? -1 : v * 1000003 + sqlite3_total_changes(j->db);
}

/* ---------- undo selection ---------- */

int journal_undoable(journal *j, const char *tspec, const char *site, undo_scope scope, int64_t id, jchange **out,
		     size_t *n, char **err)
{
	static const char *where[] = {"AND c.id = ?", "AND c.run = ?", "AND r.session = ?"};
	*out = NULL;
	*n = 0;
	if (journal_require_intact(j, err) < 0)
		return -1;
	char *tail = xasprintf("WHERE " JOURNAL_SITE_SESSIONS " AND r.kind = 'apply' AND c.state = 'applied' %s"
			       " ORDER BY c.id DESC",
			       where[scope]);
	int rc = jread_changes(j, out, n, err, tail, "sssi", tspec, site, site, id);
	free(tail);
	return rc;
}

int64_t journal_last_undoable_session(journal *j, const char *tspec, const char *site, char **err)
{
	sqlite3_stmt *st;
	if (journal_require_intact(j, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(j->db,
			       "SELECT max(r.session) FROM changes c JOIN fix_runs r ON r.id = c.run"
			       " JOIN sessions s ON s.id = r.session"
			       " WHERE " JOURNAL_SITE_SESSIONS " AND r.kind = 'apply' AND c.state = 'applied'",
			       -1, &st, NULL) != SQLITE_OK) {
		*err = jdb_err(j->db, "cannot read the journal");
		return -1;
	}
	sqlite3_bind_text(st, 1, tspec, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, site, -1, SQLITE_STATIC);
	int64_t id = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

/* ---------- history for front ends ---------- */

int journal_changes(journal *j, const char *tspec, jchange **out, size_t *n, char **err)
{
	return jread_changes(j, out, n, err, "WHERE s.target = ? ORDER BY c.id", "s", tspec);
}

int journal_runs(journal *j, const char *tspec, jrun **out, size_t *n, char **err)
{
	static const char *sql =
		"SELECT r.id, r.session, coalesce(r.fix_id, ''), coalesce(r.check_id, ''), r.kind,"
		" coalesce(r.outcome, ''), r.started, s.started, s.operator, coalesce(s.command, '')"
		" FROM fix_runs r JOIN sessions s ON s.id = r.session WHERE s.target = ? ORDER BY r.id";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK) {
		*err = jdb_err(j->db, "cannot read the journal");
		return -1;
	}
	sqlite3_bind_text(st, 1, tspec, -1, SQLITE_STATIC);
	int rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(*out, cap, *n + 1);
		jrun *r = &(*out)[(*n)++];
		r->id = sqlite3_column_int64(st, 0);
		r->session = sqlite3_column_int64(st, 1);
		r->fix_id = xstrdup(jcol_text(st, 2));
		r->check_id = xstrdup(jcol_text(st, 3));
		r->kind = xstrdup(jcol_text(st, 4));
		r->outcome = xstrdup(jcol_text(st, 5));
		r->started = xstrdup(jcol_text(st, 6));
		r->session_started = xstrdup(jcol_text(st, 7));
		r->operator_ = xstrdup(jcol_text(st, 8));
		r->command = xstrdup(jcol_text(st, 9));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*err = jdb_err(j->db, "cannot read the journal");
		jruns_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void jruns_free(jrun *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].fix_id);
		free(v[i].check_id);
		free(v[i].kind);
		free(v[i].outcome);
		free(v[i].started);
		free(v[i].session_started);
		free(v[i].operator_);
		free(v[i].command);
	}
	free(v);
}

/* ---------- resuming a session ---------- */

int64_t journal_last_session(journal *j, const char *tspec, const char *command, char **started,
			     size_t *nchecks, char **err)
{
	*started = NULL;
	*nchecks = 0;
	sqlite3_stmt *st;
	if (journal_require_intact(j, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(j->db,
			       "SELECT s.id, s.started, (SELECT count(DISTINCT r.check_id) FROM results r WHERE r.session = s.id)"
			       " FROM sessions s WHERE s.target = ? AND s.command = ?"
			       " AND EXISTS (SELECT 1 FROM results x WHERE x.session = s.id) ORDER BY s.id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK) {
		*err = jdb_err(j->db, "cannot read the journal");
		return -1;
	}
	sqlite3_bind_text(st, 1, tspec, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, command, -1, SQLITE_STATIC);
	int64_t id = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		*started = xstrdup(jcol_text(st, 1));
		*nchecks = (size_t)sqlite3_column_int64(st, 2);
	} else if (rc != SQLITE_DONE) {
		*err = jdb_err(j->db, "cannot read the journal");
		id = -1;
	}
	sqlite3_finalize(st);
	return id;
}

int journal_session_results(journal *j, int64_t session, jresult **out, size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (journal_require_intact(j, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(j->db,
			       "SELECT r.check_id, r.status, coalesce(r.reason, ''), r.at FROM results r"
			       " WHERE r.session = ? AND r.id = (SELECT max(id) FROM results q"
			       " WHERE q.session = r.session AND q.check_id = r.check_id) ORDER BY r.id",
			       -1, &st, NULL) != SQLITE_OK) {
		*err = jdb_err(j->db, "cannot read the journal");
		return -1;
	}
	sqlite3_bind_int64(st, 1, session);
	int rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(*out, cap, *n + 1);
		jresult *r = &(*out)[(*n)++];
		r->check_id = xstrdup(jcol_text(st, 0));
		r->status = xstrdup(jcol_text(st, 1));
		r->reason = xstrdup(jcol_text(st, 2));
		r->at = xstrdup(jcol_text(st, 3));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*err = jdb_err(j->db, "cannot read the journal");
		jresults_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void jresults_free(jresult *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].check_id);
		free(v[i].status);
		free(v[i].reason);
		free(v[i].at);
	}
	free(v);
}

/* ---------- the view of one target, for reports and scores ---------- */

static char *dup_col(sqlite3_stmt *st, int c)
{
	if (sqlite3_column_type(st, c) == SQLITE_NULL)
		return NULL;
	const unsigned char *t = sqlite3_column_text(st, c);
	return xstrndup(t ? (const char *)t : "", (size_t)sqlite3_column_bytes(st, c));
}

static char *dup_col_empty(sqlite3_stmt *st, int c)
{
	char *s = dup_col(st, c);
	return s ? s : xstrdup("");
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, const char *tspec, char **err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		*err = xasprintf(_("cannot read the journal: %s"), sqlite3_errmsg(db));
		return NULL;
	}
	sqlite3_bind_text(st, 1, tspec, -1, SQLITE_TRANSIENT);
	return st;
}

/* Runs `sql` (bound to the target) and hands each row to `row`. */
static int each_row(sqlite3 *db, const char *sql, const char *tspec, char **err,
		    void (*row)(jq_view *, sqlite3_stmt *), jq_view *v)
{
	sqlite3_stmt *st = prepare(db, sql, tspec, err);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row(v, st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*err = xasprintf(_("cannot read the journal: %s"), sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static void row_session(jq_view *v, sqlite3_stmt *st)
{
	v->sessions = xrealloc(v->sessions, (v->nsessions + 1) * sizeof *v->sessions);
	jq_session *s = &v->sessions[v->nsessions++];
	s->id = sqlite3_column_int64(st, 0);
	s->started = dup_col_empty(st, 1);
	s->operator_ = dup_col_empty(st, 2);
	s->target = dup_col_empty(st, 3);
	s->site = dup_col_empty(st, 4);
	s->digest = dup_col_empty(st, 5);
	s->command = dup_col_empty(st, 6);
}

static void row_run(jq_view *v, sqlite3_stmt *st)
{
	v->runs = xrealloc(v->runs, (v->nruns + 1) * sizeof *v->runs);
	jq_run *r = &v->runs[v->nruns++];
	r->id = sqlite3_column_int64(st, 0);
	r->session = sqlite3_column_int64(st, 1);
	r->fix_id = dup_col(st, 2);
	r->check_id = dup_col(st, 3);
	r->kind = dup_col_empty(st, 4);
	r->started = dup_col(st, 5);
	r->finished = dup_col(st, 6);
	r->outcome = dup_col(st, 7);
}

static void row_result(jq_view *v, sqlite3_stmt *st)
{
	v->results = xrealloc(v->results, (v->nresults + 1) * sizeof *v->results);
	jq_result *r = &v->results[v->nresults++];
	r->id = sqlite3_column_int64(st, 0);
	r->session = sqlite3_column_int64(st, 1);
	r->run = sqlite3_column_int64(st, 2);
	r->check_id = dup_col_empty(st, 3);
	r->status = dup_col_empty(st, 4);
	r->reason = dup_col(st, 5);
	r->evidence_json = dup_col(st, 6);
	r->at = dup_col_empty(st, 7);
}

static void row_attest(jq_view *v, sqlite3_stmt *st)
{
	v->attests = xrealloc(v->attests, (v->nattests + 1) * sizeof *v->attests);
	jq_attest *a = &v->attests[v->nattests++];
	a->id = sqlite3_column_int64(st, 0);
	a->session = sqlite3_column_int64(st, 1);
	a->check_id = dup_col_empty(st, 2);
	a->note = dup_col_empty(st, 3);
	a->operator_ = dup_col_empty(st, 4);
	a->at = dup_col_empty(st, 5);
	const unsigned char *ans = sqlite3_column_text(st, 6);
	a->compliant = !ans || strcmp((const char *)ans, "no") != 0;
}

static void row_waiver(jq_view *v, sqlite3_stmt *st)
{
	v->waivers = xrealloc(v->waivers, (v->nwaivers + 1) * sizeof *v->waivers);
	jq_waiver *w = &v->waivers[v->nwaivers++];
	w->id = sqlite3_column_int64(st, 0);
	w->session = sqlite3_column_int64(st, 1);
	w->check_id = dup_col_empty(st, 2);
	w->reason = dup_col_empty(st, 3);
	w->until = dup_col_empty(st, 4);
	w->operator_ = dup_col_empty(st, 5);
	w->at = dup_col_empty(st, 6);
}

/* The first time the log recorded a change entering a state. Changes are read
 * ordered by id, so the change is found by bisection. */
static void row_change_time(jq_view *v, sqlite3_stmt *st)
{
	int64_t id = sqlite3_column_int64(st, 0);
	const char *event = (const char *)sqlite3_column_text(st, 1);
	size_t lo = 0, hi = v->nchanges;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->changes[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == v->nchanges || v->changes[lo].id != id || !event)
		return;
	jq_change *c = &v->changes[lo];
	char **slot = !strcmp(event, "planned")	  ? &c->planned_at
		      : !strcmp(event, "applied") ? &c->applied_at
		      : !strcmp(event, "undone")  ? &c->undone_at
						  : NULL;
	if (slot && !*slot)
		*slot = dup_col(st, 2);
}

/* When each change of the target entered each state, read after the changes. */
static const char change_times_sql[] =
	"SELECT l.row_id, l.event, min(l.at) FROM log l JOIN changes c ON c.id = l.row_id"
	" JOIN fix_runs r ON r.id = c.run JOIN sessions s ON s.id = r.session"
	" WHERE l.tbl = 'changes' AND s.target = ?1 GROUP BY l.row_id, l.event ORDER BY l.row_id";

int jq_load(journal *j, const char *tspec, jq_view *v, char **err)
{
	static const struct {
		const char *sql;
		void (*row)(jq_view *, sqlite3_stmt *);
	} queries[] = {
		{"SELECT id, started, operator, target, site, content_digest, command FROM sessions"
		 " WHERE target = ?1 ORDER BY id",
		 row_session},
		{"SELECT r.id, r.session, r.fix_id, r.check_id, r.kind, r.started, r.finished, r.outcome"
		 " FROM fix_runs r JOIN sessions s ON s.id = r.session WHERE s.target = ?1 ORDER BY r.id",
		 row_run},
		{"SELECT x.id, x.session, coalesce(x.run, 0), x.check_id, x.status, x.reason, x.evidence, x.at"
		 " FROM results x JOIN sessions s ON s.id = x.session WHERE s.target = ?1 ORDER BY x.id",
		 row_result},
		{"SELECT a.id, a.session, a.check_id, a.note, a.operator, a.at, a.answer FROM attestations a"
		 " JOIN sessions s ON s.id = a.session WHERE s.target = ?1 ORDER BY a.id",
		 row_attest},
		{"SELECT w.id, w.session, w.check_id, w.reason, coalesce(w.until, ''), w.operator, w.at"
		 " FROM waivers w JOIN sessions s ON s.id = w.session WHERE s.target = ?1 ORDER BY w.id",
		 row_waiver},
	};
	memset(v, 0, sizeof *v);
	v->target = xstrdup(tspec);
	sqlite3 *db = j->db;
	/* One read transaction: every table is read from the same snapshot. */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		*err = xasprintf(_("cannot read the journal: %s"), sqlite3_errmsg(db));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < ARRAY_SIZE(queries) && rc == 0; i++)
		rc = each_row(db, queries[i].sql, tspec, err, queries[i].row, v);
	if (rc == 0)
		rc = jread_changes(j, &v->changes, &v->nchanges, err, "WHERE s.target = ? ORDER BY c.id", "s", tspec);
	if (rc == 0)
		rc = each_row(db, change_times_sql, tspec, err, row_change_time, v);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc < 0) {
		jq_release(v);
		return -1;
	}
	/* Link each change to the undo change that reverted it. */
	for (size_t i = 0; i < v->nchanges; i++) {
		const jq_change *u = &v->changes[i];
		if (!u->undoes || u->state != CH_APPLIED)
			continue;
		for (size_t k = 0; k < v->nchanges; k++)
			if (v->changes[k].id == u->undoes)
				v->changes[k].undone_by = u->id;
	}
	return 0;
}

void jq_release(jq_view *v)
{
	for (size_t i = 0; i < v->nsessions; i++) {
		jq_session *s = &v->sessions[i];
		free(s->started), free(s->operator_), free(s->target), free(s->site), free(s->digest);
		free(s->command);
	}
	for (size_t i = 0; i < v->nruns; i++) {
		jq_run *r = &v->runs[i];
		free(r->fix_id), free(r->check_id), free(r->kind), free(r->started), free(r->finished);
		free(r->outcome);
	}
	jchanges_free(v->changes, v->nchanges);
	for (size_t i = 0; i < v->nresults; i++) {
		jq_result *r = &v->results[i];
		free(r->check_id), free(r->status), free(r->reason), free(r->evidence_json), free(r->at);
	}
	for (size_t i = 0; i < v->nattests; i++) {
		jq_attest *a = &v->attests[i];
		free(a->check_id), free(a->note), free(a->operator_), free(a->at);
	}
	for (size_t i = 0; i < v->nwaivers; i++) {
		jq_waiver *w = &v->waivers[i];
		free(w->check_id), free(w->reason), free(w->until), free(w->operator_), free(w->at);
	}
	free(v->sessions), free(v->runs), free(v->results), free(v->attests);
	free(v->waivers), free(v->target);
	memset(v, 0, sizeof *v);
}

char *jq_session_target(journal *j, int64_t session, char **err)
{
	sqlite3 *db = j->db;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT target FROM sessions WHERE id = ?", -1, &st, NULL) != SQLITE_OK) {
		*err = xasprintf(_("cannot read the journal: %s"), sqlite3_errmsg(db));
		return NULL;
	}
	sqlite3_bind_int64(st, 1, session);
	char *t = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		t = dup_col_empty(st, 0);
	else
		*err = xasprintf(_("there is no session %lld in the journal"), (long long)session);
	sqlite3_finalize(st);
	return t;
}

const jq_session *jq_session_get(const jq_view *v, int64_t id)
{
	for (size_t i = 0; i < v->nsessions; i++)
		if (v->sessions[i].id == id)
			return &v->sessions[i];
	return NULL;
}

const jq_run *jq_run_get(const jq_view *v, int64_t id)
{
	for (size_t i = 0; i < v->nruns; i++)
		if (v->runs[i].id == id)
			return &v->runs[i];
	return NULL;
}

const jq_attest *jq_attestation_for(const jq_view *v, const char *check_id)
{
	for (size_t i = v->nattests; i-- > 0;)
		if (!strcmp(v->attests[i].check_id, check_id))
			return &v->attests[i];
	return NULL;
}

bool jq_waiver_expired(const jq_waiver *w, const char *today)
{
	return *w->until && strcmp(w->until, today) < 0;
}

const jq_waiver *jq_waiver_for(const jq_view *v, const char *check_id, const char *today)
{
	for (size_t i = v->nwaivers; i-- > 0;)
		if (!strcmp(v->waivers[i].check_id, check_id) && !jq_waiver_expired(&v->waivers[i], today))
			return &v->waivers[i];
	return NULL;
}

