/* util.h — allocation that cannot return NULL, growable strings, small helpers. */
#ifndef CMH_UTIL_H
#define CMH_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow an array of `elem` bytes so that it holds at least `need` elements. */
#define GROW(ptr, cap, need)                                                   \
	do {                                                                   \
		if ((need) > (cap)) {                                          \
			size_t grow_nc = (cap) ? (cap) * 2 : 8;                \
			while (grow_nc < (need))                               \
				grow_nc *= 2;                                  \
			(ptr) = xrealloc((ptr), grow_nc * sizeof(*(ptr)));     \
			(cap) = grow_nc;                                       \
		}                                                              \
	} while (0)

/* strbuf: a NUL-terminated growable string (after git's strbuf). */
typedef struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
} strbuf;

#define STRBUF_INIT {NULL, 0, 0}
void sb_init(strbuf *sb);
void sb_release(strbuf *sb);
void sb_reset(strbuf *sb);
void sb_add(strbuf *sb, const char *s, size_t n);
void sb_adds(strbuf *sb, const char *s);
void sb_addc(strbuf *sb, char c);
void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
char *sb_detach(strbuf *sb);
static inline const char *sb_str(const strbuf *sb) { return sb->buf ? sb->buf : ""; }

/* Read a whole file, refusing files larger than `limit` bytes. Returns 0 or -1 with errno-like text in *err. */
int read_file_limited(const char *path, size_t limit, char **out, size_t *len, char **err);

/* Today's date in UTC as YYYY-MM-DD, for waiver expiry. CMHARDEN_TODAY (same
 * format) replaces it: a test hook, so expiry can be tested without waiting. */
void today_utc(char out[11]);

bool str_ieq(const char *a, const char *b);
bool str_istarts(const char *s, const char *prefix);
bool str_iends(const char *s, const char *suffix);
bool str_icontains(const char *hay, const char *needle);

#endif
