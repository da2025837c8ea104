/* target_lab.c — the lab target: a simulated site kept in a SQLite state file.
 *
 * Invariants: the state file is created complete or not at all (built in a
 * temporary file, then renamed); it is mode 0600 in a 0700 directory; every
 * set() is one transaction that returns the previous value; queries read the
 * committed state; every run() of a fix script is one transaction too
 * (capture's is always rolled back, so a capture cannot change the lab). */
#include "config.h"
#include "base/i18n.h"
#include "target/target_lab.h"
#include "target/lab_scripts.h"
#include "base/paths.h"
#include "base/sanitize.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LAB_APP_ID 0x434d4c42 /* "CMLB" */
#define LAB_SCHEMA 1

typedef struct lab_impl {
	sqlite3 *db;
	char *state_path;
} lab_impl;

static const char *schema_sql =
	"PRAGMA application_id = 1129139266;" /* LAB_APP_ID */
	"PRAGMA user_version = 1;"
	"CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);"
	"CREATE TABLE objects(id INTEGER PRIMARY KEY, class TEXT NOT NULL COLLATE NOCASE,"
	" key TEXT NOT NULL COLLATE NOCASE, UNIQUE(class, key));"
	"CREATE TABLE props(object_id INTEGER NOT NULL REFERENCES objects(id),"
	" name TEXT NOT NULL COLLATE NOCASE, value TEXT NOT NULL, PRIMARY KEY(object_id, name))"
	" WITHOUT ROWID;";

static char *db_err(sqlite3 *db, const char *what)
{
	return xasprintf("%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

static int put_meta(sqlite3 *db, const char *k, const char *v)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(k, v) VALUES (?, ?)", -1, &st, NULL))
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v ? v : "", -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

static int insert_objects(sqlite3 *db, const objset *objs)
{
	sqlite3_stmt *so = NULL, *sp = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "INSERT INTO objects(class, key) VALUES (?, ?)", -1, &so, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO props(object_id, name, value) VALUES (?, ?, ?)", -1, &sp,
			       NULL))
		goto out;
	strbuf enc = STRBUF_INIT;
	for (size_t i = 0; i < objs->n; i++) {
		const object *o = &objs->items[i];
		sqlite3_bind_text(so, 1, o->cls, -1, SQLITE_STATIC);
		sqlite3_bind_text(so, 2, o->key, -1, SQLITE_STATIC);
		if (sqlite3_step(so) != SQLITE_DONE) {
			sb_release(&enc);
			goto out;
		}
		sqlite3_reset(so);
		sqlite3_int64 id = sqlite3_last_insert_rowid(db);
		for (size_t p = 0; p < o->n; p++) {
			sb_reset(&enc);
			value_encode(&o->props[p].v, &enc);
			sqlite3_bind_int64(sp, 1, id);
			sqlite3_bind_text(sp, 2, o->props[p].name, -1, SQLITE_STATIC);
			sqlite3_bind_text(sp, 3, sb_str(&enc), (int)enc.len, SQLITE_STATIC);
			if (sqlite3_step(sp) != SQLITE_DONE) {
				sb_release(&enc);
				goto out;
			}
			sqlite3_reset(sp);
		}
	}
	sb_release(&enc);
	rc = 0;
out:
	sqlite3_finalize(so);
	sqlite3_finalize(sp);
	return rc;
}

int lab_state_create(const char *state_path, const scenario *s, char **err)
{
	char *tmp = xasprintf("%s.tmp.%ld", state_path, (long)getpid());
	unlink(tmp);
	/* Create the file 0600 ourselves so SQLite never makes it with the umask's mode. */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0) {
		*err = xasprintf(_("cannot create %s: %s"), tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	sqlite3 *db = NULL;
	int rc = -1;
	if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		*err = db_err(db, "cannot open the lab state");
		goto out;
	}
	char *e = NULL;
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, &e) || sqlite3_exec(db, schema_sql, NULL, NULL, &e)) {
		*err = xasprintf(_("cannot create the lab state: %s"), e ? e : "?");
		sqlite3_free(e);
		goto out;
	}
	char now[32];
	time_t t = time(NULL);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	if (put_meta(db, "scenario", s->name) || put_meta(db, "scenario_file", s->file) ||
	    put_meta(db, "scenario_digest", s->digest) || put_meta(db, "title", s->title) ||
	    put_meta(db, "briefing", s->briefing) || put_meta(db, "site_code", s->site.code) ||
	    put_meta(db, "site_name", s->site.name) || put_meta(db, "site_server", s->site.server) ||
	    put_meta(db, "site_version", s->site.version) || put_meta(db, "site_build", s->site.build) ||
	    put_meta(db, "site_mode", s->site.mode) || put_meta(db, "created", now) ||
	    insert_objects(db, &s->objects) || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) {
		*err = db_err(db, "cannot write the lab state");
		goto out;
	}
	sqlite3_close(db);
	db = NULL;
	if (rename(tmp, state_path) < 0) {
		*err = xasprintf(_("cannot rename %s to %s: %s"), tmp, state_path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (db)
		sqlite3_close(db);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static char *get_meta(sqlite3 *db, const char *k)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(db, "SELECT v FROM meta WHERE k = ?", -1, &st, NULL))
		return NULL;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

char *lab_state_created(const char *state_path)
{
	sqlite3 *db = NULL;
	char *out = NULL;
	if (sqlite3_open_v2(state_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
		out = get_meta(db, "created");
	sqlite3_close(db);
	return out;
}

static int lab_site(target *t, site_info *out, char **err)
{
	lab_impl *L = t->impl;
	t->round_trips++;
	memset(out, 0, sizeof *out);
	out->code = get_meta(L->db, "site_code");
	out->name = get_meta(L->db, "site_name");
	out->server = get_meta(L->db, "site_server");
	out->version = get_meta(L->db, "site_version");
	out->build = get_meta(L->db, "site_build");
	out->mode = get_meta(L->db, "site_mode");
	if (!out->code || !out->server) {
		site_info_release(out);
		*err = xasprintf(_("the lab state %s has no site information"), L->state_path);
		return -1;
	}
	return 0;
}

static int load_class(lab_impl *L, const char *cls, objset *out, char **err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(L->db,
			       "SELECT o.key, p.name, p.value FROM objects o JOIN props p ON p.object_id = o.id"
			       " WHERE o.class = ? ORDER BY o.id",
			       -1, &st, NULL)) {
		*err = db_err(L->db, "cannot query the lab state");
		return -1;
	}
	sqlite3_bind_text(st, 1, cls, -1, SQLITE_STATIC);
	object *cur = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *enc = (const char *)sqlite3_column_text(st, 2);
		int elen = sqlite3_column_bytes(st, 2);
		/* The state file is data from outside: a key or name holding a NUL would
		 * be shown cut short (hiding the rest), and the message quotes both. */
		if (!key || !name || !enc || strlen(key) != (size_t)sqlite3_column_bytes(st, 0) ||
		    strlen(name) != (size_t)sqlite3_column_bytes(st, 1)) {
			char *k = sanitize_dup(key ? key : "?", 200), *n = sanitize_dup(name ? name : "?", 200);
			*err = xasprintf(_("corrupt object key or property name %s.%s in the lab state (a NUL byte)"),
					 k, n);
			free(k);
			free(n);
			sqlite3_finalize(st);
			return -1;
		}
		if (!cur || strcmp(cur->key, key) != 0)
			cur = objset_add(out, cls, key);
		value v;
		if (value_decode(enc, (size_t)elen, &v) < 0) {
			char *k = sanitize_dup(key, 200), *n = sanitize_dup(name, 200);
			*err = xasprintf(_("corrupt value of %s.%s in the lab state"), k, n);
			free(k);
			free(n);
			sqlite3_finalize(st);
			return -1;
		}
		object_put(cur, name, &v);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*err = db_err(L->db, "cannot query the lab state");
		return -1;
	}
	return 0;
}

static int lab_query(target *t, const char *cls, objset *out, char **err)
{
	t->round_trips++;
	return load_class(t->impl, cls, out, err);
}

static int read_prop(lab_impl *L, const char *cls, const char *key, const char *prop, value *out,
		     bool *found, char **err)
{
	sqlite3_stmt *st;
	*found = false;
	if (sqlite3_prepare_v2(L->db,
			       "SELECT p.value FROM objects o JOIN props p ON p.object_id = o.id"
			       " WHERE o.class = ? AND o.key = ? AND p.name = ?",
			       -1, &st, NULL)) {
		*err = db_err(L->db, "cannot read the lab state");
		return -1;
	}
	sqlite3_bind_text(st, 1, cls, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, prop, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), r = 0;
	if (rc == SQLITE_ROW) {
		*found = true;
		const char *enc = (const char *)sqlite3_column_text(st, 0);
		if (!enc || value_decode(enc, (size_t)sqlite3_column_bytes(st, 0), out) < 0) {
			char *k = sanitize_dup(key, 200), *n = sanitize_dup(prop, 200);
			*err = xasprintf(_("corrupt value of %s.%s in the lab state"), k, n);
			free(k);
			free(n);
			r = -1;
		}
	} else if (rc != SQLITE_DONE) {
		*err = db_err(L->db, "cannot read the lab state");
		r = -1;
	}
	sqlite3_finalize(st);
	return r;
}

static int lab_get(target *t, const char *cls, const char *key, const char *prop, value *out, char **err)
{
	lab_impl *L = t->impl;
	bool found;
	t->round_trips++;
	if (read_prop(L, cls, key, prop, out, &found, err) < 0)
		return -1;
	if (!found) {
		*err = xasprintf(_("%s '%s' has no property %s"), cls, key, prop);
		return -1;
	}
	return 0;
}

static int lab_set(target *t, const char *cls, const char *key, const char *prop, const value *v,
		   value *prev, char **err)
{
	lab_impl *L = t->impl;
	bool found;
	t->round_trips++;
	if (sqlite3_exec(L->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		*err = db_err(L->db, "cannot lock the lab state");
		return -1;
	}
	if (read_prop(L, cls, key, prop, prev, &found, err) < 0)
		goto fail;
	if (!found) {
		*err = xasprintf(_("%s '%s' has no property %s"), cls, key, prop);
		goto fail;
	}
	strbuf enc = STRBUF_INIT;
	value_encode(v, &enc);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(L->db,
				    "UPDATE props SET value = ? WHERE name = ? AND object_id ="
				    " (SELECT id FROM objects WHERE class = ? AND key = ?)",
				    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, sb_str(&enc), (int)enc.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, prop, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, cls, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, key, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
	}
	sb_release(&enc);
	if (rc != SQLITE_OK || sqlite3_exec(L->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		*err = db_err(L->db, "cannot write the lab state");
		value_clear(prev);
		goto fail;
	}
	return 0;
fail:
	sqlite3_exec(L->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* ---------- fix scripts (lab_scripts.c) ---------- */

struct lab_io {
	lab_impl *L;
};

int lab_io_query(lab_io *io, const char *cls, objset *out, char **err)
{
	return load_class(io->L, cls, out, err);
}

int lab_io_put(lab_io *io, const char *cls, const char *key, const char *prop, const value *v, char **err)
{
	strbuf enc = STRBUF_INIT;
	value_encode(v, &enc);
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(io->L->db,
			       "UPDATE props SET value = ? WHERE name = ? AND object_id ="
			       " (SELECT id FROM objects WHERE class = ? AND key = ?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, sb_str(&enc), (int)enc.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, prop, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, cls, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_DONE)
			rc = sqlite3_changes(io->L->db) == 1 ? 0 : 1;
		sqlite3_finalize(st);
	}
	sb_release(&enc);
	if (rc < 0)
		*err = db_err(io->L->db, "cannot write the lab state");
	else if (rc > 0)
		*err = xasprintf(_("%s '%s' has no property %s"), cls, key, prop);
	return rc ? -1 : 0;
}

/* The script's text is not used: its lab handler does what it does. */
static int lab_run(target *t, const script_call *call, value *result, char **err)
{
	lab_impl *L = t->impl;
	t->round_trips++;
	*result = value_null();
	const lab_script *ls = lab_script_find(call->name);
	if (!ls || !ls->phase[call->phase]) {
		*err = xasprintf(_("the lab has no handler for the script %s (src/lab_scripts.c)"), call->name);
		return -1;
	}
	if (sqlite3_exec(L->db, call->phase == SCRIPT_CAPTURE ? "BEGIN" : "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		*err = db_err(L->db, "cannot lock the lab state");
		return -1;
	}
	lab_io io = {L};
	int rc = ls->phase[call->phase](&io, call->params, call->nparams, result, err);
	if (rc == 0 && call->phase != SCRIPT_CAPTURE && sqlite3_exec(L->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		*err = db_err(L->db, "cannot write the lab state");
		rc = -1;
	}
	if (rc < 0 || call->phase == SCRIPT_CAPTURE)
		sqlite3_exec(L->db, "ROLLBACK", NULL, NULL, NULL);
	if (rc < 0)
		value_clear(result);
	return rc;
}

static void lab_close(target *t)
{
	lab_impl *L = t->impl;
	if (!L)
		return;
	sqlite3_close(L->db);
	free(L->state_path);
	free(L);
}

const target_ops lab_target_ops = {
	.kind = "lab",
	.site = lab_site,
	.query = lab_query,
	.get = lab_get,
	.set = lab_set,
	.run = lab_run,
	.close = lab_close,
};

static int open_state(const char *path, bool readonly, sqlite3 **db, char **err)
{
	/* Never through a symbolic link: it could make any file of ours a lab. */
	struct stat lst;
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		*err = xasprintf(_("the lab state %s is a symbolic link; it is never opened through one"), path);
		*db = NULL;
		return -1;
	}
	if (sqlite3_open_v2(path, db, (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		*err = db_err(*db, "cannot open the lab state");
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	sqlite3_busy_timeout(*db, 5000);
	sqlite3_stmt *st;
	int app = 0, ver = 0;
	if (sqlite3_prepare_v2(*db, "PRAGMA application_id", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			app = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(*db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			ver = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (app != LAB_APP_ID) {
		*err = xasprintf(_("%s is not a cmharden lab state file (it was left untouched)"), path);
		goto fail;
	}
	if (ver > LAB_SCHEMA) {
		*err = xasprintf(_("%s was written by a newer cmharden (schema %d; this one reads %d)"), path, ver,
				 LAB_SCHEMA);
		goto fail;
	}
	/* A damaged state file is reported, not half-read: with a corrupt page,
	 * queries that miss it answer as if the site were whole. */
	if (sqlite3_prepare_v2(*db, "PRAGMA quick_check(1)", -1, &st, NULL) == SQLITE_OK) {
		int rc = sqlite3_step(st);
		const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		if (!r || strcmp(r, "ok") != 0) {
			const char *m = r ? r : sqlite3_errmsg(*db);
			if (!strncmp(m, "*** in database main ***\n", 25))
				m += 25;
			char *what = sanitize_dup(m, 200);
			*err = xasprintf(_("the lab state %s is damaged (%s); it was left untouched: "
					   "'cmharden lab reset' starts the lab over"),
					 path, what);
			free(what);
			sqlite3_finalize(st);
			goto fail;
		}
		sqlite3_finalize(st);
	} else {
		*err = db_err(*db, _("cannot check the lab state"));
		goto fail;
	}
	return 0;
fail:
	sqlite3_close(*db);
	*db = NULL;
	return -1;
}

int lab_target_open(const char *content_dir, const char *name_or_path, target **out, char **err)
{
	char *ddir = data_dir(err);
	if (!ddir)
		return -1;
	int rc = lab_target_open_at(content_dir, name_or_path, ddir, false, out, err);
	free(ddir);
	return rc;
}

int lab_target_open_at(const char *content_dir, const char *name_or_path, const char *ddir, bool readonly,
		       target **out, char **err)
{
	char *spath = lab_scenario_path(content_dir, name_or_path);
	char *state = NULL, *labdir = NULL;
	scenario s;
	memset(&s, 0, sizeof s);
	int rc = -1;
	labdir = xasprintf("%s/labs", ddir);
	if (!readonly && mkdir(labdir, 0700) < 0 && errno != EEXIST) {
		*err = xasprintf(_("cannot create %s: %s"), labdir, strerror(errno));
		goto out;
	}
	diags d;
	diags_init(&d);
	if (access(spath, R_OK) != 0) {
		*err = xasprintf(_("no lab scenario '%s' (%s: %s); 'cmharden lab list' shows the scenarios"),
				 name_or_path, spath, strerror(errno));
		diags_release(&d);
		goto out;
	}
	if (scenario_load(&s, spath, &d) < 0) {
		strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < d.n && i < 5; i++) {
			/* Messages quote the scenario's keys, which may be a real site's. */
			char *m = sanitize_dup(d.items[i].msg, 400);
			sb_addf(&sb, "\n  %s:%d:%d: %s", d.items[i].file, d.items[i].line, d.items[i].col, m);
			free(m);
		}
		*err = xasprintf(_("the lab scenario %s is not valid:%s"), spath, sb_str(&sb));
		sb_release(&sb);
		diags_release(&d);
		goto out;
	}
	diags_release(&d);
	state = lab_state_path(ddir, spath, &s);
	if (readonly && access(state, F_OK) != 0) {
		*err = xasprintf(_("%s holds no state of the lab '%s' (it was never started there)"), ddir, s.name);
		goto out;
	}
	if (access(state, F_OK) != 0 && lab_state_create(state, &s, err) < 0)
		goto out;
	lab_impl *L = xcalloc(1, sizeof *L);
	if (open_state(state, readonly, &L->db, err) < 0) {
		free(L);
		goto out;
	}
	L->state_path = xstrdup(state);
	target *t = xcalloc(1, sizeof *t);
	t->ops = &lab_target_ops;
	t->impl = L;
	t->spec = xasprintf("lab:%s", name_or_path);
	t->content_dir = content_dir ? xstrdup(content_dir) : NULL;
	t->description = xasprintf("training lab '%s' (state in %s)", s.name, state);
	*out = t;
	rc = 0;
out:
	scenario_release(&s);
	free(spath);
	free(labdir);
	free(state);
	return rc;
}
