/* journal.c — the undo journal's store in SQLite: opening and migrating the
 * file, transactions, the hash-chained log and every write (see journal.h,
 * journal_int.h for the other modules, and doc/journal.md).
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
#include "journal/journal_int.h"
#include "journal/query.h"
#include "base/i18n.h"
#include "base/json.h"
#include "base/paths.h"
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

static const char *state_names[CH_NSTATES] = {"planned", "applied",	  "failed",	"not_applied",
					      "conflict", "undone", "resolved"};

/* Tables whose rows the log covers; also the only names ever spliced into SQL. */
const char *const journal_tables[] = {"sessions", "fix_runs", "changes", "results", "attestations", "waivers"};
const size_t journal_ntables = sizeof journal_tables / sizeof journal_tables[0];

const char *change_state_name(change_state s)
{
	return s < CH_NSTATES ? state_names[s] : "?";
}

int jstate_parse(const char *s, change_state *out)
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
	free(c->updated);
	free(c->planned_at);
	free(c->applied_at);
	free(c->undone_at);
	value_clear(&c->before);
	value_clear(&c->after);
	value_clear(&c->observed);
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

char *jdb_err(sqlite3 *db, const char *what)
{
	return xasprintf("%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

void jnow_iso(char out[32])
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
	/* 2 -> 3: an attestation answers the check's question: 'yes' (compliant)
	 * or 'no' (not compliant, a failure with its note). NULL in rows of
	 * schema 2, which could only record "yes". */
	"ALTER TABLE attestations ADD COLUMN answer TEXT CHECK(answer IS NULL OR answer IN ('yes','no'));",
};

/* Columns added after schema 1: left out of a row's canonical text while NULL. */
static const struct {
	const char *tbl, *col;
} late_columns[] = {{"changes", "kind"}, {"changes", "params"}, {"attestations", "answer"}};

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
		*err = jdb_err(j->db, "cannot lock the journal");
		return -1;
	}
	int app = pragma_int(j->db, "PRAGMA application_id");
	int ver = pragma_int(j->db, "PRAGMA user_version");
	int objs = pragma_int(j->db, "SELECT count(*) FROM sqlite_master");
	if (app != JOURNAL_APP_ID && !(app == 0 && ver == 0 && objs == 0)) {
		*err = xasprintf(_("%s is not a cmharden journal (it was left untouched)"), j->path);
		goto fail;
	}
	/* A negative schema version is damage, and would index before migrations[]. */
	if (ver < 0) {
		*err = xasprintf(_("%s has an unknown journal schema (%d); it was left untouched"), j->path, ver);
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
		*err = jdb_err(j->db, "cannot write the journal");
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

/* Why SQLite could not read the file, in the operator's terms: a full disk,
 * an I/O error, a damaged file or one that is not a database at all. */
static char *open_failure(sqlite3 *db, const char *path)
{
	int code = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
	const char *why = db ? sqlite3_errmsg(db) : "out of memory";
	switch (code) {
	case SQLITE_NOTADB:
		return xasprintf(_("%s is not a cmharden journal (it is not an SQLite database; it was left untouched)"),
				 path);
	case SQLITE_CORRUPT:
		return xasprintf(_("%s is damaged (%s); it was left untouched: restore it from a backup, or move it "
				   "away to start a new journal"),
				 path, why);
	case SQLITE_FULL:
		return xasprintf(_("cannot use the journal %s: the disk is full"), path);
	case SQLITE_IOERR:
		return xasprintf(_("cannot read the journal %s: input/output error (%s)"), path, why);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return xasprintf(_("the journal %s is locked by another process (%s)"), path, why);
	default:
		return xasprintf(_("cannot open the journal %s: %s"), path, why);
	}
}

/* The directory a journal is created in must be the user's alone: a
 * directory others can write lets them replace the journal (ssh refuses its
 * keys in one for the same reason). A sticky directory (/tmp) is safe. */
static int dir_safe(const char *path, char **err)
{
	char *copy = xstrdup(path);
	char *slash = strrchr(copy, '/');
	const char *dir = slash ? (slash == copy ? "/" : (*slash = 0, copy)) : ".";
	struct stat st;
	int rc = 0;
	if (stat(dir, &st) < 0) {
		*err = xasprintf(_("cannot use the directory %s for the journal: %s"), dir, strerror(errno));
		rc = -1;
	} else if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
		*err = xasprintf(_("the directory %s can be written by other users, who could replace the journal; "
				   "it is not used (chmod go-w %s)"),
				 dir, dir);
		rc = -1;
	}
	free(copy);
	return rc;
}

/* Opens the database file; the journal struct is set up but nothing read. */
static journal *db_open(const char *path, char **err)
{
	journal *j = xcalloc(1, sizeof *j);
	j->path = xstrdup(path);
	if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		*err = open_failure(j->db, path);
		journal_close(j);
		return NULL;
	}
	sqlite3_busy_timeout(j->db, 10000);
	return j;
}

/* A new journal is built whole in a temporary file (0600) and linked into
 * place: a crash leaves no journal or a complete one, never an empty file.
 * Another process creating it at the same moment wins; its journal is used. */
static int create_new(const char *path, char **err)
{
	if (dir_safe(path, err) < 0)
		return -1;
	char *tmp = xasprintf("%s.new-XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		*err = xasprintf(_("cannot create the journal %s: %s"), path, strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	int rc = -1;
	journal *j = db_open(tmp, err);
	char *e = NULL;
	if (j && migrate(j, err) == 0) {
		if (sqlite3_exec(j->db, "PRAGMA journal_mode = WAL", NULL, NULL, &e) != SQLITE_OK) {
			*err = xasprintf(_("cannot create the journal %s: %s"), path, e ? e : "?");
			sqlite3_free(e);
		} else {
			rc = 0;
		}
	}
	journal_close(j);
	if (rc == 0 && link(tmp, path) < 0 && errno != EEXIST) {
		*err = xasprintf(_("cannot create the journal %s: %s"), path, strerror(errno));
		rc = -1;
	}
	unlink(tmp);
	char *side = xasprintf("%s-wal", tmp);
	unlink(side);
	free(side);
	side = xasprintf("%s-shm", tmp);
	unlink(side);
	free(side);
	free(tmp);
	return rc;
}

/* What is at `path` may be opened as a journal: a regular file, not a
 * symbolic link, not empty. *missing when nothing is there. */
static int file_ok(const char *path, bool *missing, char **err)
{
	struct stat st;
	*missing = false;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT) {
			*missing = true;
			*err = xasprintf(_("there is no journal at %s"), path);
		} else {
			*err = xasprintf(_("cannot open the journal %s: %s"), path, strerror(errno));
		}
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		*err = xasprintf(_("%s is a symbolic link; the journal is never opened through one (give the path of "
				   "the file itself)"),
				 path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = xasprintf(_("%s is not a regular file, so not a cmharden journal (it was left untouched)"), path);
		return -1;
	}
	if (st.st_size == 0) {
		*err = xasprintf(_("%s is empty, not a cmharden journal (it was left untouched: move it away to start "
				   "a new journal)"),
				 path);
		return -1;
	}
	return 0;
}

static int open_at(const char *path, bool create, journal **out, char **err)
{
	bool missing;
	if (file_ok(path, &missing, err) < 0) {
		if (!missing || !create)
			return -1;
		free(*err);
		*err = NULL;
		if (create_new(path, err) < 0 || file_ok(path, &missing, err) < 0)
			return -1;
	}
	journal *j = db_open(path, err);
	if (!j)
		return -1;
	/* A foreign file must be refused before any pragma could write to it. */
	if (sqlite3_exec(j->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
		*err = open_failure(j->db, path);
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

int journal_open_readonly(const char *path, journal **out, char **err)
{
	journal *j = xcalloc(1, sizeof *j);
	j->path = xstrdup(path);
	strbuf u = STRBUF_INIT;
	sb_adds(&u, "file:");
	for (const char *p = path; *p; p++)
		if (*p == '%' || *p == '?' || *p == '#')
			sb_addf(&u, "%%%02X", (unsigned char)*p);
		else
			sb_addc(&u, *p);
	/* Without a -wal file (its owner is not using it now) the file is read as
	 * immutable: SQLite then creates no -wal or -shm file beside it. */
	char *wal = xasprintf("%s-wal", path);
	sb_adds(&u, access(wal, F_OK) == 0 ? "?mode=ro" : "?mode=ro&immutable=1");
	free(wal);
	char *uri = sb_detach(&u);
	int rc = sqlite3_open_v2(uri, &j->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		*err = jdb_err(j->db, "cannot open the journal");
		goto fail;
	}
	sqlite3_busy_timeout(j->db, 10000);
	int app = pragma_int(j->db, "PRAGMA application_id");
	int ver = pragma_int(j->db, "PRAGMA user_version");
	if (app != JOURNAL_APP_ID) {
		*err = xasprintf(_("%s is not a cmharden journal (it was left untouched)"), path);
		goto fail;
	}
	if (ver != JOURNAL_SCHEMA) {
		*err = xasprintf(_("%s is of journal schema %d; this cmharden reads %d (its owner's cmharden updates it "
				   "on the next use)"),
				 path, ver, JOURNAL_SCHEMA);
		goto fail;
	}
	*out = j;
	return 0;
fail:
	journal_close(j);
	return -1;
}

int journal_open(const char *path, journal **out, char **err)
{
	return open_at(path, true, out, err);
}

int journal_open_existing(const char *path, journal **out, char **err)
{
	return open_at(path, false, out, err);
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

int jtx_begin(journal *j, char **err)
{
	if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		*err = jdb_err(j->db, "cannot lock the journal");
		return -1;
	}
	return 0;
}

int jtx_end(journal *j, int rc, char **err)
{
	if (rc == 0 && sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	if (rc == 0 && !*err)
		*err = jdb_err(j->db, "cannot commit to the journal");
	sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static bool known_table(const char *t)
{
	for (size_t i = 0; i < journal_ntables; i++)
		if (!strcmp(journal_tables[i], t))
			return true;
	return false;
}

/* The canonical text of one row: "col=N;" for NULL, "col=iNUM;" for integers,
 * "col=tLEN:TEXT;" for text, in schema column order (a late column that is
 * NULL is left out). -1 if the row is absent. */
int jrow_text(journal *j, const char *tbl, int64_t id, strbuf *out)
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
void jhash_row(const char *prev, int64_t seq, const char *at, const char *event, const char *tbl,
		     int64_t row_id, const char *data, size_t dlen, char out[65])
{
	strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s\n%lld\n%s\n%s\n%s\n%lld\n%zu:", prev, (long long)seq, at, event, tbl,
		(long long)row_id, dlen);
	sb_add(&sb, data, dlen);
	sha256_hex(sb.buf, sb.len, out);
	sb_release(&sb);
}

const char journal_genesis[65] = "0000000000000000000000000000000000000000000000000000000000000000";

static int log_head(journal *j, int64_t *seq, char hash[65])
{
	sqlite3_stmt *st;
	*seq = 0;
	memcpy(hash, journal_genesis, 65);
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
	if (jrow_text(j, tbl, id, &data) < 0 || log_head(j, &seq, prev) < 0) {
		sb_release(&data);
		*err = jdb_err(j->db, "cannot read the journal");
		return -1;
	}
	jnow_iso(at);
	seq++;
	jhash_row(prev, seq, at, event, tbl, id, sb_str(&data), data.len, hash);
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
		*err = jdb_err(j->db, "cannot append to the journal log");
	return rc;
}

/* ---------- statements ---------- */

/* Binds "?" parameters from a format string: s = text (NULL -> NULL), i = int64, v = value (encoded). */
int jbind_args(sqlite3_stmt *st, const char *fmt, va_list ap, strbuf *keep, size_t nkeep)
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
		*err = jdb_err(j->db, "cannot prepare a journal statement");
		return -1;
	}
	strbuf keep[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	va_list ap;
	va_start(ap, fmt);
	jbind_args(st, fmt, ap, keep, ARRAY_SIZE(keep));
	va_end(ap);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc < 0)
		*err = jdb_err(j->db, "cannot write the journal");
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
	if (jtx_begin(j, err) < 0)
		return -1;
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) == SQLITE_OK) {
		strbuf keep[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
		va_list ap;
		va_start(ap, fmt);
		jbind_args(st, fmt, ap, keep, ARRAY_SIZE(keep));
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
		*err = jdb_err(j->db, "cannot write the journal");
	else
		rc = log_row(j, event, tbl, id, err);
	return jtx_end(j, rc, err) == 0 ? id : -1;
}

int64_t journal_session_begin(journal *j, const char *operator_, const char *tspec, const char *site,
			      const char *digest, const char *command, char **err)
{
	char at[32];
	jnow_iso(at);
	return insert_logged(j, "sessions", "session", err,
			     "INSERT INTO sessions(started, operator, target, site, content_digest, command)"
			     " VALUES (?,?,?,?,?,?)",
			     "ssssss", at, operator_, tspec, site, digest, command);
}

int64_t journal_run_begin(journal *j, int64_t session, const char *fix_id, const char *check_id,
			  const char *kind, char **err)
{
	char at[32];
	jnow_iso(at);
	return insert_logged(j, "fix_runs", "run", err,
			     "INSERT INTO fix_runs(session, fix_id, check_id, kind, started) VALUES (?,?,?,?,?)",
			     "issss", session, fix_id, check_id, kind, at);
}

int journal_run_end(journal *j, int64_t run, const char *outcome, char **err)
{
	char at[32];
	jnow_iso(at);
	if (jtx_begin(j, err) < 0)
		return -1;
	int rc = exec_args(j, NULL, err, "UPDATE fix_runs SET finished = ?, outcome = ? WHERE id = ?", "ssi", at,
			   outcome, run);
	if (rc == 0)
		rc = log_row(j, "run-end", "fix_runs", run, err);
	return jtx_end(j, rc, err);
}

int64_t journal_change_plan(journal *j, int64_t run, const char *cls, const char *key, const char *prop,
			    const value *before, const value *after, int64_t undoes, char **err)
{
	char at[32];
	jnow_iso(at);
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
	jnow_iso(at);
	strbuf enc = STRBUF_INIT;
	script_params_encode(state, params, nparams, &enc);
	int64_t id = insert_logged(j, "changes", "planned", err,
				   "INSERT INTO changes(run, class, key, property, before, after, state, undoes, updated,"
				   " kind, params) VALUES (?,?,?,?,?,?,'planned',nullif(?,0),?,'script',?)",
				   "isssvviss", run, cls, key, script, before, after, undoes, at, sb_str(&enc));
	sb_release(&enc);
	return id;
}

/* ---------- state transitions ---------- */

static int set_state(journal *j, int64_t id, change_state to, const char *extra_sql, const value *v, char **err)
{
	char at[32];
	jnow_iso(at);
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
	if (jtx_begin(j, err) < 0)
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
	return jtx_end(j, rc, err);
}

/* ---------- results, attestations, waivers ---------- */

int journal_result_add(journal *j, int64_t session, int64_t run, const char *check_id, const char *status,
		       const char *reason, const char *evidence_json, char **err)
{
	char at[32];
	jnow_iso(at);
	int64_t id = insert_logged(j, "results", "result", err,
				   "INSERT INTO results(session, run, check_id, status, reason, evidence, at)"
				   " VALUES (?,nullif(?,0),?,?,?,?,?)",
				   "iisssss", session, run, check_id, status, reason, evidence_json, at);
	return id < 0 ? -1 : 0;
}

int64_t journal_attest(journal *j, int64_t session, const char *check_id, bool compliant, const char *note,
		       const char *operator_, char **err)
{
	char at[32];
	jnow_iso(at);
	return insert_logged(j, "attestations", "attest", err,
			     "INSERT INTO attestations(session, check_id, note, operator, at, answer) VALUES (?,?,?,?,?,?)",
			     "isssss", session, check_id, note, operator_, at, compliant ? "yes" : "no");
}

int64_t journal_waive(journal *j, int64_t session, const char *check_id, const char *reason,
		      const char *until, const char *operator_, char **err)
{
	char at[32];
	jnow_iso(at);
	return insert_logged(j, "waivers", "waive", err,
			     "INSERT INTO waivers(session, check_id, reason, until, operator, at) VALUES (?,?,?,?,?,?)",
			     "isssss", session, check_id, reason, until, operator_, at);
}

int journal_results_add(journal *j, int64_t session, const jresult_in *v, size_t n, char **err)
{
	if (n == 0)
		return 0;
	char at[32];
	jnow_iso(at);
	if (jtx_begin(j, err) < 0)
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
				*err = jdb_err(j->db, "cannot write the journal");
				rc = -1;
			} else {
				rc = log_row(j, "result", "results", sqlite3_last_insert_rowid(j->db), err);
			}
		}
		sqlite3_finalize(st);
	} else {
		*err = jdb_err(j->db, "cannot write the journal");
	}
	return jtx_end(j, rc, err);
}

