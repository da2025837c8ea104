/* replay.c — runs a fuzz harness once on each file of its corpus, without
 * libFuzzer: `make check` replays the seeds and every past crash with the
 * project's compiler (and under valgrind and ASan+UBSan in CI).
 *
 * Usage: fuzz_NAME_replay [FILE|DIR]...   (default: the corpus and regress
 * directories of NAME under $top_srcdir/tests/fuzz). Options such as
 * Criterion's "--jobs 1", passed by check-valgrind, are ignored. */
#include "config.h"
#include "fuzz_common.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_NAME
#error "FUZZ_NAME names the harness"
#endif

static size_t nrun;

static int run_file(const char *path)
{
	char *buf = NULL, *err = NULL;
	size_t len = 0;
	if (read_file_limited(path, 64u << 20, &buf, &len, &err) < 0) {
		fprintf(stderr, "%s: %s\n", path, err);
		free(err);
		return -1;
	}
	/* A private copy of exactly `len` bytes, so ASan sees overreads. */
	uint8_t *data = xmalloc(len ? len : 1);
	memcpy(data, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	nrun++;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, int must_exist)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (!must_exist)
			return 0;
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	DIR *dh = opendir(path);
	if (!dh) {
		perror(path);
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xasprintf("%s/%s", path, e->d_name);
	}
	closedir(dh);
	qsort(names, n, sizeof *names, cmp);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (run_path(names[i], 1) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0, paths = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--jobs") || !strcmp(argv[i], "-j")) {
			i++;
			continue;
		}
		if (argv[i][0] == '-')
			continue;
		paths++;
		if (run_path(argv[i], 1) < 0)
			rc = 1;
	}
	if (!paths) {
		const char *top = getenv("top_srcdir");
		if (!top || !*top)
			top = ABS_TOP_SRCDIR;
		char *corpus = xasprintf("%s/tests/fuzz/corpus/%s", top, FUZZ_NAME);
		char *regress = xasprintf("%s/tests/fuzz/regress/%s", top, FUZZ_NAME);
		if (run_path(corpus, 1) < 0 || run_path(regress, 0) < 0)
			rc = 1;
		/* The shipped content and labs are seeds too, read where they live. */
		const char *shipped = !strcmp(FUZZ_NAME, "content") ? "checks"
				      : !strcmp(FUZZ_NAME, "lab")   ? "labs"
								    : NULL;
		if (shipped) {
			char *dir = xasprintf("%s/%s", top, shipped);
			if (run_path(dir, 1) < 0)
				rc = 1;
			free(dir);
		}
		free(corpus);
		free(regress);
	}
	printf("fuzz_%s: %zu input(s) replayed\n", FUZZ_NAME, nrun);
	if (!rc && !nrun) {
		fprintf(stderr, "fuzz_%s: no input found\n", FUZZ_NAME);
		rc = 1;
	}
	return rc;
}
