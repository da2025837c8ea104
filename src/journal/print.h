/* print.h — the journal printed: `journal list` (one line per session),
 * `journal show` (one session), `journal export` (every table and the log, JSON). */
#ifndef CMH_JOURNAL_PRINT_H
#define CMH_JOURNAL_PRINT_H

#include <stdio.h>

#include "journal/journal.h"

int journal_list(journal *j, FILE *out, char **err);

int journal_show(journal *j, int64_t session, FILE *out, char **err);
int journal_export_json(journal *j, FILE *out, char **err);

#endif
