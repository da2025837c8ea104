/* fuzz_common.h — what the libFuzzer harnesses share: a small fixed site (a lab
 * scenario held in memory) served by an in-memory target, and checks that text
 * meant for a terminal is inert.
 *
 * Every harness is built twice: with clang -fsanitize=fuzzer,address,undefined
 * for `make fuzz`, and with the project's compiler against replay.c for
 * `make check`, which runs the seed corpus and every past crash once. */
#ifndef CMH_FUZZ_COMMON_H
#define CMH_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "content/lab.h"
#include "target/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fixed site: loaded once, never released (the process ends first). */
const scenario *fuzz_site(void);
/* A target answering queries from fuzz_site() (or from `s` when not NULL). */
target *fuzz_target_open(const scenario *s);
/* Aborts unless `s` holds no control character, no C1 or bidi control and only
 * valid UTF-8: what sanitize_* promises for text bound for a terminal. */
void fuzz_assert_inert(const char *s, size_t len, const char *what);
/* Aborts unless s[0..len) is one valid JSON text in valid UTF-8. */
void fuzz_assert_json(const char *s, size_t len, const char *what);

#endif
