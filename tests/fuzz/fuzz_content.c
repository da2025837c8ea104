/* fuzz_content.c — one content file (checklist or section) through the strict
 * YAML reader and the content loader; a file that loads is run through the
 * engine on a small fixed site and every report writer. */
#include "config.h"
#include "fuzz_common.h"
#include "fuzz_report.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	catalog cat;
	memset(&cat, 0, sizeof cat);
	diags d;
	diags_init(&d);
	int rc = catalog_load_buffer(&cat, "fuzz.yaml", (const char *)data, size, &d);
	/* Every diagnostic is positioned inside the file or at 0:0. */
	for (size_t i = 0; i < d.n; i++)
		if (d.items[i].line < 0 || d.items[i].col < 0 || !d.items[i].msg)
			abort();
	if (rc == 0 && cat.nsections) {
		target *t = fuzz_target_open(NULL);
		fuzz_run_report(&cat, t, false);
		target_close(t);
	}
	catalog_release(&cat);
	diags_release(&d);
	return 0;
}
