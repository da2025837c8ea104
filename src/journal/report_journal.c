/* report_journal.c — read-only queries on the journal for reports and scores
 * (see report_journal.h). */
#include "config.h"
#include "journal/report_journal.h"
#include "base/i18n.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

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

static bool decode_col(sqlite3_stmt *st, int c, value *out)
{
	const unsigned char *t = sqlite3_column_text(st, c);
	if (!t || value_decode((const char *)t, (size_t)sqlite3_column_bytes(st, c), out) < 0) {
		*out = value_null();
		return false;
	}
	return true;
}

static change_state state_of(const char *s)
{
	for (int i = 0; i < CH_NSTATES; i++)
		if (!strcmp(change_state_name((change_state)i), s))
			return (change_state)i;
	return CH_PLANNED; /* the journal's CHECK constraints make this unreachable */
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

static void row_change(jq_view *v, sqlite3_stmt *st)
{
	v->changes = xrealloc(v->changes, (v->nchanges + 1) * sizeof *v->changes);
	jq_change *c = &v->changes[v->nchanges++];
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->run = sqlite3_column_int64(st, 1);
	c->session = sqlite3_column_int64(st, 2);
	c->cls = dup_col_empty(st, 3);
	c->key = dup_col_empty(st, 4);
	c->prop = dup_col_empty(st, 5);
	decode_col(st, 6, &c->before);
	decode_col(st, 7, &c->after);
	if (sqlite3_column_type(st, 8) != SQLITE_NULL)
		c->has_observed = decode_col(st, 8, &c->observed);
	const unsigned char *state = sqlite3_column_text(st, 9);
	c->state = state_of(state ? (const char *)state : "");
	c->undoes = sqlite3_column_int64(st, 10);
	c->updated = dup_col_empty(st, 11);
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
		{"SELECT c.id, c.run, r.session, c.class, c.key, c.property, c.before, c.after, c.observed,"
		 " c.state, coalesce(c.undoes, 0), c.updated FROM changes c JOIN fix_runs r ON r.id = c.run"
		 " JOIN sessions s ON s.id = r.session WHERE s.target = ?1 ORDER BY c.id",
		 row_change},
		{"SELECT l.row_id, l.event, min(l.at) FROM log l JOIN changes c ON c.id = l.row_id"
		 " JOIN fix_runs r ON r.id = c.run JOIN sessions s ON s.id = r.session"
		 " WHERE l.tbl = 'changes' AND s.target = ?1 GROUP BY l.row_id, l.event ORDER BY l.row_id",
		 row_change_time},
		{"SELECT x.id, x.session, coalesce(x.run, 0), x.check_id, x.status, x.reason, x.evidence, x.at"
		 " FROM results x JOIN sessions s ON s.id = x.session WHERE s.target = ?1 ORDER BY x.id",
		 row_result},
		{"SELECT a.id, a.session, a.check_id, a.note, a.operator, a.at FROM attestations a"
		 " JOIN sessions s ON s.id = a.session WHERE s.target = ?1 ORDER BY a.id",
		 row_attest},
		{"SELECT w.id, w.session, w.check_id, w.reason, coalesce(w.until, ''), w.operator, w.at"
		 " FROM waivers w JOIN sessions s ON s.id = w.session WHERE s.target = ?1 ORDER BY w.id",
		 row_waiver},
	};
	memset(v, 0, sizeof *v);
	v->target = xstrdup(tspec);
	sqlite3 *db = journal_sqlite(j);
	/* One read transaction: every table is read from the same snapshot. */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		*err = xasprintf(_("cannot read the journal: %s"), sqlite3_errmsg(db));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < ARRAY_SIZE(queries) && rc == 0; i++)
		rc = each_row(db, queries[i].sql, tspec, err, queries[i].row, v);
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
	for (size_t i = 0; i < v->nchanges; i++) {
		jq_change *c = &v->changes[i];
		free(c->cls), free(c->key), free(c->prop), free(c->updated);
		free(c->planned_at), free(c->applied_at), free(c->undone_at);
		value_clear(&c->before), value_clear(&c->after), value_clear(&c->observed);
	}
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
	free(v->sessions), free(v->runs), free(v->changes), free(v->results), free(v->attests);
	free(v->waivers), free(v->target);
	memset(v, 0, sizeof *v);
}

char *jq_session_target(journal *j, int64_t session, char **err)
{
	sqlite3 *db = journal_sqlite(j);
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

