/* fuzz_value.c — value_decode, which reads stored data (lab state, journal).
 *
 * Oracles: a text that decodes is canonical, so encoding the value gives the
 * same bytes back (and so decode -> encode -> decode gives an equal value);
 * the value's display form, sanitised, is inert; its JSON form is valid. */
#include "config.h"
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	value v;
	if (value_decode((const char *)data, size, &v) < 0)
		return 0;
	strbuf enc = STRBUF_INIT;
	value_encode(&v, &enc);
	if (enc.len != size || memcmp(enc.buf, data, size) != 0) {
		fprintf(stderr, "decoded %zu bytes but encode gives %zu different ones\n", size, enc.len);
		abort();
	}
	value again;
	if (value_decode(sb_str(&enc), enc.len, &again) < 0 || !value_equal(&v, &again)) {
		fprintf(stderr, "decode -> encode -> decode changed the value\n");
		abort();
	}
	value c = value_copy(&v);
	if (!value_equal(&v, &c))
		abort();
	strbuf raw = STRBUF_INIT, shown = STRBUF_INIT, js = STRBUF_INIT;
	value_format(&v, &raw);
	sanitize_append(&shown, sb_str(&raw), raw.len, 0);
	fuzz_assert_inert(sb_str(&shown), shown.len, "sanitised value");
	sb_reset(&shown);
	sanitize_append(&shown, sb_str(&raw), raw.len, 7);
	fuzz_assert_inert(sb_str(&shown), shown.len, "sanitised value, cut");
	json_value(&js, &v);
	fuzz_assert_json(sb_str(&js), js.len, "json_value");
	sb_release(&raw);
	sb_release(&shown);
	sb_release(&js);
	sb_release(&enc);
	value_clear(&c);
	value_clear(&again);
	value_clear(&v);
	return 0;
}
