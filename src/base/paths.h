/* paths.h — where cmharden finds its content and keeps its data. */
#ifndef CMH_PATHS_H
#define CMH_PATHS_H

/* The content directory (holding checks/, fixes/, labs/): $CMHARDEN_CONTENT, the
 * build tree the binary runs from, or the installed $(pkgdatadir). Caller frees. */
char *content_dir(void);
/* $XDG_DATA_HOME/cmharden (default ~/.local/share/cmharden), created 0700.
 * Returns NULL with *err set when it cannot be created. */
char *data_dir(char **err);

#endif
