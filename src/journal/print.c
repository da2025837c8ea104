/* print.c — the journal as text for `journal list` and `journal show`, and
 * as JSON for `journal export` (see print.h). */
#include "config.h"
#include "journal/print.h"
#include "journal/journal_int.h"
#include "base/i18n.h"
#include "base/json.h"

#include <stdlib.h>
#include <string.h>

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
		*err = jdb_err(j->db, "cannot read the journal");
		return -1;
	}
	fprintf(out, "%-5s %-24s %-12s %-18s %s\n", _("ID"), _("STARTED"), _("OPERATOR"), _("TARGET"), _("COMMAND"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		fprintf(out, "%-5lld %-24s %-12s %-18s %s", (long long)id, jcol_text(st, 1), jcol_text(st, 2),
			jcol_text(st, 3), jcol_text(st, 4));
		for (int s = 0; s < CH_NSTATES; s++) {
			int64_t n = count_changes(j, id, change_state_name((change_state)s));
			if (n)
				fprintf(out, "  %s:%lld", change_state_name((change_state)s), (long long)n);
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
			jcol_text(st, 6), jcol_text(st, 1), jcol_text(st, 2), *jcol_text(st, 8) ? "script " : "",
			jcol_text(st, 3));
		print_value_enc(out, jcol_text(st, 4), (size_t)sqlite3_column_bytes(st, 4));
		fputs(" -> ", out);
		print_value_enc(out, jcol_text(st, 5), (size_t)sqlite3_column_bytes(st, 5));
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
		*err = jdb_err(j->db, "cannot read the journal");
		return -1;
	}
	sqlite3_bind_int64(st, 1, session);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		*err = xasprintf(_("there is no session %lld in the journal"), (long long)session);
		return -1;
	}
	fprintf(out, _("Session %lld, started %s by %s\n  target %s, site %s, command '%s'\n  content %s\n"),
		(long long)session, jcol_text(st, 0), jcol_text(st, 1), jcol_text(st, 2), jcol_text(st, 3),
		jcol_text(st, 5), jcol_text(st, 4));
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(j->db,
			       "SELECT id, kind, coalesce(fix_id, ''), coalesce(check_id, ''), coalesce(outcome, '')"
			       " FROM fix_runs WHERE session = ? ORDER BY id",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, session);
		while (sqlite3_step(st) == SQLITE_ROW) {
			fprintf(out, _("  run %lld: %s %s (check %s): %s\n"), (long long)sqlite3_column_int64(st, 0),
				jcol_text(st, 1), jcol_text(st, 2), jcol_text(st, 3),
				*jcol_text(st, 4) ? jcol_text(st, 4) : _("unfinished"));
			show_changes(j, sqlite3_column_int64(st, 0), out);
		}
		sqlite3_finalize(st);
	}
	static const char *extras[] = {
		"SELECT 'result', check_id, status || coalesce(': ' || reason, '') FROM results WHERE session = ?1",
		"SELECT CASE answer WHEN 'no' THEN 'attested not compliant' ELSE 'attested compliant' END, check_id,"
		" note || ' (' || operator || ')' FROM attestations WHERE session = ?1",
		"SELECT 'waived', check_id, reason || coalesce(' until ' || nullif(until, ''), ' permanently')"
		" || ' (' || operator || ')'"
		" FROM waivers WHERE session = ?1"};
	for (size_t i = 0; i < ARRAY_SIZE(extras); i++) {
		if (sqlite3_prepare_v2(j->db, extras[i], -1, &st, NULL) != SQLITE_OK)
			continue;
		sqlite3_bind_int64(st, 1, session);
		while (sqlite3_step(st) == SQLITE_ROW)
			fprintf(out, "  %s %s: %s\n", jcol_text(st, 0), jcol_text(st, 1), jcol_text(st, 2));
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
				json_strn(sb, jcol_text(st, c), (size_t)sqlite3_column_bytes(st, c));
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
	for (size_t i = 0; i < journal_ntables && rc == 0; i++) {
		sb_addc(&sb, ',');
		rc = export_table(j, journal_tables[i], &sb);
	}
	if (rc == 0) {
		sb_addc(&sb, ',');
		rc = export_table(j, "log", &sb);
	}
	sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
	if (rc < 0) {
		*err = jdb_err(j->db, "cannot read the journal");
		sb_release(&sb);
		return -1;
	}
	sb_adds(&sb, "}\n");
	fputs(sb_str(&sb), out);
	sb_release(&sb);
	return 0;
}

