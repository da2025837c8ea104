/* trust.h — refusing to run fix scripts from content that someone else can change.
 *
 * Like sudo with sudoers and ssh with StrictModes: a fix script runs with the
 * operator's rights against a production site, so nobody but the operator (or
 * root) may be able to change it between review and run. The content
 * directory, fixes/, fixes/scripts/ and every script there must be owned by
 * root or by the user running cmharden and must not be group- or
 * world-writable; scripts must be regular files (no symlinks to elsewhere).
 * The directories above the content directory must not let others replace it
 * either: each is owned by root or the user and not group/world-writable,
 * unless it is sticky (like /tmp), where others cannot rename what they do
 * not own. */
#ifndef CMH_TRUST_H
#define CMH_TRUST_H

/* 0 when the fix scripts under DIR may run; -1 with *err (to free) naming the
 * first path that fails and why, with what to do about it. */
int content_trust_check(const char *dir, char **err);

#endif
