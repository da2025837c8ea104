/* hostile_tool.c — the checks of tests/hostile/hostile_cli.sh that a shell cannot make
 * portably:
 *   hostile_tool inject DB text|nul-value|nul-key...   add hostile rows to a lab state file
 *   hostile_tool sql DB STATEMENT   run one SQL statement on a state file or journal
 *   hostile_tool json FILE      FILE is one valid JSON text in valid UTF-8
 *   hostile_tool inert FILE     no control character but newlines, no bidi
 *                               control, only valid UTF-8
 *   hostile_tool csv FILE       inert (CRLF allowed) and no field that a
 *                               spreadsheet would run as a formula
 * Exit status 0 when the check holds, 1 when not (saying where), 2 on errors. */
#include "config.h"
#include "fuzz/jsonv.h"
#include "hostile_util.h"
#include "base/util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load(const char *path, char **buf, size_t *len)
{
	char *err = NULL;
	if (read_file_limited(path, 256u << 20, buf, len, &err) < 0) {
		fprintf(stderr, "hostile_tool: %s: %s\n", path, err);
		free(err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--jobs"))
		return 0; /* run by check-valgrind with Criterion's options: no check was asked for */
	if (argc < 3) {
		fputs("usage: hostile_tool inject DB KIND... | sql DB STATEMENT | json FILE | inert FILE | csv FILE\n", stderr);
		return 2;
	}
	const char *mode = argv[1], *path = argv[2];
	if (!strcmp(mode, "sql") && argc == 4) {
		/* Tampering the way another program would: one statement on the file. */
		sqlite3 *db = NULL;
		char *msg = NULL;
		int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
				 sqlite3_exec(db, argv[3], NULL, NULL, &msg) == SQLITE_OK
			 ? 0
			 : 2;
		if (rc)
			fprintf(stderr, "hostile_tool: %s: %s\n", path, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		sqlite3_close(db);
		return rc;
	}
	if (!strcmp(mode, "inject")) {
		unsigned what = 0;
		for (int i = 3; i < argc; i++)
			what |= !strcmp(argv[i], "text")	? HOSTILE_TEXT
				: !strcmp(argv[i], "nul-value") ? HOSTILE_NUL_VALUE
				: !strcmp(argv[i], "nul-key")	? HOSTILE_NUL_KEY
								: 0;
		char *err = NULL;
		if (!what || hostile_inject(path, what, &err) < 0) {
			fprintf(stderr, "hostile_tool: %s\n", err ? err : "nothing to inject");
			free(err);
			return 2;
		}
		return 0;
	}
	char *buf;
	size_t len, at, line;
	if (load(path, &buf, &len) < 0)
		return 2;
	int rc = 0;
	if (!strcmp(mode, "json")) {
		const char *why;
		if (!jsonv_valid(buf, len, &at, &why)) {
			fprintf(stderr, "%s: invalid JSON at byte %zu: %s\n", path, at, why);
			rc = 1;
		}
	} else if (!strcmp(mode, "inert") || !strcmp(mode, "csv")) {
		bool csv = !strcmp(mode, "csv");
		if (!hostile_inert(buf, len, csv, &at)) {
			fprintf(stderr, "%s: byte 0x%02x at offset %zu is not inert\n", path, (unsigned char)buf[at], at);
			rc = 1;
		} else if (csv && !hostile_csv_safe(buf, len, &line)) {
			fprintf(stderr, "%s:%zu: a field starts like a spreadsheet formula\n", path, line);
			rc = 1;
		}
	} else {
		fprintf(stderr, "hostile_tool: unknown mode %s\n", mode);
		rc = 2;
	}
	free(buf);
	return rc;
}
