/* lab_scripts.h — fix scripts on the lab: one handler per shipped script.
 *
 * On a real site the scripts in fixes/scripts/NAME/ are PowerShell run by the
 * agent; a lab has no Windows to run them on, so "script steps run against the
 * lab's own state": each script has a handler here that does to the lab's
 * objects what its three .ps1 files do to the site, phase by phase. A handler
 * receives its parameters already checked against their types (as the
 * PowerShell param() block would bind them), runs inside the one transaction
 * the lab opens for the call, and may read and write objects only through
 * lab_io. The table also declares each script's parameters and state, and a
 * test holds it equal to the manifests (fixes/scripts/NAME/script.yaml). */
#ifndef CMH_LAB_SCRIPTS_H
#define CMH_LAB_SCRIPTS_H

#include <stddef.h>

#include "base/object.h"
#include "base/script_param.h"

/* The lab's state within the transaction of one script call (target_lab.c). */
typedef struct lab_io lab_io;
/* Every object of a class, as the lab holds it now. */
int lab_io_query(lab_io *io, const char *cls, objset *out, char **err);
/* Replaces one existing property of one object. */
int lab_io_put(lab_io *io, const char *cls, const char *key, const char *prop, const value *v, char **err);

typedef int (*lab_script_fn)(lab_io *io, const script_param *p, size_t n, value *result, char **err);

typedef struct lab_script {
	const char *name; /* fixes/scripts/NAME */
	struct {
		const char *name;
		script_type type;
	} params[6];
	size_t nparams;
	script_type state;
	lab_script_fn phase[SCRIPT_NPHASES]; /* indexed by script_phase */
} lab_script;

extern const lab_script lab_scripts[];
extern const size_t lab_nscripts;
const lab_script *lab_script_find(const char *name);

#endif
