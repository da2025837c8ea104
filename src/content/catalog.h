/* catalog.h — the checklist in memory: sections, checks, their probes and
 * expectations, loaded from checks/ (doc/content-format.md). */
#ifndef CMH_CATALOG_H
#define CMH_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "content/expr.h"
#include "content/value_names.h"

#define CONTENT_MAX_BYTES (4u << 20)

typedef enum { SEV_LOW, SEV_MEDIUM, SEV_HIGH } severity;
typedef enum { KIND_AUTOMATED, KIND_ATTESTATION } check_kind;
typedef enum { BASIS_NONE, BASIS_DOCUMENTED, BASIS_INFERRED } check_basis;
typedef enum { Q_ALL, Q_ANY, Q_NONE } quantifier;
typedef enum { EMPTY_NOT_APPLICABLE, EMPTY_PASS } empty_rule;

typedef struct collect {
	char *label;
	char *cls;
	char *where_src;
	expr *where; /* NULL: every object of the class */
	char **show; /* empty: every property */
	size_t nshow;
	char *reason; /* applies_if only */
} collect;

typedef struct reference {
	char *url;
	char *title;
} reference;

typedef struct check {
	char *id, *title, *section;
	severity sev;
	check_kind kind;
	check_basis basis;
	char *basis_note, *duplicate_note;
	char *why, *compliant, *console;
	reference *refs;
	size_t nrefs;
	collect *applies_if;
	collect *probe;
	quantifier quant;
	char *pred_src;
	expr *pred;
	empty_rule when_empty;
	collect *evidence;
	size_t nevidence;
	char *attest_reason, *attest_question;
	/* kind: fail-or-ask (kind is then KIND_ATTESTATION, so attesting, waiving and
	 * fixes work as for attestation checks): `fails_if` is the automated part,
	 * loaded into probe/pred/basis above; fail_refs cite the pages that state
	 * the violation it detects. */
	bool fail_or_ask;
	reference *fail_refs;
	size_t nfail_refs;
	char **fixes;
	size_t nfixes;
	char *file;
	int line, col;
} check;

typedef struct section {
	char *id, *title, *heading, *source, *note;
	bool beyond; /* `scope: beyond`: not one of the checklist's sections (its own score) */
	check *checks;
	size_t n;
	char *file;
} section;

/* An attack technique of the public Misconfiguration Manager knowledge base and
 * the checks that stand in its way (checks/attack-paths.yaml). */
typedef struct technique {
	char *id, *title, *url;
	char **checks;
	size_t nchecks;
	char *file;
	int line, col;
} technique;

typedef struct catalog {
	char *dir;
	char *title, *source, *warning, *intro;
	section *sections;
	size_t nsections;
	size_t nchecks;
	technique *techniques; /* in the file's order */
	size_t ntechniques;
	char **untagged; /* checks that stand in no technique's way, listed as such */
	size_t nuntagged;
	char **scoped_out; /* ids of the sections catalog_limit_scope() left out */
	size_t nscoped_out;
	char digest[65]; /* SHA-256 of every content file, in load order */
	value_names names; /* names and units of values (`values:` files), value_names.h */
} catalog;

/* Loads the YAML files of DIR/checks. Every problem goes to `d`; returns 0 when there was none. */
int catalog_load(catalog *cat, const char *dir, diags *d);
/* Adds one content file held in memory (the checklist file or a section file) to
 * `cat`, which is zeroed or already loaded; `file` names it in diagnostics. The
 * same rules as catalog_load; 0 when there was no problem. For tests and fuzzing. */
int catalog_load_buffer(catalog *cat, const char *file, const char *buf, size_t len, diags *d);
void catalog_release(catalog *cat);
/* The .yaml files of DIR, sorted (caller frees each and the list); problems go to d. */
char **list_yaml_files(const char *dir, size_t *n, diags *d);

/* Which sections a run reads: the whole content, or only the checklist's own
 * sections (`--scope checklist` leaves out "Beyond the 2007 checklist"). */
typedef enum { SCOPE_ALL, SCOPE_CHECKLIST } catalog_scope;
int catalog_scope_parse(const char *s, catalog_scope *out);
/* Drops the sections outside `scope`; the techniques keep their check ids, which
 * no longer resolve (catalog_find returns NULL for them). */
void catalog_limit_scope(catalog *cat, catalog_scope scope);
/* Counts of the checklist's own sections and checks (beyond sections left out). */
/* True when `file` (SECTION.yaml, as fixes/ names them) belongs to a section left out. */
bool catalog_scoped_out(const catalog *cat, const char *file);
void catalog_checklist_counts(const catalog *cat, size_t *nsections, size_t *nchecks);
const technique *catalog_technique(const catalog *cat, const char *id);

const check *catalog_find(const catalog *cat, const char *id);
const section *catalog_section(const catalog *cat, const char *id);

/* "low", "medium", "high": the words of the content and of JSON and CSV. */
const char *severity_name(severity s);
/* The same, translated, wherever a person reads it. */
const char *severity_label(severity s);
const char *kind_name(check_kind k);
/* "automated", "attestation" or "fail-or-ask": the kind as the content names it. */
const char *check_kind_label(const check *k);
const char *basis_name(check_basis b);

#endif
