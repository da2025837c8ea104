/* journal_int.h — what the journal's own modules share, and nothing outside
 * src/journal/ may include: the open database, the transaction helpers, the
 * canonical row text and the hash of the chain.
 *
 *   journal.c    the store: opening, schema, transactions, the hash-chained
 *                log, every write (the write-ahead protocol of journal.h)
 *   query.c      every read: changes, runs, results, verdicts, the report view
 *   verify.c     the chain and the rows checked against the log
 *   reconcile.c  deciding changes of unknown outcome by reading the target
 *   print.c      journal list/show/export as text and JSON
 *   lock.c       one writer per journal and per site */
#ifndef CMH_JOURNAL_INT_H
#define CMH_JOURNAL_INT_H

#include <sqlite3.h>
#include <stdarg.h>

#include "journal/journal.h"

struct journal {
	sqlite3 *db;
	char *path;
};

/* Tables whose rows the log covers; also the only names ever spliced into SQL. */
extern const char *const journal_tables[];
extern const size_t journal_ntables;
extern const char journal_genesis[65];

char *jdb_err(sqlite3 *db, const char *what);
void jnow_iso(char out[32]);
const char *jcol_text(sqlite3_stmt *st, int c);
int jstate_parse(const char *s, change_state *out);

int jtx_begin(journal *j, char **err);
int jtx_end(journal *j, int rc, char **err);

/* The canonical text of one row (journal.c); -1 if the row is absent. */
int jrow_text(journal *j, const char *tbl, int64_t id, strbuf *out);
void jhash_row(const char *prev, int64_t seq, const char *at, const char *event, const char *tbl,
	       int64_t row_id, const char *data, size_t dlen, char out[65]);

/* Binds "?" parameters from a format string: s = text (NULL -> NULL), i =
 * int64, v = value (encoded into keep[k]). */
int jbind_args(sqlite3_stmt *st, const char *fmt, va_list ap, strbuf *keep, size_t nkeep);

/* The sessions of one site, bound to (spec, identity, identity): those
 * recorded for the target's spec, and, when the site's identity is known,
 * those recorded for the same site through another agent command. */
#define JOURNAL_SITE_SESSIONS "(s.target = ? OR (? IS NOT NULL AND s.site = ?))"

/* Changes joined with their run and session, filtered by `tail` (SQL after
 * the FROM clause) with arguments bound as in jbind_args. */
int jread_changes(journal *j, jchange **out, size_t *n, char **err, const char *tail, const char *fmt, ...);

#endif
