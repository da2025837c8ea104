/* script.c — the key-script parser and screen dumps (see script.h). */
#include "config.h"
#include "base/i18n.h"
#include "script.h"
#include "ui.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c) ((c) & 0x1f)

static const struct {
	const char *name;
	wint_t ch;
	bool fkey;
} keynames[] = {
	{"Enter", '\n', false}, {"Esc", 27, false},	    {"Tab", '\t', false},
	{"BTab", KEY_BTAB, true}, {"Space", ' ', false},    {"Backspace", KEY_BACKSPACE, true},
	{"Del", KEY_DC, true},	  {"lt", '<', false},	    {"Up", KEY_UP, true},
	{"Down", KEY_DOWN, true}, {"Left", KEY_LEFT, true}, {"Right", KEY_RIGHT, true},
	{"PgUp", KEY_PPAGE, true}, {"PgDn", KEY_NPAGE, true}, {"Home", KEY_HOME, true},
	{"End", KEY_END, true},
};

static token *add(script *s, token_kind k, int line)
{
	GROW(s->t, s->cap, s->n + 1);
	token *t = &s->t[s->n++];
	memset(t, 0, sizeof *t);
	t->kind = k;
	t->line = line;
	return t;
}

static bool name_ok(const char *n)
{
	if (!*n)
		return false;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') ||
		      *n == '-' || *n == '_' || *n == '.'))
			return false;
	return true;
}

static int parse_tag(script *s, const char *tag, int line)
{
	char word[32], arg[128];
	int rows, cols;
	unsigned long n;
	arg[0] = '\0';
	if (sscanf(tag, "%31s %127s", word, arg) < 1)
		return -1;
	if (!strcmp(word, "Resize")) {
		if (sscanf(arg, "%dx%d", &cols, &rows) != 2 || cols < 1 || rows < 1 || cols > 1000 || rows > 1000)
			return -1;
		token *t = add(s, TK_RESIZE, line);
		t->rows = rows;
		t->cols = cols;
		return 0;
	}
	if (!strcmp(word, "Dump") || !strcmp(word, "DumpAttr")) {
		if (!name_ok(arg))
			return -1;
		token *t = add(s, word[4] ? TK_DUMPATTR : TK_DUMP, line);
		t->name = xstrdup(arg);
		return 0;
	}
	if (!strcmp(word, "Work")) {
		char *end;
		errno = 0;
		n = strtoul(arg, &end, 10);
		if (!*arg || *end || errno)
			return -1;
		add(s, TK_WORK, line)->n = n;
		return 0;
	}
	if (arg[0])
		return -1;
	if (!strcmp(word, "Wait")) {
		add(s, TK_WORK, line)->n = ULONG_MAX;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(keynames); i++)
		if (!strcmp(word, keynames[i].name)) {
			token *t = add(s, TK_KEY, line);
			t->ch = keynames[i].ch;
			t->fkey = keynames[i].fkey;
			return 0;
		}
	int f;
	char extra;
	if (sscanf(word, "F%d%c", &f, &extra) == 1 && f >= 1 && f <= 12) {
		token *t = add(s, TK_KEY, line);
		t->ch = (wint_t)KEY_F(f);
		t->fkey = true;
		return 0;
	}
	if (word[0] == 'C' && word[1] == '-' && word[2] >= 'a' && word[2] <= 'z' && !word[3]) {
		add(s, TK_KEY, line)->ch = (wint_t)CTRL(word[2]);
		return 0;
	}
	return -1;
}

int script_load(script *s, const char *file, const char *dump_dir)
{
	memset(s, 0, sizeof *s);
	s->file = xstrdup(file);
	s->dump_dir = xstrdup(dump_dir ? dump_dir : ".");
	char *buf = NULL, *err = NULL;
	size_t len;
	if (read_file_limited(file, 1u << 20, &buf, &len, &err) < 0) {
		fprintf(stderr, "cmharden: %s: %s\n", file, err);
		free(err);
		return -1;
	}
	int line = 1;
	const unsigned char *p = (const unsigned char *)buf, *end = p + len;
	bool bol = true;
	while (p < end) {
		if (bol && *p == '#') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		bol = false;
		if (*p == '\n') {
			line++;
			bol = true;
			p++;
			continue;
		}
		if (*p == '\r') {
			p++;
			continue;
		}
		if (*p == '<') {
			const unsigned char *q = memchr(p, '>', (size_t)(end - p));
			char *tag = q ? xstrndup((const char *)p + 1, (size_t)(q - p - 1)) : NULL;
			if (!tag || parse_tag(s, tag, line) < 0) {
				fprintf(stderr, _("cmharden: %s:%d: unknown or malformed tag <%s>\n"), file, line,
					tag ? tag : "...");
				free(tag);
				free(buf);
				return -1;
			}
			free(tag);
			p = q + 1;
			continue;
		}
		/* A UTF-8 character typed as one key. */
		uint32_t c = *p;
		size_t n = 1;
		if (c >= 0xF0 && end - p >= 4) {
			c = ((c & 7u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
			n = 4;
		} else if (c >= 0xE0 && end - p >= 3) {
			c = ((c & 0xFu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
			n = 3;
		} else if (c >= 0xC0 && end - p >= 2) {
			c = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
			n = 2;
		}
		add(s, TK_KEY, line)->ch = (wint_t)c;
		p += n;
	}
	free(buf);
	return 0;
}

void script_release(script *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->t[i].name);
	free(s->t);
	free(s->dump_dir);
	free(s->file);
	memset(s, 0, sizeof *s);
}

const token *script_peek(const script *s)
{
	return s->pos < s->n ? &s->t[s->pos] : NULL;
}

void script_advance(script *s)
{
	if (s->pos < s->n)
		s->pos++;
}

static void put_utf8(strbuf *sb, wchar_t c)
{
	uint32_t u = (uint32_t)c;
	char b[4];
	if (u < 0x80) {
		sb_addc(sb, (char)u);
	} else if (u < 0x800) {
		b[0] = (char)(0xC0 | (u >> 6));
		b[1] = (char)(0x80 | (u & 0x3F));
		sb_add(sb, b, 2);
	} else if (u < 0x10000) {
		b[0] = (char)(0xE0 | (u >> 12));
		b[1] = (char)(0x80 | ((u >> 6) & 0x3F));
		b[2] = (char)(0x80 | (u & 0x3F));
		sb_add(sb, b, 3);
	} else {
		b[0] = (char)(0xF0 | (u >> 18));
		b[1] = (char)(0x80 | ((u >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((u >> 6) & 0x3F));
		b[3] = (char)(0x80 | (u & 0x3F));
		sb_add(sb, b, 4);
	}
}

static void trim(strbuf *sb, size_t from)
{
	while (sb->len > from && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
}

int script_dump(const script *s, const char *name, bool attrs)
{
	char *path = xasprintf("%s/%s.txt", s->dump_dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cmharden: %s: %s\n", path, strerror(errno));
		free(path);
		return -1;
	}
	strbuf text = STRBUF_INIT, amap = STRBUF_INIT;
	for (int y = 0; y < LINES; y++) {
		size_t ts = text.len, as = amap.len;
		for (int x = 0; x < COLS; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t at;
			short pair;
			if (mvin_wch(y, x, &cc) == ERR)
				break;
			getcchar(&cc, wch, &at, &pair, NULL);
			int w = ui_utf8 ? wcwidth(wch[0]) : 1;
			for (int i = 0; wch[i]; i++)
				put_utf8(&text, wch[i]);
			if (!wch[0])
				sb_addc(&text, ' ');
			if (theme_has_colour()) {
				sb_addc(&amap, theme_role_char(theme_role_of(pair)));
			} else {
				int v = ((at & A_REVERSE) ? 1 : 0) | ((at & A_BOLD) ? 2 : 0) | ((at & A_UNDERLINE) ? 4 : 0) |
					((at & A_DIM) ? 8 : 0);
				sb_addc(&amap, v ? "0123456789abcdef"[v] : ' ');
			}
			if (w == 2) {
				x++;
				sb_addc(&amap, amap.buf[amap.len - 1]);
			}
		}
		trim(&text, ts);
		sb_addc(&text, '\n');
		trim(&amap, as);
		sb_addc(&amap, '\n');
	}
	fputs(sb_str(&text), f);
	if (attrs) {
		fputs("-- attributes --\n", f);
		fputs(sb_str(&amap), f);
	}
	int rc = 0;
	if (fclose(f) != 0) {
		fprintf(stderr, "cmharden: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	sb_release(&text);
	sb_release(&amap);
	free(path);
	return rc;
}
