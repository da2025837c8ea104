/* fuzz_lab.c — a lab scenario from memory through the scenario loader. A
 * scenario that loads must survive the state file's encoding (value_encode ->
 * value_decode gives the same value), be shown inert by `lab show`'s rendering,
 * and be checked by the shipped checklist with every report writer. */
#include "config.h"
#include "fuzz_common.h"
#include "fuzz_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sanitize.h"

static const catalog *shipped(void)
{
	static catalog cat;
	static int loaded;
	if (!loaded) {
		const char *dir = getenv("CMHARDEN_CONTENT");
		diags d;
		diags_init(&d);
		if (catalog_load(&cat, dir && *dir ? dir : ABS_TOP_SRCDIR, &d) < 0) {
			diags_print(&d, stderr);
			abort();
		}
		diags_release(&d);
		loaded = 1;
	}
	return &cat;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const catalog *cat = shipped();
	scenario s;
	diags d;
	diags_init(&d);
	if (scenario_load_buffer(&s, "fuzz.yaml", (const char *)data, size, &d) == 0) {
		strbuf enc = STRBUF_INIT, shown = STRBUF_INIT, raw = STRBUF_INIT;
		for (size_t i = 0; i < s.objects.n; i++) {
			const object *o = &s.objects.items[i];
			sb_reset(&shown);
			sanitize_append(&shown, o->key, strlen(o->key), 0);
			fuzz_assert_inert(shown.buf, shown.len, "lab show: object key");
			for (size_t p = 0; p < o->n; p++) {
				const value *v = &o->props[p].v;
				sb_reset(&enc);
				value_encode(v, &enc);
				value back;
				if (value_decode(sb_str(&enc), enc.len, &back) < 0 || !value_equal(v, &back)) {
					fprintf(stderr, "value of %s does not survive the state file\n",
						o->props[p].name);
					abort();
				}
				value_clear(&back);
				sb_reset(&raw);
				sb_reset(&shown);
				value_format(v, &raw);
				sanitize_append(&shown, sb_str(&raw), raw.len, 0);
				fuzz_assert_inert(sb_str(&shown), shown.len, "lab show: value");
			}
		}
		sb_release(&enc);
		sb_release(&shown);
		sb_release(&raw);
		target *t = fuzz_target_open(&s);
		fuzz_run_report(cat, t, true);
		target_close(t);
	}
	scenario_release(&s);
	diags_release(&d);
	return 0;
}
