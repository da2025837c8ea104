/* testutil.h — helpers shared by the Criterion tests. */
#ifndef CMH_TESTUTIL_H
#define CMH_TESTUTIL_H

#include <stddef.h>

#include "check/engine.h"
#include "content/catalog.h"
#include "journal/journal.h"
#include "target/agent_proto.h"

/* A fresh private directory under $TMPDIR; caller frees the path. */
char *tu_tempdir(void);
void tu_write(const char *dir, const char *rel, const char *text);
void tu_rmrf(const char *dir);
/* The shipped content (the source tree). */
const char *tu_content(void);

/* For a suite's .init: a fresh private data directory as $XDG_DATA_HOME and
 * the shipped catalog loaded into cat (the test fails when it does not load).
 * Returns the directory; tu_catalog_close() releases both. */
char *tu_catalog_open(catalog *cat);
void tu_catalog_close(catalog *cat, char *home);

/* Every check of a catalog run once, in the catalog's order, against the
 * target spec (the test fails when the target or the engine cannot start). */
typedef struct tu_run {
	result *rs;
	size_t n;
	unsigned long round_trips; /* the target's, over the whole run */
} tu_run;
void tu_run_checks(const char *spec, const catalog *cat, tu_run *out);
/* The result of a check of the run; the test fails when there is none. */
const result *tu_run_find(const tu_run *r, const char *id);
void tu_run_free(tu_run *r);

/* The state the journal holds for a change (the test fails when it cannot be read). */
change_state tu_change_state(journal *j, int64_t id);

/* An agent's answer fed to a response, e cleared first. Both return the last
 * ap_response_feed() result (1: the answer is complete, -1: a violation, with
 * e saying why and where) and stop at the first that is not 0.
 * tu_feed_lines: the lines each without its newline, parsed one by one and
 * numbered from 1; -2 when a line does not parse (e says why). */
int tu_feed_lines(ap_response *r, const char *const *lines, ap_error *e);
/* tu_feed_stream: the bytes as they come on the wire, framed by a reader of
 * AP_MAX_LINE; 0 when the stream ends before the answer does or the reader
 * refuses a line. */
int tu_feed_stream(ap_response *r, const char *text, size_t len, ap_error *e);

#endif
