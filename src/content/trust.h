/* trust.h — refusing content that someone else could have changed.
 *
 * Fix scripts run with administrator rights on a site. Like sudo with its
 * sudoers file and ssh with authorized_keys, cmharden runs them only from
 * files and directories that no one but their owner can change: owned by
 * root or by the user running cmharden, and neither group- nor
 * world-writable. A refusal names the path and its mode, so the fix is one
 * chmod or chown away. */
#ifndef CMH_TRUST_H
#define CMH_TRUST_H

#include <stddef.h>

/* 0 when `path` (a file or directory; symbolic links are followed) passes;
 * -1 with *err naming the path, its mode and owner otherwise. */
int trust_path(const char *path, char **err);

/* Reads a regular file that passes trust_path, checking the file it opened
 * (not only the name), at most `limit` bytes. */
int trust_read(const char *path, size_t limit, char **buf, size_t *len, char **err);

/* The directories and files a script of the content directory depends on:
 * DIR, DIR/fixes, DIR/fixes/scripts, DIR/fixes/scripts/NAME, its script.yaml
 * and its apply.ps1, undo.ps1 and capture.ps1. */
int trust_script(const char *content_dir, const char *name, char **err);

#endif
