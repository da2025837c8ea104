/* target_lab.h — the lab target: a scenario (content/lab.h) loaded into a
 * SQLite state file under $XDG_DATA_HOME/cmharden/labs/, so that changes made
 * by fixes persist across runs and undo can restore them. */
#ifndef CMH_TARGET_LAB_H
#define CMH_TARGET_LAB_H

#include "content/lab.h"
#include "target/target.h"

/* (Re)creates the state file from a scenario, atomically (temp file + rename), mode 0600. */
int lab_state_create(const char *state_path, const scenario *s, char **err);
/* When the state file was (re)created (ISO 8601, UTC; caller frees), or NULL
 * if there is no state file or it does not say. Opens it read-only. */
char *lab_state_created(const char *state_path);

extern const target_ops lab_target_ops;
/* Opens the state file of a scenario, creating it on first use. */
int lab_target_open(const char *content_dir, const char *name_or_path, target **out, char **err);
/* The same with the state kept under `data_dir` (another user's, for scoring a
 * trainee). readonly: the state file must exist and is opened read-only
 * (nothing is created or written). */
int lab_target_open_at(const char *content_dir, const char *name_or_path, const char *data_dir, bool readonly,
		       target **out, char **err);

#endif
