/* target_snapshot.h — the snapshot target, and writing a site as a scenario file. */
#ifndef CMH_TARGET_SNAPSHOT_H
#define CMH_TARGET_SNAPSHOT_H

#include <stdio.h>

#include "content/lab.h"
#include "target/target.h"

/* A snapshot: a scenario file (doc/content-format.md) audited read-only, held in
 * memory; nothing is written to the lab state directory. */
int snapshot_target_open(const char *path, target **out, char **err);

/* Writes a site as a scenario file (the format the PowerShell agent's -Dump
 * writes): strings quoted, embedded Props/PropLists nested back into maps. */
void snapshot_write(FILE *f, const scenario *s);

#endif
