/* verify.h — proving the journal unaltered (doc/journal.md, "Verification"). */
#ifndef CMH_JOURNAL_VERIFY_H
#define CMH_JOURNAL_VERIFY_H

#include "base/util.h"
#include "journal/journal.h"

/* Checks the hash chain and that every row of every table is the one the log
 * recorded last. Problems are written to `report` (the first one first).
 * `head` ("SEQ:HASH", may be NULL) must be a row of the chain.
 * Returns 0 intact, 1 tampered, -1 error. The head is returned in head_out. */
int journal_verify(journal *j, const char *head, strbuf *report, char **head_out, char **err);

#endif
