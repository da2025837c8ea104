/* baseline.h — an earlier JSON report, and what changed since it.
 *
 * `cmharden report --baseline OLD.json` reads a JSON report made before (by
 * any version of this layout, doc/report-format.md) and compares it, check by
 * check, with the site now:
 *   fixed           failed or erred then, passes (or no longer applies) now;
 *   regressed       did not fail then, fails or errs now;
 *   newly attested  attested now, not then;
 *   waiver expired  a waiver was in force then, none is now;
 *   waiver added    a waiver is in force now, none was then;
 *   check added / check removed: in the content now but not then, or the reverse.
 * The file is read with the strict YAML reader (JSON is YAML's flow style),
 * which bounds its size, depth and node count. */
#ifndef CMH_BASELINE_H
#define CMH_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "check/engine.h"

typedef struct baseline_check {
	char *id, *status;
	bool waived; /* a waiver was in force */
} baseline_check;

typedef struct report_baseline {
	char *path, *generated_at, *site_code, *content_digest, *schema_version;
	baseline_check *checks;
	size_t nchecks;
} report_baseline;

typedef enum {
	DIFF_FIXED,
	DIFF_REGRESSED,
	DIFF_ATTESTED,
	DIFF_WAIVER_EXPIRED,
	DIFF_WAIVER_ADDED,
	DIFF_CHECK_ADDED,
	DIFF_CHECK_REMOVED,
	DIFF_KINDS
} diff_kind;

typedef struct diff_item {
	diff_kind kind;
	const char *check_id; /* borrowed from the catalog or the baseline */
	const char *was, *now; /* status names; NULL where the check did not exist */
} diff_item;

typedef struct report_diff {
	diff_item *items; /* grouped by kind, in catalog order within a kind */
	size_t n;
	size_t counts[DIFF_KINDS];
} report_diff;

/* The largest baseline report read (a default lab's report is about 350 KB). */
#define BASELINE_MAX_BYTES (64u << 20)

/* 0, or -1 with *err (cannot be read, or not a cmharden JSON report). */
int baseline_load(report_baseline **out, const char *path, char **err);
void baseline_free(report_baseline *b);
const baseline_check *baseline_find(const report_baseline *b, const char *id);

/* A check's verdict now, as the caller knows it (`known` false: not run yet,
 * then only its presence in the content is compared). */
typedef struct baseline_now {
	const char *id;
	check_status status; /* with the attestation and waiver in force; ST_WAIVED: a waiver is in force */
	bool known;
} baseline_now;

/* Compares the checks now (in catalog order) with the baseline. `out` is
 * zeroed first; diff_release() frees it. */
void baseline_compare(const report_baseline *b, const catalog *cat, const baseline_now *now, size_t n,
		      report_diff *out);

const char *diff_kind_name(diff_kind k);  /* machine name: fixed, regressed ... */
const char *diff_kind_label(diff_kind k); /* for people, translated */
void diff_release(report_diff *d);

#endif
