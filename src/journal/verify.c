/* verify.c — proving the journal unaltered: the hash chain of the log, and
 * every row of every table against what the log recorded last for it (see
 * verify.h). */
#include "config.h"
#include "journal/verify.h"
#include "journal/journal_int.h"
#include "base/i18n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
		*err = jdb_err(j->db, "cannot read the journal log");
		return -1;
	}
	int64_t expected = 1;
	char prev[65], calc[65];
	memcpy(prev, journal_genesis, 65);
	int bad = 0, rc;
	*head_found = hseq == 0 && !strcmp(hhash, journal_genesis);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		if (seq != expected) {
			sb_addf(report, _("log row %lld was deleted (the chain jumps from row %lld to row %lld)\n"),
				(long long)expected, (long long)expected - 1, (long long)seq);
			bad = 1;
			break;
		}
		jhash_row(prev, seq, jcol_text(st, 1), jcol_text(st, 2), jcol_text(st, 3), sqlite3_column_int64(st, 4),
			 jcol_text(st, 5), (size_t)sqlite3_column_bytes(st, 5), calc);
		if (strcmp(calc, jcol_text(st, 6)) != 0) {
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
		*err = jdb_err(j->db, "cannot read the journal log");
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
		if (jrow_text(j, tbl, id, &now) < 0) {
			sb_addf(report, _("%s row %lld was deleted (last recorded in log row %lld)\n"), tbl,
				(long long)id, (long long)seq);
			bad = 1;
		} else if (now.len != (size_t)sqlite3_column_bytes(st, 1) ||
			   memcmp(sb_str(&now), jcol_text(st, 1), now.len) != 0) {
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
	memcpy(hhash, journal_genesis, 65);
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
	for (size_t i = 0; chain_ok && bad >= 0 && i < journal_ntables; i++) {
		int r = verify_table(j, journal_tables[i], report);
		if (r < 0) {
			*err = jdb_err(j->db, "cannot read the journal");
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

