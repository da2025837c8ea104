/* engine.h — runs checks against a target and keeps the evidence.
 *
 * One engine serves one pass over the checklist: each class is queried from
 * the target once and shared by every check that reads it (so a full run costs
 * one round trip per class). engine_refresh() forgets what was read, for a
 * re-run after the site changed. */
#ifndef CMH_ENGINE_H
#define CMH_ENGINE_H

#include "content/catalog.h"
#include "target/target.h"

typedef enum {
	ST_PASS,
	ST_FAIL,
	ST_ERROR,
	ST_NOT_APPLICABLE,
	ST_NEEDS_ATTESTATION,
	ST_ATTESTED, /* the operator's attestation is in the journal */
	ST_WAIVED,   /* a waiver in force (reason, expiry) */
	ST_COUNT
} check_status;

typedef struct ev_row {
	char *key;
	value *cells;    /* one per column; V_NULL with missing=true when absent */
	bool *missing;
	bool offending;
	bool *bad;       /* per column: this property made the object offend */
} ev_row;

/* An evidence table without `show` has a column for every property any of its
 * objects has. Site data decides how many that is: past this many, the rest
 * are left out (and the table says so), which keeps the work and the memory of
 * a table (rows x columns) bounded. */
#define EV_MAX_COLUMNS 256

typedef struct ev_table {
	char *label;
	char *cls;
	char *where;     /* the filter, as written in the check */
	char **columns;
	size_t ncols;
	bool columns_cut; /* "every property": more than EV_MAX_COLUMNS, the rest not shown */
	ev_row *rows;
	size_t nrows, cap;
	char *error;     /* the class could not be read */
} ev_table;

typedef struct result {
	const check *chk;
	check_status status;
	char *reason;
	char *expected; /* "all: RemoteClientFlags has_none 0x88" */
	size_t examined, offending;
	ev_table *tables; /* [0] is the probe for automated checks */
	size_t ntables;
} result;

typedef struct class_entry {
	char *cls;
	objset objs;
	char *error;
} class_entry;

typedef struct engine {
	target *t;
	const catalog *cat;
	site_info site;
	class_entry **classes; /* pointers: entries must not move while a select() adds one */
	size_t nclasses;
	struct sel_cache *sel;
	size_t nsel;
} engine;

int engine_init(engine *e, target *t, const catalog *cat, char **err);
void engine_refresh(engine *e);
/* The classes the catalog's checks read (probes, applies_if, evidence, select()),
 * each once; the caller frees the strings and the array. */
void engine_catalog_classes(const catalog *cat, char ***classes, size_t *n);
/* Lets the target read every class the catalog needs ahead, in one round trip
 * where it can (an agent's batch). Optional: without it each class is read when
 * first needed. -1 only when the whole read-ahead failed; the queries that follow
 * then report per class. */
int engine_prefetch(engine *e, char **err);
void engine_release(engine *e);
void engine_run(engine *e, const check *k, result *out);
void result_release(result *r);
/* Applies the operator's standing verdict: an attestation settles an
 * attestation check (attested when the answer is compliant, a failure with
 * the note when it is not); a waiver in force settles any check (until NULL or
 * "": permanent). The original status stays in a waiver's reason, so a waived
 * failure still reads as a failure. */
void result_apply_verdict(result *r, bool waived, bool compliant, const char *text, const char *operator_,
			  const char *until);

const char *status_name(check_status s);

#endif
