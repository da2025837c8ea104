/* site.h — what identifies a site: its code, name, server and version, as a
 * target reports it and as check expressions (site.*) read it. */
#ifndef CMH_SITE_H
#define CMH_SITE_H

typedef struct site_info {
	char *code, *name, *server, *version, *build, *mode;
} site_info;

void site_info_release(site_info *s);

#endif
