/* hostile_util.c — see hostile_util.h. */
#include "config.h"
#include "hostile_util.h"
#include "fuzz/jsonv.h"
#include "base/util.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static int exec_bind(sqlite3 *db, const char *sql, const char *const *args, const int *lens, int nargs)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (int i = 0; i < nargs; i++)
		sqlite3_bind_text(st, i + 1, args[i], lens[i], SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

static int set_meta(sqlite3 *db, const char *k, const char *v, int len)
{
	const char *a[2] = {v, k};
	int l[2] = {len, -1};
	return exec_bind(db, "UPDATE meta SET v = ? WHERE k = ?", a, l, 2);
}

static int add_object(sqlite3 *db, const char *cls, const char *key, int klen, sqlite3_int64 *id)
{
	const char *a[2] = {cls, key};
	int l[2] = {-1, klen};
	if (exec_bind(db, "INSERT INTO objects(class, key) VALUES (?, ?)", a, l, 2) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db);
	return 0;
}

static int add_prop(sqlite3 *db, sqlite3_int64 id, const char *name, int nlen, const char *enc, int elen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT INTO props(object_id, name, value) VALUES (?, ?, ?)", -1, &st, NULL))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name, nlen, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, enc, elen, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

static char *big(char fill, const char *tail)
{
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < HOSTILE_BIG; i++)
		sb_addc(&sb, fill);
	sb_adds(&sb, tail);
	return sb_detach(&sb);
}

/* Invalid UTF-8 of every kind: stray continuation, lone lead, overlong,
 * surrogate, above U+10FFFF, bytes F5-FF. */
#define BAD_UTF8 "\x80\xbf \xc3 \xc0\xaf \xe0\x80\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80 \xfe\xff"

static int inject_text(sqlite3 *db)
{
	char *server = big('S', "\x1b]0;title\x07");
	char *name_enc = big('A', "\x1b[2J");
	char *enc_big = xasprintf("s:%s", name_enc);
	sqlite3_int64 id;
	const char *key = "INJ\xff\x1b[2J\xe2\x80\xae";
	int rc = -1;
	if (set_meta(db, "site_code", "\xff\x1b" "7", -1) || set_meta(db, "site_name", "Inj " BAD_UTF8 " \x1b[2J", -1) ||
	    set_meta(db, "site_server", server, -1) || set_meta(db, "site_version", "\x1b[31m2007 SP2", -1) ||
	    set_meta(db, "site_mode", "\xe2\x80\xaemixed", -1) || set_meta(db, "site_build", "\x9b" "2J", -1))
		goto out;
	if (add_object(db, "SMS_Advertisement", key, -1, &id))
		goto out;
	static const char *const props[][2] = {
		{"AdvertisementID", "s:INJ\xff\xfe"},
		{"PackageID", "s:INJ" BAD_UTF8},
		{"ProgramName", "s:=cmd|' /C calc'!A0 " BAD_UTF8},
		{"CollectionID", "l:3:\x1b[A4:\xff\xfe\xfd\xfc" "3:=1+5:@SUM("},
		{"RemoteClientFlags", "i:136"},
		{"AdvertFlags", "i:0"},
		{"IncludeSubCollection", "b:1"},
		{"SourceSite", "s:-1+1"},
		{"PresentTime", "s:\xe2\x80\xae" "2009"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(props); i++)
		if (add_prop(db, id, props[i][0], -1, props[i][1], -1))
			goto out;
	if (add_prop(db, id, "AdvertisementName", -1, enc_big, -1) ||
	    add_prop(db, id, "Evil\x1b[2J\xff\xe2\x80\xae", -1, "s:name of a property", -1))
		goto out;
	/* A key of a megabyte, too. */
	if (add_object(db, "SMS_Advertisement", name_enc, -1, &id) || add_prop(db, id, "AdvertisementID", -1, "s:BIG", -1) ||
	    add_prop(db, id, "PackageID", -1, "s:BIG", -1) || add_prop(db, id, "RemoteClientFlags", -1, "i:8", -1))
		goto out;
	rc = 0;
out:
	free(server);
	free(name_enc);
	free(enc_big);
	return rc;
}

int hostile_inject(const char *db_path, unsigned what, char **err)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		*err = xasprintf("cannot open %s: %s", db_path, db ? sqlite3_errmsg(db) : "?");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_int64 id;
	int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	if (!rc && (what & HOSTILE_TEXT))
		rc = inject_text(db);
	if (!rc && (what & HOSTILE_NUL_VALUE))
		rc = add_object(db, "Registry", "REGNUL", -1, &id) ||
		     add_prop(db, id, "Value", -1, "s:abc\0hidden", 12);
	if (!rc && (what & HOSTILE_NUL_KEY))
		rc = add_object(db, "Win32_Service", "SVC\0hidden\x1b[2J", 14, &id) ||
		     add_prop(db, id, "Name", -1, "s:x", -1);
	if (!rc)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	if (rc)
		*err = xasprintf("cannot write %s: %s", db_path, sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc ? -1 : 0;
}

static bool bidi(unsigned long cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	       cp == 0x200F || cp == 0x061C || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029;
}

bool hostile_inert(const char *s, size_t len, bool crlf, size_t *at)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t n = jsonv_utf8(p + i, len - i, &cp);
		bool ok = n && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F) && !bidi(cp) &&
			  (cp >= 0x20 || cp == '\n' || (crlf && cp == '\r' && i + 1 < len && p[i + 1] == '\n'));
		if (!ok) {
			*at = i;
			return false;
		}
		i += n;
	}
	return true;
}

bool hostile_csv_safe(const char *s, size_t len, size_t *line)
{
	size_t ln = 1;
	bool start = true, quoted = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (start) {
			start = false;
			if (c == '"') {
				quoted = true;
				if (i + 1 < len && strchr("=+-@\t\r", s[i + 1]) && s[i + 1]) {
					*line = ln;
					return false;
				}
				continue;
			}
			if (strchr("=+-@\t", c) && c) {
				*line = ln;
				return false;
			}
		}
		if (quoted) {
			if (c == '"' && i + 1 < len && s[i + 1] == '"')
				i++;
			else if (c == '"')
				quoted = false;
			else if (c == '\n')
				ln++;
			continue;
		}
		if (c == ',')
			start = true;
		else if (c == '\n') {
			start = true;
			ln++;
		}
	}
	return true;
}
