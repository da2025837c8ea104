/* testutil.h — helpers shared by the Criterion tests. */
#ifndef CMH_TESTUTIL_H
#define CMH_TESTUTIL_H

#include <stddef.h>

/* A fresh private directory under $TMPDIR; caller frees the path. */
char *tu_tempdir(void);
void tu_write(const char *dir, const char *rel, const char *text);
void tu_rmrf(const char *dir);
/* The shipped content (the source tree). */
const char *tu_content(void);

#endif
