/* bench_engine.c — evaluation time and peak memory of the full checklist.
 *
 *   bench_engine gen DIR [N]   write a large site: DIR/large.yaml + its lab state
 *                              (50,000 advertisements and programs, 5,000 packages,
 *                              2,000 collections on top of the default lab; with N,
 *                              about N objects in the same proportions)
 *   bench_engine eval SPEC N   run the whole checklist N times against SPEC and
 *                              print the median and minimum time of one run, the
 *                              target round trips of one run, and the peak RSS
 *
 * Timing is done here (CLOCK_MONOTONIC) around the evaluation only; opening the
 * target and loading the content are reported separately. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "content/catalog.h"
#include "check/engine.h"
#include "target/target_lab.h"
#include "base/paths.h"
#include "target/target.h"
#include "base/util.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void put_int(object *o, const char *n, int64_t v)
{
	value x = value_int(v);
	object_put(o, n, &x);
}

static void put_str(object *o, const char *n, const char *s)
{
	value x = value_str(s);
	object_put(o, n, &x);
}

static int gen(const char *dir, const char *content, long size)
{
	/* The proportions of the 109,000-object default: packages 1/21.8,
	 * collections 1/54.5 (each with its settings), programs and ads the rest. */
	long npkg = 5000, ncoll = 2000, nprog = 50000;
	if (size > 0) {
		npkg = size * 5000 / 109000 > 0 ? size * 5000 / 109000 : 1;
		ncoll = size * 2000 / 109000;
		nprog = (size - npkg - 2 * ncoll) / 2 > 0 ? (size - npkg - 2 * ncoll) / 2 : 0;
	}
	char *src = xasprintf("%s/labs/default.yaml", content), *err = NULL;
	diags d;
	diags_init(&d);
	scenario s;
	if (scenario_load(&s, src, &d) < 0) {
		diags_print(&d, stderr);
		return 1;
	}
	free(s.name);
	s.name = xstrdup("large");
	char *yaml = xasprintf("%s/large.yaml", dir);
	FILE *f = fopen(yaml, "w");
	if (!f) {
		perror(yaml);
		return 1;
	}
	fprintf(f, "scenario: {name: large, title: Generated large site}\n"
		   "site: {code: %s, name: Large, server: %s, version: %s, mode: %s}\nobjects: []\n",
		s.site.code, s.site.server, s.site.version, s.site.mode);
	fclose(f);
	char buf[64];
	for (long i = 0; i < npkg; i++) {
		snprintf(buf, sizeof buf, "LRG%05ld", i);
		object *o = objset_add(&s.objects, "SMS_Package", buf);
		put_str(o, "PackageID", buf);
		put_str(o, "Name", "Generated package");
		put_int(o, "PackageType", i % 50 == 0 ? 4 : 0);
		put_str(o, "PkgSourcePath", "\\\\FS01\\Source\\Generated");
		put_int(o, "SourceVersion", 1);
	}
	for (long i = 0; i < nprog; i++) {
		char key[96];
		snprintf(buf, sizeof buf, "LRG%05ld", i % npkg);
		snprintf(key, sizeof key, "%s/Install %ld", buf, i);
		object *o = objset_add(&s.objects, "SMS_Program", key);
		put_str(o, "PackageID", buf);
		put_str(o, "ProgramName", key + 9);
		put_str(o, "CommandLine", "setup.exe /q");
		put_int(o, "ProgramFlags", 0x0000E000 | (i % 7 == 0 ? 0x400 : 0));
		snprintf(key, sizeof key, "LRGA%06ld", i);
		o = objset_add(&s.objects, "SMS_Advertisement", key);
		put_str(o, "AdvertisementID", key);
		put_str(o, "AdvertisementName", "Generated advertisement");
		put_str(o, "PackageID", buf);
		put_str(o, "ProgramName", "Install");
		put_str(o, "CollectionID", "SMS00001");
		put_int(o, "RemoteClientFlags", i % 10 == 0 ? 0x88 : 0x30);
		put_int(o, "AdvertFlags", 0);
		value b = value_bool(true);
		object_put(o, "IncludeSubCollection", &b);
		put_str(o, "SourceSite", s.site.code);
	}
	for (long i = 0; i < ncoll; i++) {
		snprintf(buf, sizeof buf, "LRGC%04ld", i);
		object *o = objset_add(&s.objects, "SMS_Collection", buf);
		put_str(o, "CollectionID", buf);
		put_str(o, "Name", "Generated collection");
		put_str(o, "Comment", "");
		o = objset_add(&s.objects, "SMS_CollectionSettings", buf);
		put_str(o, "CollectionID", buf);
		value b = value_bool(false);
		object_put(o, "AMTAutoProvisionEnabled", &b);
	}
	char *ddir = data_dir(&err);
	if (!ddir) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	char *labdir = xasprintf("%s/labs", ddir);
	mkdir(labdir, 0700);
	char *state = lab_state_path(ddir, yaml, &s);
	free(s.file);
	s.file = xstrdup(yaml);
	if (lab_state_create(state, &s, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	printf("generated %zu objects into %s\n", s.objects.n, state);
	scenario_release(&s);
	diags_release(&d);
	free(src);
	free(yaml);
	free(ddir);
	free(labdir);
	free(state);
	return 0;
}

static int eval(const char *spec, int runs, const char *content)
{
	diags d;
	diags_init(&d);
	catalog cat;
	double t0 = now_ms();
	if (catalog_load(&cat, content, &d) < 0) {
		diags_print(&d, stderr);
		return 1;
	}
	double t1 = now_ms();
	target *t;
	char *err = NULL;
	double o0 = now_ms();
	if (target_open(spec, content, &t, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	double open_ms = now_ms() - o0;
	double *times = xcalloc((size_t)runs, sizeof *times);
	unsigned long trips = 0;
	size_t counts[ST_COUNT] = {0};
	for (int r = 0; r < runs; r++) {
		unsigned long before = t->round_trips;
		double s = now_ms();
		engine e;
		if (engine_init(&e, t, &cat, &err) < 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		if (engine_prefetch(&e, &err) < 0) { /* as `cmharden check` does for a full run */
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		for (size_t sec = 0; sec < cat.nsections; sec++)
			for (size_t i = 0; i < cat.sections[sec].n; i++) {
				result res;
				engine_run(&e, &cat.sections[sec].checks[i], &res);
				if (r == 0)
					counts[res.status]++;
				result_release(&res);
			}
		engine_release(&e);
		times[r] = now_ms() - s;
		trips = t->round_trips - before;
	}
	qsort(times, (size_t)runs, sizeof *times, cmp_d);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%-28s runs=%d  median=%.2f ms  min=%.2f ms  max=%.2f ms  round_trips/run=%lu  "
	       "peak_rss=%.1f MiB  content_load=%.2f ms  target_open=%.2f ms\n",
	       spec, runs, times[runs / 2], times[0], times[runs - 1], trips, ru.ru_maxrss / 1024.0, t1 - t0,
	       open_ms);
	printf("%-28s results: %zu pass, %zu fail, %zu error, %zu n/a, %zu attest\n", "", counts[ST_PASS],
	       counts[ST_FAIL], counts[ST_ERROR], counts[ST_NOT_APPLICABLE], counts[ST_NEEDS_ATTESTATION]);
	free(times);
	target_close(t);
	catalog_release(&cat);
	diags_release(&d);
	return 0;
}

int main(int argc, char **argv)
{
	char *content = content_dir();
	int rc = 64;
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "gen"))
		rc = gen(argv[2], content, argc == 4 ? atol(argv[3]) : 0);
	else if (argc == 4 && !strcmp(argv[1], "eval"))
		rc = eval(argv[2], atoi(argv[3]) > 0 ? atoi(argv[3]) : 1, content);
	else
		fprintf(stderr, "usage: bench_engine gen DIR [OBJECTS] | eval SPEC RUNS\n");
	free(content);
	return rc;
}
