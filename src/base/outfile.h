/* outfile.h — writing an output file the user names (report -o, snapshot -o,
 * check -o), one way everywhere (doc/cmharden.1, "OUTPUT FILES"):
 *
 *   - a regular file is replaced atomically: the new content goes to a
 *     temporary file in the same directory, is synced, and renamed over it,
 *     keeping the old file's mode; a reader sees the old or the new, never
 *     half; a failure leaves the old file as it was;
 *   - a regular file with more than one hard link is refused (replacing it
 *     would split the links, writing it in place would not be atomic);
 *   - a character device or a fifo (/dev/null, /dev/stdout, a terminal, a
 *     pipe) is written in place, never replaced; a block device, a
 *     directory or a socket is refused;
 *   - a symbolic link is followed: what it points to is written by the rules
 *     above, and the link stays a link; a link that points nowhere is refused
 *     (a file is never created through one);
 *   - a file that does not exist is created with `mode` & ~umask (0666 as
 *     the shell would; 0600 for site data), through the same temporary file
 *     and rename. */
#ifndef CMH_OUTFILE_H
#define CMH_OUTFILE_H

#include <stdio.h>

typedef struct outfile {
	FILE *f;    /* write here */
	char *path; /* as given */
	char *dest; /* the file renamed over (the link's target resolved); NULL when in place */
	char *tmp;  /* the temporary file; NULL when in place */
} outfile;

/* 0 with o->f open, or -1 with *err (nothing was created or changed). */
int outfile_open(outfile *o, const char *path, unsigned mode, char **err);
/* Flushes, syncs and puts the file in place. 0, or -1 with *err: then the
 * old file is unchanged (a special file may hold part of the output). */
int outfile_commit(outfile *o, char **err);
/* Drops what was written; the old file is unchanged. */
void outfile_abort(outfile *o);

#endif
