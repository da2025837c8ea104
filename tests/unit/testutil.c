#include "config.h"
#include "testutil.h"
#include "base/util.h"
#include "journal/query.h"
#include "target/target.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *tu_tempdir(void)
{
	const char *base = getenv("TMPDIR");
	char *t = xasprintf("%s/cmh-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(t)) {
		perror("mkdtemp");
		abort();
	}
	return t;
}

void tu_write(const char *dir, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0700);
			*p = '/';
		}
	}
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		abort();
	}
	fwrite(text, 1, strlen(text), f);
	fclose(f);
	free(path);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void tu_rmrf(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *tu_content(void)
{
	const char *e = getenv("CMHARDEN_CONTENT");
	return e && *e ? e : ABS_TOP_SRCDIR;
}

char *tu_catalog_open(catalog *cat)
{
	char *home = tu_tempdir();
	setenv("XDG_DATA_HOME", home, 1);
	diags d;
	diags_init(&d);
	cr_assert_eq(catalog_load(cat, tu_content(), &d), 0, "shipped content must load (%s)",
		     d.n ? d.items[0].msg : "");
	diags_release(&d);
	return home;
}

void tu_catalog_close(catalog *cat, char *home)
{
	catalog_release(cat);
	tu_rmrf(home);
	free(home);
}

void tu_run_checks(const char *spec, const catalog *cat, tu_run *out)
{
	target *t = NULL;
	char *err = NULL;
	cr_assert_eq(target_open(spec, cat->dir, &t, &err), 0, "%s: %s", spec, err ? err : "");
	engine e;
	cr_assert_eq(engine_init(&e, t, cat, &err), 0, "%s", err ? err : "");
	out->rs = xcalloc(cat->nchecks, sizeof *out->rs);
	out->n = 0;
	for (size_t s = 0; s < cat->nsections; s++)
		for (size_t i = 0; i < cat->sections[s].n; i++)
			engine_run(&e, &cat->sections[s].checks[i], &out->rs[out->n++]);
	out->round_trips = t->round_trips;
	engine_release(&e);
	target_close(t);
}

const result *tu_run_find(const tu_run *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->rs[i].chk->id, id))
			return &r->rs[i];
	cr_assert_fail("no result for %s", id);
	return NULL;
}

void tu_run_free(tu_run *r)
{
	for (size_t i = 0; i < r->n; i++)
		result_release(&r->rs[i]);
	free(r->rs);
}

change_state tu_change_state(journal *j, int64_t id)
{
	jchange c;
	char *err = NULL;
	cr_assert_eq(journal_change_get(j, id, &c, &err), 0, "%s", err ? err : "");
	change_state s = c.state;
	jchange_release(&c);
	return s;
}

int tu_feed_lines(ap_response *r, const char *const *lines, ap_error *e)
{
	int rc = 0;
	memset(e, 0, sizeof *e);
	for (size_t i = 0; lines[i]; i++) {
		ap_msg m;
		ap_msg_init(&m);
		if (ap_parse_line(lines[i], strlen(lines[i]), i + 1, &m, e) < 0)
			return -2;
		rc = ap_response_feed(r, &m, e);
		ap_msg_release(&m);
		if (rc != 0)
			return rc;
	}
	return rc;
}

int tu_feed_stream(ap_response *r, const char *text, size_t len, ap_error *e)
{
	memset(e, 0, sizeof *e);
	ap_reader rd;
	ap_reader_init(&rd, AP_MAX_LINE);
	ap_reader_feed(&rd, text, len);
	ap_msg m;
	ap_msg_init(&m);
	int rc = 0;
	while (rc == 0 && ap_reader_next(&rd, &m, e) == 1) {
		rc = ap_response_feed(r, &m, e);
		ap_msg_release(&m);
	}
	ap_reader_release(&rd);
	return rc;
}
