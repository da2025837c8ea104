/* journal.c — the undo journal in SQLite (see journal.h and doc/journal.md).
 *
 * Invariants:
 *   - the file is created 0600 by us before SQLite opens it; WAL with
 *     synchronous=FULL, so a committed transaction survives a crash;
 *   - every mutation is one BEGIN IMMEDIATE ... COMMIT that also appends, for
 *     each row it inserts or updates, one `log` row holding the row's full
 *     canonical text; so the newest log entry of a row always equals the row;
 *   - log rows have gap-free seq from 1 and hash = SHA-256 over the previous
 *     hash and the row's fields (hash_row); the log is never updated or
 *     deleted (triggers refuse it, verify detects it if the triggers are
 *     dropped);
 *   - change states only move along the transitions listed in journal.h;
 *   - a column added by a migration (late_columns) appears in a row's
 *     canonical text only when it is not NULL, so rows logged before the
 *     migration still match their log entries and the chain verifies. */
#include "config.h"
#include "journal/journal.h"
#include "base/i18n.h"
#include "base/json.h"
#include "base/paths.h"
#include "remedy/script_run.h"
#include "base/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct journal {
	sqlite3 *db;
	char *path;
};

static const char *state_names[CH_NSTATES] = {"planned", "applied",	  "failed",	"not_applied",
					      "conflict", "undone", "resolved"};

/* Tables whose rows the log covers; also the only names ever spliced into SQL. */
static const char *const tables[] = {"sessions", "fix_runs", "changes", "results", "attestations", "waivers"};

const char *change_state_name(change_state s)
{
	return s < CH_NSTATES ? state_names[s] : "?";
}

static int state_parse(const char *s, change_state *out)
{
	for (int i = 0; i < CH_NSTATES; i++)
		if (s && !strcmp(s, state_names[i])) {
			*out = (change_state)i;
			return 0;
		}
	return -1;
}

static bool transition_ok(change_state from, change_state to)
{
	switch (from) {
	case CH_PLANNED:
		return to == CH_APPLIED || to == CH_FAILED || to == CH_NOT_APPLIED || to == CH_CONFLICT;
	case CH_CONFLICT:
		return to == CH_APPLIED || to == CH_NOT_APPLIED || to == CH_RESOLVED;
	case CH_APPLIED:
		return to == CH_UNDONE;
	default:
		return false;
	}
}

void jchange_release(jchange *c)
{
	script_params_free(c->params, c->nparams);
	free(c->cls);
	free(c->key);
	free(c->prop);
	free(c->target);
	value_clear(&c->before);
	value_clear(&c->after);
	memset(c, 0, sizeof *c);
}

void jchanges_free(jchange *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jchange_release(&v[i]);
	free(v);
}

const char *journal_path(const journal *j)
{
	return j->path;
}

static char *db_err(sqlite3 *db, const char *what)
{
	return xasprintf("%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

static void now_iso(char out[32])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* ---------- schema and migrations ---------- */

static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE sessions(id INTEGER PRIMARY KEY, started TEXT NOT NULL, operator TEXT NOT NULL,"
	" target TEXT NOT NULL, site TEXT, content_digest TEXT, command TEXT);"
	"CREATE TABLE fix_runs(id INTEGER PRIMARY KEY, session INTEGER NOT NULL REFERENCES sessions(id),"
	" fix_id TEXT, check_id TEXT, kind TEXT NOT NULL CHECK(kind IN ('apply','manual','undo')),"
	" started TEXT NOT NULL, finished TEXT, outcome TEXT);"
	"CREATE TABLE changes(id INTEGER PRIMARY KEY, run INTEGER NOT NULL REFERENCES fix_runs(id),"
	" class TEXT NOT NULL, key TEXT NOT NULL, property TEXT NOT NULL, before TEXT NOT NULL,"
	" after TEXT NOT NULL, observed TEXT, state TEXT NOT NULL, undoes INTEGER REFERENCES changes(id),"
	" updated TEXT NOT NULL);"
	"CREATE INDEX changes_state ON changes(state);"
	"CREATE TABLE results(id INTEGER PRIMARY KEY, session INTEGER NOT NULL REFERENCES sessions(id),"
	" run INTEGER REFERENCES fix_runs(id), check_id TEXT NOT NULL, status TEXT NOT NULL, reason TEXT,"
	" evidence TEXT, at TEXT NOT NULL);"
	"CREATE TABLE attestations(id INTEGER PRIMARY KEY, session INTEGER NOT NULL REFERENCES sessions(id),"
	" check_id TEXT NOT NULL, note TEXT NOT NULL, operator TEXT NOT NULL, at TEXT NOT NULL);"
	"CREATE TABLE waivers(id INTEGER PRIMARY KEY, session INTEGER NOT NULL REFERENCES sessions(id),"
	" check_id TEXT NOT NULL, reason TEXT NOT NULL, until TEXT, operator TEXT NOT NULL, at TEXT NOT NULL);"
	"CREATE TABLE log(seq INTEGER PRIMARY KEY, at TEXT NOT NULL, event TEXT NOT NULL, tbl TEXT NOT NULL,"
	" row_id INTEGER NOT NULL, data TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE TRIGGER log_no_update BEFORE UPDATE ON log"
	" BEGIN SELECT RAISE(ABORT, 'the journal log is append-only'); END;"
	"CREATE TRIGGER log_no_delete BEFORE DELETE ON log"
	" BEGIN SELECT RAISE(ABORT, 'the journal log is append-only'); END;",
	/* 1 -> 2: script changes. kind is NULL for a set change (every change of
	 * schema 1), 'script' for a script step; params holds a script change's
	 * state type and parameters (script_params_encode). */
	"ALTER TABLE changes ADD COLUMN kind TEXT CHECK(kind IS NULL OR kind = 'script');"
	"ALTER TABLE changes ADD COLUMN params TEXT;",
};

/* Columns added after schema 1: left out of a row's canonical text while NULL. */
static const struct {
	const char *tbl, *col;
} late_columns[] = {{"changes", "kind"}, {"changes", "params"}};

static bool late_column(const char *tbl, const char *col)
{
	for (size_t i = 0; i < sizeof late_columns / sizeof late_columns[0]; i++)
		if (!strcmp(late_columns[i].tbl, tbl) && !strcmp(late_columns[i].col, col))
			return true;
	return false;
}

static int pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* NULL when PRAGMA quick_check finds the file sound, else what it found. */
static char *sqlite_damage(sqlite3 *db)
{
	sqlite3_stmt *st;
	char *what = NULL;
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK)
		return xstrdup(sqlite3_errmsg(db));
	int rc = sqlite3_step(st);
	const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (rc != SQLITE_ROW)
		what = xstrdup(sqlite3_errmsg(db));
	else if (!r || strcmp(r, "ok") != 0)
		what = xstrdup(r ? r : "?");
	sqlite3_finalize(st);
	/* One line: "*** in database main ***\nPage 3: ..." -> "Page 3: ..." */
	if (what && !strncmp(what, "*** in database main ***\n", 25))
		memmove(what, what + 25, strlen(what + 25) + 1);
	for (char *p = what; p && *p; p++)
		if (*p == '\n')
			*p = ' ';
	return what;
}

/* Brings the schema to JOURNAL_SCHEMA, one migration per transaction. */
static int migrate(journal *j, char **err)
{
	if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot lock the journal");
		return -1;
	}
	int app = pragma_int(j->db, "PRAGMA application_id");
	int ver = pragma_int(j->db, "PRAGMA user_version");
	int objs = pragma_int(j->db, "SELECT count(*) FROM sqlite_master");
	/* A negative schema version is damage, and would index before migrations[]. */
	if (ver < 0 || (app != JOURNAL_APP_ID && !(app == 0 && ver == 0 && objs == 0))) {
		*err = xasprintf(_("%s is not a cmharden journal (it was left untouched)"), j->path);
		goto fail;
	}
	if (ver > JOURNAL_SCHEMA) {
		*err = xasprintf(_("%s was written by a newer cmharden (journal schema %d; this one reads %d)"),
				 j->path, ver, JOURNAL_SCHEMA);
		goto fail;
	}
	for (; ver < JOURNAL_SCHEMA; ver++) {
		char *e = NULL, *sql = xasprintf("%s PRAGMA application_id = %d; PRAGMA user_version = %d;",
						  migrations[ver], JOURNAL_APP_ID, ver + 1);
		int rc = sqlite3_exec(j->db, sql, NULL, NULL, &e);
		free(sql);
		if (rc != SQLITE_OK) {
			*err = xasprintf("cannot migrate the journal to schema %d: %s", ver + 1, e ? e : "?");
			sqlite3_free(e);
			goto fail;
		}
	}
	if (sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot write the journal");
		goto fail;
	}
	return 0;
fail:
	sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

char *journal_default_path(char **err)
{
	char *dir = data_dir(err);
	if (!dir)
		return NULL;
	char *p = xasprintf("%s/journal.db", dir);
	free(dir);
	return p;
}

int journal_open(const char *path, journal **out, char **err)
{
	/* Create it 0600 ourselves so SQLite never makes it with the umask's mode;
	 * SQLite gives the -wal and -shm files the mode of the database. */
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		*err = xasprintf(_("cannot open the journal %s: %s"), path, strerror(errno));
		return -1;
	}
	close(fd);
	journal *j = xcalloc(1, sizeof *j);
	j->path = xstrdup(path);
	if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot open the journal");
		goto fail;
	}
	sqlite3_busy_timeout(j->db, 10000);
	/* A foreign file must be refused before any pragma could write to it. */
	if (sqlite3_exec(j->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
		*err = xasprintf(_("%s is not a cmharden journal (it was left untouched)"), path);
		goto fail;
	}
	/* A damaged file is reported and never written to: SQLite goes on writing
	 * around a corrupt page (a fix was journaled into a file whose fix_runs
	 * table was unreadable), and the journal is the evidence of what changed.
	 * quick_check reads every page once: milliseconds for years of journal. */
	char *damage = sqlite_damage(j->db);
	if (damage) {
		*err = xasprintf(_("%s is damaged (%s); it was left untouched: restore it from a backup, or "
				   "move it away to start a new journal"),
				 path, damage);
		free(damage);
		goto fail;
	}
	if (migrate(j, err) < 0)
		goto fail;
	char *e = NULL;
	if (sqlite3_exec(j->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
			 NULL, NULL, &e) != SQLITE_OK) {
		*err = xasprintf("cannot configure the journal: %s", e ? e : "?");
		sqlite3_free(e);
		goto fail;
	}
	*out = j;
	return 0;
fail:
	journal_close(j);
	return -1;
}

struct sqlite3 *journal_sqlite(journal *j)
{
	return j->db;
}

void journal_close(journal *j)
{
	if (!j)
		return;
	sqlite3_close(j->db);
	free(j->path);
	free(j);
}

/* ---------- transactions and the hash-chained log ---------- */

static int tx_begin(journal *j, char **err)
{
	if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot lock the journal");
		return -1;
	}
	return 0;
}

static int tx_end(journal *j, int rc, char **err)
{
	if (rc == 0 && sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	if (rc == 0 && !*err)
		*err = db_err(j->db, "cannot commit to the journal");
	sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static bool known_table(const char *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++)
		if (!strcmp(tables[i], t))
			return true;
	return false;
}

/* The canonical text of one row: "col=N;" for NULL, "col=iNUM;" for integers,
 * "col=tLEN:TEXT;" for text, in schema column order (a late column that is
 * NULL is left out). -1 if the row is absent. */
static int row_text(journal *j, const char *tbl, int64_t id, strbuf *out)
{
	if (!known_table(tbl))
		return -1;
	char *sql = xasprintf("SELECT * FROM %s WHERE id = ?", tbl);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			if (sqlite3_column_type(st, c) == SQLITE_NULL && late_column(tbl, sqlite3_column_name(st, c)))
				continue;
			sb_addf(out, "%s=", sqlite3_column_name(st, c));
			switch (sqlite3_column_type(st, c)) {
			case SQLITE_NULL:
				sb_adds(out, "N;");
				break;
			case SQLITE_INTEGER:
				sb_addf(out, "i%lld;", (long long)sqlite3_column_int64(st, c));
				break;
			default: {
				const char *t = (const char *)sqlite3_column_text(st, c);
				int n = sqlite3_column_bytes(st, c);
				sb_addf(out, "t%d:", n);
				sb_add(out, t ? t : "", (size_t)n);
				sb_addc(out, ';');
			}
			}
		}
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* hash = SHA-256(prev_hash "\n" seq "\n" at "\n" event "\n" tbl "\n" row_id "\n" len ":" data),
 * length-prefixed where a field could hold the separator. */
static void hash_row(const char *prev, int64_t seq, const char *at, const char *event, const char *tbl,
		     int64_t row_id, const char *data, size_t dlen, char out[65])
{
	strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s\n%lld\n%s\n%s\n%s\n%lld\n%zu:", prev, (long long)seq, at, event, tbl,
		(long long)row_id, dlen);
	sb_add(&sb, data, dlen);
	sha256_hex(sb.buf, sb.len, out);
	sb_release(&sb);
}

static const char genesis[65] = "0000000000000000000000000000000000000000000000000000000000000000";

static int log_head(journal *j, int64_t *seq, char hash[65])
{
	sqlite3_stmt *st;
	*seq = 0;
	memcpy(hash, genesis, 65);
	if (sqlite3_prepare_v2(j->db, "SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1", -1, &st, NULL))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		const char *h = (const char *)sqlite3_column_text(st, 1);
		snprintf(hash, 65, "%s", h ? h : "");
	}
	sqlite3_finalize(st);
	return 0;
}

/* Appends the log entry for a row just inserted or updated (inside the caller's transaction). */
static int log_row(journal *j, const char *event, const char *tbl, int64_t id, char **err)
{
	strbuf data = STRBUF_INIT;
	int64_t seq;
	char prev[65], hash[65], at[32];
	if (row_text(j, tbl, id, &data) < 0 || log_head(j, &seq, prev) < 0) {
		sb_release(&data);
		*err = db_err(j->db, "cannot read the journal");
		return -1;
	}
	now_iso(at);
	seq++;
	hash_row(prev, seq, at, event, tbl, id, sb_str(&data), data.len, hash);
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(j->db, "INSERT INTO log(seq, at, event, tbl, row_id, data, hash) VALUES (?,?,?,?,?,?,?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, seq);
		sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, event, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, tbl, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, id);
		sqlite3_bind_text(st, 6, sb_str(&data), (int)data.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, hash, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
	}
	sb_release(&data);
	if (rc < 0)
		*err = db_err(j->db, "cannot append to the journal log");
	return rc;
}

/* ---------- statements ---------- */

/* Binds "?" parameters from a format string: s = text (NULL -> NULL), i = int64, v = value (encoded). */
static int bind_args(sqlite3_stmt *st, const char *fmt, va_list ap, strbuf *keep, size_t nkeep)
{
	size_t k = 0;
	for (int i = 0; fmt[i]; i++) {
		int at = i + 1;
		if (fmt[i] == 's') {
			const char *s = va_arg(ap, const char *);
			if (s)
				sqlite3_bind_text(st, at, s, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(st, at);
		} else if (fmt[i] == 'i') {
			sqlite3_bind_int64(st, at, va_arg(ap, int64_t));
		} else if (fmt[i] == 'v') {
			const value *v = va_arg(ap, const value *);
			if (!v || k >= nkeep) {
				sqlite3_bind_null(st, at);
				continue;
			}
			sb_reset(&keep[k]);
			value_encode(v, &keep[k]);
			sqlite3_bind_text(st, at, sb_str(&keep[k]), (int)keep[k].len, SQLITE_TRANSIENT);
			k++;
		} else {
			return -1;
		}
	}
	return 0;
}

/* Runs one INSERT/UPDATE with bound arguments; for INSERT returns the new rowid in *id. */
static int exec_args(journal *j, int64_t *id, char **err, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot prepare a journal statement");
		return -1;
	}
	strbuf keep[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	va_list ap;
	va_start(ap, fmt);
	bind_args(st, fmt, ap, keep, ARRAY_SIZE(keep));
	va_end(ap);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc < 0)
		*err = db_err(j->db, "cannot write the journal");
	else if (id)
		*id = sqlite3_last_insert_rowid(j->db);
	sqlite3_finalize(st);
	for (size_t i = 0; i < ARRAY_SIZE(keep); i++)
		sb_release(&keep[i]);
	return rc;
}

/* One insert and its log entry, in one transaction. */
static int64_t insert_logged(journal *j, const char *tbl, const char *event, char **err, const char *sql,
			     const char *fmt, ...)
{
	int64_t id = 0;
	if (tx_begin(j, err) < 0)
		return -1;
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) == SQLITE_OK) {
		strbuf keep[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
		va_list ap;
		va_start(ap, fmt);
		bind_args(st, fmt, ap, keep, ARRAY_SIZE(keep));
		va_end(ap);
		if (sqlite3_step(st) == SQLITE_DONE) {
			id = sqlite3_last_insert_rowid(j->db);
			rc = 0;
		}
		sqlite3_finalize(st);
		for (size_t i = 0; i < ARRAY_SIZE(keep); i++)
			sb_release(&keep[i]);
	}
	if (rc < 0)
		*err = db_err(j->db, "cannot write the journal");
	else
		rc = log_row(j, event, tbl, id, err);
	return tx_end(j, rc, err) == 0 ? id : -1;
}

int64_t journal_session_begin(journal *j, const char *operator_, const char *tspec, const char *site,
			      const char *digest, const char *command, char **err)
{
	char at[32];
	now_iso(at);
	return insert_logged(j, "sessions", "session", err,
			     "INSERT INTO sessions(started, operator, target, site, content_digest, command)"
			     " VALUES (?,?,?,?,?,?)",
			     "ssssss", at, operator_, tspec, site, digest, command);
}

int64_t journal_run_begin(journal *j, int64_t session, const char *fix_id, const char *check_id,
			  const char *kind, char **err)
{
	char at[32];
	now_iso(at);
	return insert_logged(j, "fix_runs", "run", err,
			     "INSERT INTO fix_runs(session, fix_id, check_id, kind, started) VALUES (?,?,?,?,?)",
			     "issss", session, fix_id, check_id, kind, at);
}

int journal_run_end(journal *j, int64_t run, const char *outcome, char **err)
{
	char at[32];
	now_iso(at);
	if (tx_begin(j, err) < 0)
		return -1;
	int rc = exec_args(j, NULL, err, "UPDATE fix_runs SET finished = ?, outcome = ? WHERE id = ?", "ssi", at,
			   outcome, run);
	if (rc == 0)
		rc = log_row(j, "run-end", "fix_runs", run, err);
	return tx_end(j, rc, err);
}

int64_t journal_change_plan(journal *j, int64_t run, const char *cls, const char *key, const char *prop,
			    const value *before, const value *after, int64_t undoes, char **err)
{
	char at[32];
	now_iso(at);
	return insert_logged(j, "changes", "planned", err,
			     "INSERT INTO changes(run, class, key, property, before, after, state, undoes, updated)"
			     " VALUES (?,?,?,?,?,?,'planned',nullif(?,0),?)",
			     "isssvvis", run, cls, key, prop, before, after, undoes, at);
}

int64_t journal_script_plan(journal *j, int64_t run, const char *cls, const char *key, const char *script,
			    script_type state, const script_param *params, size_t nparams, const value *before,
			    const value *after, int64_t undoes, char **err)
{
	char at[32];
	now_iso(at);
	strbuf enc = STRBUF_INIT;
	script_params_encode(state, params, nparams, &enc);
	int64_t id = insert_logged(j, "changes", "planned", err,
				   "INSERT INTO changes(run, class, key, property, before, after, state, undoes, updated,"
				   " kind, params) VALUES (?,?,?,?,?,?,'planned',nullif(?,0),?,'script',?)",
				   "isssvviss", run, cls, key, script, before, after, undoes, at, sb_str(&enc));
	sb_release(&enc);
	return id;
}

/* ---------- reading changes ---------- */

#define CHANGE_COLS                                                                                     \
	"SELECT c.id, c.run, r.session, coalesce(c.undoes, 0), c.class, c.key, c.property, c.before,"   \
	" c.after, c.state, s.target, c.kind, c.params FROM changes c JOIN fix_runs r ON r.id = c.run"  \
	" JOIN sessions s ON s.id = r.session "

static const char *col_text(sqlite3_stmt *st, int c)
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
	c->cls = xstrdup(col_text(st, 4));
	c->key = xstrdup(col_text(st, 5));
	c->prop = xstrdup(col_text(st, 6));
	c->target = xstrdup(col_text(st, 10));
	if (value_decode(col_text(st, 7), (size_t)sqlite3_column_bytes(st, 7), &c->before) < 0 ||
	    value_decode(col_text(st, 8), (size_t)sqlite3_column_bytes(st, 8), &c->after) < 0 ||
	    state_parse(col_text(st, 9), &c->state) < 0)
		return -1;
	c->script = !strcmp(col_text(st, 11), "script");
	if (c->script && script_params_decode(col_text(st, 12), (size_t)sqlite3_column_bytes(st, 12), &c->state_type,
					      &c->params, &c->nparams) < 0)
		return -1;
	return 0;
}

/* Runs CHANGE_COLS + `tail` with arguments bound as in bind_args. */
static int read_changes(journal *j, jchange **out, size_t *n, char **err, const char *tail, const char *fmt, ...)
{
	*out = NULL;
	*n = 0;
	char *sql = xasprintf("%s%s", CHANGE_COLS, tail);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		*err = db_err(j->db, "cannot read the journal");
		return -1;
	}
	va_list ap;
	va_start(ap, fmt);
	bind_args(st, fmt, ap, NULL, 0);
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
			*err = db_err(j->db, "cannot read the journal");
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
	if (read_changes(j, &v, &n, err, "WHERE c.id = ?", "i", id) < 0)
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

/* ---------- state transitions ---------- */

static int set_state(journal *j, int64_t id, change_state to, const char *extra_sql, const value *v, char **err)
{
	char at[32];
	now_iso(at);
	char *sql = xasprintf("UPDATE changes SET state = ?, updated = ?%s WHERE id = ?", extra_sql);
	int rc = v ? exec_args(j, NULL, err, sql, "ssvi", change_state_name(to), at, v, id)
		   : exec_args(j, NULL, err, sql, "ssi", change_state_name(to), at, id);
	free(sql);
	if (rc == 0)
		rc = log_row(j, change_state_name(to), "changes", id, err);
	return rc;
}

int journal_change_mark(journal *j, int64_t id, change_state st, const value *observed, char **err)
{
	if (tx_begin(j, err) < 0)
		return -1;
	jchange c = {0}; /* left untouched when the change cannot be read (a damaged journal) */
	int rc = journal_change_get(j, id, &c, err);
	if (rc == 0 && !transition_ok(c.state, st)) {
		*err = xasprintf(_("change %lld is %s and cannot become %s"), (long long)id,
				 change_state_name(c.state), change_state_name(st));
		rc = -1;
	}
	if (rc == 0) {
		/* An applied change records what the target really replaced, so undo
		 * restores that; other outcomes keep the value seen for the operator. */
		const char *extra = !observed		    ? ""
				    : st != CH_APPLIED ? ", observed = ?"
				    : c.script	       ? ", after = ?"
						       : ", before = ?";
		rc = set_state(j, id, st, extra, observed, err);
	}
	if (rc == 0 && st == CH_APPLIED && c.undoes) {
		jchange o = {0};
		rc = journal_change_get(j, c.undoes, &o, err);
		if (rc == 0 && o.state != CH_APPLIED) {
			*err = xasprintf(_("change %lld is %s and cannot become %s"), (long long)o.id,
					 change_state_name(o.state), change_state_name(CH_UNDONE));
			rc = -1;
		}
		if (rc == 0)
			rc = set_state(j, o.id, CH_UNDONE, "", NULL, err);
		jchange_release(&o);
	}
	if (c.cls)
		jchange_release(&c);
	return tx_end(j, rc, err);
}

/* ---------- results, attestations, waivers ---------- */

int journal_result_add(journal *j, int64_t session, int64_t run, const char *check_id, const char *status,
		       const char *reason, const char *evidence_json, char **err)
{
	char at[32];
	now_iso(at);
	int64_t id = insert_logged(j, "results", "result", err,
				   "INSERT INTO results(session, run, check_id, status, reason, evidence, at)"
				   " VALUES (?,nullif(?,0),?,?,?,?,?)",
				   "iisssss", session, run, check_id, status, reason, evidence_json, at);
	return id < 0 ? -1 : 0;
}

int64_t journal_attest(journal *j, int64_t session, const char *check_id, const char *note,
		       const char *operator_, char **err)
{
	char at[32];
	now_iso(at);
	return insert_logged(j, "attestations", "attest", err,
			     "INSERT INTO attestations(session, check_id, note, operator, at) VALUES (?,?,?,?,?)",
			     "issss", session, check_id, note, operator_, at);
}

int64_t journal_waive(journal *j, int64_t session, const char *check_id, const char *reason,
		      const char *until, const char *operator_, char **err)
{
	char at[32];
	now_iso(at);
	return insert_logged(j, "waivers", "waive", err,
			     "INSERT INTO waivers(session, check_id, reason, until, operator, at) VALUES (?,?,?,?,?,?)",
			     "isssss", session, check_id, reason, until, operator_, at);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

int journal_verdicts(journal *j, const char *tspec, const char *today, jverdict **out, size_t *n,
		     char **err)
{
	/* Waivers first: a waiver in force outranks an attestation of the same check.
	 * Within a kind the newest row wins (the caller keeps the first per check). */
	static const char *sql =
		"SELECT 1, w.check_id, w.reason, w.operator, w.at, w.until FROM waivers w"
		" JOIN sessions s ON s.id = w.session"
		" WHERE s.target = ?1 AND (w.until IS NULL OR w.until = '' OR w.until >= ?2)"
		" UNION ALL "
		"SELECT 0, a.check_id, a.note, a.operator, a.at, NULL FROM attestations a"
		" JOIN sessions s ON s.id = a.session WHERE s.target = ?1"
		" ORDER BY 1 DESC, 5 DESC";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK) {
		*err = xasprintf("cannot read the journal: %s", sqlite3_errmsg(j->db));
		return -1;
	}
	sqlite3_bind_text(st, 1, tspec, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	int rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 1);
		bool seen = false;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = !strcmp((*out)[i].check_id, id);
		if (seen)
			continue;
		GROW(*out, cap, *n + 1);
		jverdict *v = &(*out)[(*n)++];
		v->waived = sqlite3_column_int(st, 0) == 1;
		v->check_id = xstrdup(id);
		v->text = col_dup(st, 2);
		v->operator_ = col_dup(st, 3);
		v->at = col_dup(st, 4);
		v->until = col_dup(st, 5);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*err = xasprintf("cannot read the journal: %s", sqlite3_errmsg(j->db));
		jverdicts_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
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

/* ---------- reconciliation ---------- */

/* What the site holds now decides a change whose outcome is unknown. A
 * script change whose expected state was not declared (after is null) is
 * applied only if the operator says so (journal resolve). */
static change_state decide(const jchange *c, const value *now)
{
	if (c->script) {
		if (c->after.kind != V_NULL && script_state_equal(now, &c->after))
			return CH_APPLIED;
		return script_state_equal(now, &c->before) ? CH_NOT_APPLIED : CH_CONFLICT;
	}
	if (value_equal(now, &c->after))
		return CH_APPLIED;
	if (value_equal(now, &c->before))
		return CH_NOT_APPLIED;
	return CH_CONFLICT;
}

/* What the site holds now: the property, or for a script change what its
 * capture script returns. */
static int read_now(target *t, const jchange *c, value *now, char **err)
{
	if (c->script)
		return script_run(t, c->prop, SCRIPT_CAPTURE, c->state_type, c->params, c->nparams, NULL, now, err);
	return target_get(t, c->cls, c->key, c->prop, now, err);
}

int journal_unresolved(journal *j, const char *tspec, jchange **out, size_t *n, char **err)
{
	return read_changes(j, out, n, err, "WHERE s.target = ? AND c.state IN ('planned','conflict') ORDER BY c.id",
			    "s", tspec);
}

int journal_reconcile(journal *j, target *t, reconcile_report *rep, char **err)
{
	memset(rep, 0, sizeof *rep);
	jchange *v;
	size_t n;
	if (read_changes(j, &v, &n, err, "WHERE s.target = ? AND c.state = 'planned' ORDER BY c.id", "s", t->spec) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		value now = VALUE_NULL;
		char *terr = NULL;
		if (read_now(t, &v[i], &now, &terr) < 0) {
			/* Unreadable: the outcome stays unknown (planned) and blocks new changes. */
			*err = xasprintf(_("cannot reconcile change %lld: %s"), (long long)v[i].id, terr);
			free(terr);
			rc = -1;
			break;
		}
		change_state st = decide(&v[i], &now);
		/* A script change found applied records the state it left. */
		const value *obs = st == CH_CONFLICT || (st == CH_APPLIED && v[i].script) ? &now : NULL;
		rc = journal_change_mark(j, v[i].id, st, obs, err);
		size_t *count = st == CH_APPLIED ? &rep->applied : st == CH_NOT_APPLIED ? &rep->not_applied : &rep->conflicts;
		if (rc == 0)
			(*count)++;
		value_clear(&now);
	}
	jchanges_free(v, n);
	return rc;
}

int journal_resolve(journal *j, target *t, int64_t change, change_state *outcome, char **err)
{
	jchange c;
	if (journal_change_get(j, change, &c, err) < 0)
		return -1;
	int rc = -1;
	value now = VALUE_NULL;
	char *terr = NULL;
	if (c.state != CH_CONFLICT && c.state != CH_PLANNED) {
		*err = xasprintf(_("change %lld is %s, not in conflict"), (long long)change, change_state_name(c.state));
	} else if (strcmp(c.target, t->spec) != 0) {
		*err = xasprintf(_("change %lld was made on %s, not on %s"), (long long)change, c.target, t->spec);
	} else if (read_now(t, &c, &now, &terr) < 0) {
		*err = xasprintf(_("cannot read %s '%s' %s: %s"), c.cls, c.key, c.prop, terr);
		free(terr);
	} else {
		change_state st = decide(&c, &now);
		if (st == CH_CONFLICT && c.state == CH_PLANNED)
			rc = journal_change_mark(j, change, CH_CONFLICT, &now, err);
		else
			rc = 0;
		if (rc == 0 && st == CH_CONFLICT)
			st = CH_RESOLVED;
		if (rc == 0)
			rc = journal_change_mark(j, change, st,
						 st == CH_RESOLVED || (st == CH_APPLIED && c.script) ? &now : NULL, err);
		*outcome = st;
	}
	value_clear(&now);
	jchange_release(&c);
	return rc;
}

/* ---------- undo selection ---------- */

int journal_undoable(journal *j, const char *tspec, undo_scope scope, int64_t id, jchange **out, size_t *n,
		     char **err)
{
	static const char *where[] = {"AND c.id = ?", "AND c.run = ?", "AND r.session = ?"};
	char *tail = xasprintf("WHERE s.target = ? AND r.kind = 'apply' AND c.state = 'applied' %s"
			       " ORDER BY c.id DESC",
			       where[scope]);
	int rc = read_changes(j, out, n, err, tail, "si", tspec, id);
	free(tail);
	return rc;
}

int64_t journal_last_undoable_session(journal *j, const char *tspec, char **err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db,
			       "SELECT max(r.session) FROM changes c JOIN fix_runs r ON r.id = c.run"
			       " JOIN sessions s ON s.id = r.session"
			       " WHERE s.target = ? AND r.kind = 'apply' AND c.state = 'applied'",
			       -1, &st, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot read the journal");
		return -1;
	}
	sqlite3_bind_text(st, 1, tspec, -1, SQLITE_STATIC);
	int64_t id = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

/* ---------- verification ---------- */

static int parse_head(const char *s, int64_t *seq, char hash[65])
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end != ':' || v < 0 || strlen(end + 1) != 64)
		return -1;
	for (const char *p = end + 1; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return -1;
	*seq = v;
	memcpy(hash, end + 1, 65);
	return 0;
}

/* Walks the chain; the first broken link is reported and ends the walk. */
static int verify_chain(journal *j, int64_t hseq, const char *hhash, bool *head_found, strbuf *report,
			char **head_out, char **err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db, "SELECT seq, at, event, tbl, row_id, data, hash FROM log ORDER BY seq", -1,
			       &st, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot read the journal log");
		return -1;
	}
	int64_t expected = 1;
	char prev[65], calc[65];
	memcpy(prev, genesis, 65);
	int bad = 0, rc;
	*head_found = hseq == 0 && !strcmp(hhash, genesis);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		if (seq != expected) {
			sb_addf(report, _("log row %lld was deleted (the chain jumps from row %lld to row %lld)\n"),
				(long long)expected, (long long)expected - 1, (long long)seq);
			bad = 1;
			break;
		}
		hash_row(prev, seq, col_text(st, 1), col_text(st, 2), col_text(st, 3), sqlite3_column_int64(st, 4),
			 col_text(st, 5), (size_t)sqlite3_column_bytes(st, 5), calc);
		if (strcmp(calc, col_text(st, 6)) != 0) {
			sb_addf(report, _("log row %lld was altered or inserted (its hash does not follow from row %lld)\n"),
				(long long)seq, (long long)seq - 1);
			bad = 1;
			break;
		}
		if (seq == hseq && !strcmp(calc, hhash))
			*head_found = true;
		memcpy(prev, calc, 65);
		expected++;
	}
	sqlite3_finalize(st);
	if (!bad && rc != SQLITE_DONE) {
		*err = db_err(j->db, "cannot read the journal log");
		return -1;
	}
	*head_out = xasprintf("%lld:%s", (long long)expected - 1, prev);
	return bad;
}

/* Every row must be what the log recorded last for it. */
static int verify_table(journal *j, const char *tbl, strbuf *report)
{
	int bad = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db, "SELECT row_id, data, max(seq) FROM log WHERE tbl = ? GROUP BY row_id ORDER BY row_id",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), seq = sqlite3_column_int64(st, 2);
		strbuf now = STRBUF_INIT;
		if (row_text(j, tbl, id, &now) < 0) {
			sb_addf(report, _("%s row %lld was deleted (last recorded in log row %lld)\n"), tbl,
				(long long)id, (long long)seq);
			bad = 1;
		} else if (now.len != (size_t)sqlite3_column_bytes(st, 1) ||
			   memcmp(sb_str(&now), col_text(st, 1), now.len) != 0) {
			sb_addf(report, _("%s row %lld was altered (it differs from log row %lld)\n"), tbl,
				(long long)id, (long long)seq);
			bad = 1;
		}
		sb_release(&now);
	}
	sqlite3_finalize(st);
	char *sql = xasprintf("SELECT id FROM %s WHERE id NOT IN (SELECT row_id FROM log WHERE tbl = ?) ORDER BY id",
			      tbl);
	int rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		sb_addf(report, _("%s row %lld was inserted (the log never recorded it)\n"), tbl,
			(long long)sqlite3_column_int64(st, 0));
		bad = 1;
	}
	sqlite3_finalize(st);
	return bad;
}

int journal_verify(journal *j, const char *head, strbuf *report, char **head_out, char **err)
{
	int64_t hseq = 0;
	char hhash[65];
	memcpy(hhash, genesis, 65);
	if (head && parse_head(head, &hseq, hhash) < 0) {
		*err = xasprintf(_("'%s' is not a journal head (SEQ:HASH, as 'journal verify' prints it)"), head);
		return -1;
	}
	/* One read transaction: the chain and the tables are seen at one instant. */
	sqlite3_exec(j->db, "BEGIN", NULL, NULL, NULL);
	bool head_found = false;
	int bad = verify_chain(j, hseq, hhash, &head_found, report, head_out, err);
	/* Rows are compared only with a sound chain, and in every table: an
	 * edit rarely comes alone. */
	bool chain_ok = bad == 0;
	for (size_t i = 0; chain_ok && bad >= 0 && i < ARRAY_SIZE(tables); i++) {
		int r = verify_table(j, tables[i], report);
		if (r < 0) {
			*err = db_err(j->db, "cannot read the journal");
			bad = -1;
		} else {
			bad |= r;
		}
	}
	sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
	if (bad == 0 && head && !head_found) {
		sb_addf(report, _("the head %s is not in the chain: rows up to it were cut off or rewritten\n"), head);
		bad = 1;
	}
	return bad;
}

/* ---------- listing and export ---------- */

static int64_t count_changes(journal *j, int64_t session, const char *state)
{
	sqlite3_stmt *st;
	int64_t n = 0;
	if (sqlite3_prepare_v2(j->db,
			       "SELECT count(*) FROM changes c JOIN fix_runs r ON r.id = c.run"
			       " WHERE r.session = ? AND c.state = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, session);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int journal_list(journal *j, FILE *out, char **err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db, "SELECT id, started, operator, target, coalesce(command, '') FROM sessions ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot read the journal");
		return -1;
	}
	fprintf(out, "%-5s %-24s %-12s %-18s %s\n", _("ID"), _("STARTED"), _("OPERATOR"), _("TARGET"), _("COMMAND"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		fprintf(out, "%-5lld %-24s %-12s %-18s %s", (long long)id, col_text(st, 1), col_text(st, 2),
			col_text(st, 3), col_text(st, 4));
		for (int s = 0; s < CH_NSTATES; s++) {
			int64_t n = count_changes(j, id, state_names[s]);
			if (n)
				fprintf(out, "  %s:%lld", state_names[s], (long long)n);
		}
		fputc('\n', out);
	}
	sqlite3_finalize(st);
	return 0;
}

static void print_value_enc(FILE *out, const char *enc, size_t len)
{
	value v;
	if (value_decode(enc, len, &v) < 0) {
		fputs("?", out);
		return;
	}
	strbuf sb = STRBUF_INIT;
	value_format(&v, &sb);
	fputs(sb_str(&sb), out);
	sb_release(&sb);
	value_clear(&v);
}

static void show_changes(journal *j, int64_t run, FILE *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db,
			       "SELECT id, class, key, property, before, after, state, coalesce(undoes, 0),"
			       " coalesce(kind, '') FROM changes WHERE run = ? ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		fprintf(out, "    change %lld  %-11s %s '%s' %s%s: ", (long long)sqlite3_column_int64(st, 0),
			col_text(st, 6), col_text(st, 1), col_text(st, 2), *col_text(st, 8) ? "script " : "",
			col_text(st, 3));
		print_value_enc(out, col_text(st, 4), (size_t)sqlite3_column_bytes(st, 4));
		fputs(" -> ", out);
		print_value_enc(out, col_text(st, 5), (size_t)sqlite3_column_bytes(st, 5));
		if (sqlite3_column_int64(st, 7))
			fprintf(out, _("  (undoes change %lld)"), (long long)sqlite3_column_int64(st, 7));
		fputc('\n', out);
	}
	sqlite3_finalize(st);
}

int journal_show(journal *j, int64_t session, FILE *out, char **err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db,
			       "SELECT started, operator, target, coalesce(site, ''), coalesce(content_digest, ''),"
			       " coalesce(command, '') FROM sessions WHERE id = ?",
			       -1, &st, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot read the journal");
		return -1;
	}
	sqlite3_bind_int64(st, 1, session);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		*err = xasprintf(_("there is no session %lld in the journal"), (long long)session);
		return -1;
	}
	fprintf(out, _("Session %lld, started %s by %s\n  target %s, site %s, command '%s'\n  content %s\n"),
		(long long)session, col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3),
		col_text(st, 5), col_text(st, 4));
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(j->db,
			       "SELECT id, kind, coalesce(fix_id, ''), coalesce(check_id, ''), coalesce(outcome, '')"
			       " FROM fix_runs WHERE session = ? ORDER BY id",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, session);
		while (sqlite3_step(st) == SQLITE_ROW) {
			fprintf(out, _("  run %lld: %s %s (check %s): %s\n"), (long long)sqlite3_column_int64(st, 0),
				col_text(st, 1), col_text(st, 2), col_text(st, 3),
				*col_text(st, 4) ? col_text(st, 4) : _("unfinished"));
			show_changes(j, sqlite3_column_int64(st, 0), out);
		}
		sqlite3_finalize(st);
	}
	static const char *extras[] = {
		"SELECT 'result', check_id, status || coalesce(': ' || reason, '') FROM results WHERE session = ?1",
		"SELECT 'attested', check_id, note || ' (' || operator || ')' FROM attestations WHERE session = ?1",
		"SELECT 'waived', check_id, reason || coalesce(' until ' || until, '') || ' (' || operator || ')'"
		" FROM waivers WHERE session = ?1"};
	for (size_t i = 0; i < ARRAY_SIZE(extras); i++) {
		if (sqlite3_prepare_v2(j->db, extras[i], -1, &st, NULL) != SQLITE_OK)
			continue;
		sqlite3_bind_int64(st, 1, session);
		while (sqlite3_step(st) == SQLITE_ROW)
			fprintf(out, "  %s %s: %s\n", col_text(st, 0), col_text(st, 1), col_text(st, 2));
		sqlite3_finalize(st);
	}
	return 0;
}

static int export_table(journal *j, const char *tbl, strbuf *sb)
{
	char *sql = xasprintf("SELECT * FROM %s ORDER BY 1", tbl);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return -1;
	sb_addf(sb, "\"%s\":[", tbl);
	for (int r = 0; sqlite3_step(st) == SQLITE_ROW; r++) {
		sb_adds(sb, r ? ",{" : "{");
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			if (c)
				sb_addc(sb, ',');
			json_str(sb, sqlite3_column_name(st, c));
			sb_addc(sb, ':');
			if (sqlite3_column_type(st, c) == SQLITE_NULL)
				sb_adds(sb, "null");
			else if (sqlite3_column_type(st, c) == SQLITE_INTEGER)
				sb_addf(sb, "%lld", (long long)sqlite3_column_int64(st, c));
			else
				json_strn(sb, col_text(st, c), (size_t)sqlite3_column_bytes(st, c));
		}
		sb_addc(sb, '}');
	}
	sb_adds(sb, "]");
	sqlite3_finalize(st);
	return 0;
}

int journal_export_json(journal *j, FILE *out, char **err)
{
	strbuf sb = STRBUF_INIT;
	sqlite3_exec(j->db, "BEGIN", NULL, NULL, NULL);
	sb_adds(&sb, "{\"journal\":");
	json_str(&sb, j->path);
	sb_addf(&sb, ",\"schema\":%d", JOURNAL_SCHEMA);
	int rc = 0;
	for (size_t i = 0; i < ARRAY_SIZE(tables) && rc == 0; i++) {
		sb_addc(&sb, ',');
		rc = export_table(j, tables[i], &sb);
	}
	if (rc == 0) {
		sb_addc(&sb, ',');
		rc = export_table(j, "log", &sb);
	}
	sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
	if (rc < 0) {
		*err = db_err(j->db, "cannot read the journal");
		sb_release(&sb);
		return -1;
	}
	sb_adds(&sb, "}\n");
	fputs(sb_str(&sb), out);
	sb_release(&sb);
	return 0;
}

/* ---------- history for front ends ---------- */

int journal_changes(journal *j, const char *tspec, jchange **out, size_t *n, char **err)
{
	return read_changes(j, out, n, err, "WHERE s.target = ? ORDER BY c.id", "s", tspec);
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
		*err = db_err(j->db, "cannot read the journal");
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
		r->fix_id = xstrdup(col_text(st, 2));
		r->check_id = xstrdup(col_text(st, 3));
		r->kind = xstrdup(col_text(st, 4));
		r->outcome = xstrdup(col_text(st, 5));
		r->started = xstrdup(col_text(st, 6));
		r->session_started = xstrdup(col_text(st, 7));
		r->operator_ = xstrdup(col_text(st, 8));
		r->command = xstrdup(col_text(st, 9));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*err = db_err(j->db, "cannot read the journal");
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

int journal_results_add(journal *j, int64_t session, const jresult_in *v, size_t n, char **err)
{
	if (n == 0)
		return 0;
	char at[32];
	now_iso(at);
	if (tx_begin(j, err) < 0)
		return -1;
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(j->db,
			       "INSERT INTO results(session, run, check_id, status, reason, evidence, at)"
			       " VALUES (?, NULL, ?, ?, ?, NULL, ?)",
			       -1, &st, NULL) == SQLITE_OK) {
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, session);
			sqlite3_bind_text(st, 2, v[i].check_id, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, v[i].status, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, v[i].reason, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE) {
				*err = db_err(j->db, "cannot write the journal");
				rc = -1;
			} else {
				rc = log_row(j, "result", "results", sqlite3_last_insert_rowid(j->db), err);
			}
		}
		sqlite3_finalize(st);
	} else {
		*err = db_err(j->db, "cannot write the journal");
	}
	return tx_end(j, rc, err);
}

int64_t journal_last_session(journal *j, const char *tspec, const char *command, char **started,
			     size_t *nchecks, char **err)
{
	*started = NULL;
	*nchecks = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(j->db,
			       "SELECT s.id, s.started, (SELECT count(DISTINCT r.check_id) FROM results r WHERE r.session = s.id)"
			       " FROM sessions s WHERE s.target = ? AND s.command = ? ORDER BY s.id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot read the journal");
		return -1;
	}
	sqlite3_bind_text(st, 1, tspec, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, command, -1, SQLITE_STATIC);
	int64_t id = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		*started = xstrdup(col_text(st, 1));
		*nchecks = (size_t)sqlite3_column_int64(st, 2);
	} else if (rc != SQLITE_DONE) {
		*err = db_err(j->db, "cannot read the journal");
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
	if (sqlite3_prepare_v2(j->db,
			       "SELECT r.check_id, r.status, coalesce(r.reason, ''), r.at FROM results r"
			       " WHERE r.session = ? AND r.id = (SELECT max(id) FROM results q"
			       " WHERE q.session = r.session AND q.check_id = r.check_id) ORDER BY r.id",
			       -1, &st, NULL) != SQLITE_OK) {
		*err = db_err(j->db, "cannot read the journal");
		return -1;
	}
	sqlite3_bind_int64(st, 1, session);
	int rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		GROW(*out, cap, *n + 1);
		jresult *r = &(*out)[(*n)++];
		r->check_id = xstrdup(col_text(st, 0));
		r->status = xstrdup(col_text(st, 1));
		r->reason = xstrdup(col_text(st, 2));
		r->at = xstrdup(col_text(st, 3));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*err = db_err(j->db, "cannot read the journal");
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
