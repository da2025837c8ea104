/* target.h — where checks run. A target answers two questions and makes one
 * kind of change (../doc/agent-protocol.md describes the same three on the wire):
 *
 *   query(class)            -> every object of the class, with its properties
 *   get(class, key, prop)   -> one value
 *   set(class, key, prop, v)-> the previous value
 *
 * and may offer a fourth, for the script steps of fixes (script_param.h):
 *
 *   run(call)               -> what the script returned (capture: the state)
 *
 * Filtering is done by the engine, not the target, so that one query per class
 * serves every check that reads the class (one round trip per class on a real
 * site). Targets count their round trips so benchmarks can report them. */
#ifndef CMH_TARGET_H
#define CMH_TARGET_H

#include <stdbool.h>

#include "content/expr.h"
#include "base/object.h"
#include "base/script_param.h"
#include "base/value.h"
#include "target/probe.h"

typedef struct target target;

typedef struct target_ops {
	const char *kind;
	int (*site)(target *t, site_info *out, char **err);
	int (*query)(target *t, const char *cls, objset *out, char **err);
	int (*get)(target *t, const char *cls, const char *key, const char *prop, value *out, char **err);
	int (*set)(target *t, const char *cls, const char *key, const char *prop, const value *v,
		   value *prev, char **err);
	/* Optional (NULL: the target cannot run fix scripts, and refuses script
	 * steps). Runs one phase of a script with its parameters, already checked
	 * against their types; they must reach the script as data, bound by name,
	 * never as text of a command line. capture returns the state in *result
	 * and changes nothing; apply and undo change the site (undo to the State
	 * parameter) and leave *result null. Use script_run(), not this. */
	int (*run)(target *t, const script_call *call, value *result, char **err);
	void (*close)(target *t);
	/* Optional (NULL: not offered). Reads several classes in one round trip
	 * ahead of the queries that will ask for them; a later query() of one of
	 * them is answered from what was read. Errors are reported per class by
	 * that query(); -1 only when the whole request failed. */
	int (*prefetch)(target *t, const char *const *classes, size_t n, char **err);
	/* Optional (NULL: not offered). Which data sources the target can read,
	 * per site system, with the reason when not, and whether it accepts
	 * changes (probe.h; an agent's `probe` request). 1 with *out filled,
	 * 0 when not offered after all, -1 with *err. */
	int (*probe)(target *t, probe_result *out, char **err);
	/* Optional (NULL: every query reads the whole site). After a successful
	 * query() of cls: the site systems it could not be read on, with the
	 * reasons (an agent's 'servererror' lines), or NULL when nothing is missing.
	 * The objects query() gave are the other servers'. */
	const char *(*partial)(target *t, const char *cls);
} target_ops;

struct target {
	const target_ops *ops;
	char *spec;        /* as the user wrote it, e.g. "lab:default" */
	char *description; /* for humans: "training lab 'default' (state in ...)" */
	char *content_dir; /* the content it was opened with (fixes/scripts/ for run); may be NULL */
	bool readonly;
	unsigned long round_trips;
	void *impl;
	const char *readonly_why; /* optional: why the target is read-only, for messages */
	bool set_outcome_unknown; /* see target_set_outcome_unknown() */
	/* Optional: asked every tenth of a second while a target waits for an
	 * answer that is late (an agent that stalls). True stops the wait: the
	 * call fails, and an agent's session is broken (its answer would arrive
	 * out of step). The wizard sets it so a stalled run can be cancelled. */
	bool (*cancelled)(void *ud);
	void *cancel_ud;
};

/* Opens "lab:NAME", "lab:PATH.yaml" (default "lab:default"), "agent:COMMAND",
 * "agent-shell:COMMAND" or "snapshot:FILE". */
int target_open(const char *spec, const char *content_dir, target **out, char **err);
/* The same with the target's `cancelled` hook set from the start, so that the
 * wait for an agent's hello can be cancelled too (the wizard's reconnect). */
typedef struct target_watch {
	bool (*cancelled)(void *ud);
	void *ud;
} target_watch;
int target_open_watched(const char *spec, const char *content_dir, const target_watch *w, target **out,
			char **err);
void target_close(target *t);

int target_site(target *t, site_info *out, char **err);
/* Reads the classes ahead if the target can (a no-op returning 0 otherwise). */
int target_prefetch(target *t, const char *const *classes, size_t n, char **err);
int target_query(target *t, const char *cls, objset *out, char **err);
/* After target_query() of cls succeeded: what part of the site was not read
 * (see target_ops.partial), or NULL. A check may not pass on such a class. */
const char *target_partial(target *t, const char *cls);
int target_get(target *t, const char *cls, const char *key, const char *prop, value *out, char **err);
int target_set(target *t, const char *cls, const char *key, const char *prop, const value *v,
	       value *prev, char **err);
/* After a failed target_set(): true when the target cannot tell whether the
 * change was made (an agent died or stalled after the whole request was sent).
 * The journal must then leave the change planned, for reconciliation to decide
 * by reading the site, rather than record it as failed. */
bool target_set_outcome_unknown(const target *t);
/* The target's own account of its data sources: 1 with *out filled, 0 when the
 * target offers none (a lab, a snapshot, an agent without `probe`), -1 with *err. */
int target_probe(target *t, probe_result *out, char **err);
/* A probe judged from the classes themselves, for a target that offers none:
 * each source is read through its classes (probe.h), a class error marks the
 * source unavailable on the site server, and the servers are those its objects
 * name (Server, SystemName) and the site server. Changes: as t->readonly says. */
void target_probe_from_classes(target *t, probe_result *out);

#endif
