/* script.h — scripted mode: keys from a file, screen dumps to files.
 *
 * The key language (one file, read whole; lines starting with # are comments,
 * line ends are ignored):
 *   text            each character is a key press ("q", "/", "abc")
 *   <Enter> <Esc> <Tab> <BTab> <Space> <Backspace> <Del> <lt> (a literal '<')
 *   <Up> <Down> <Left> <Right> <PgUp> <PgDn> <Home> <End> <F1>..<F12> <C-x>
 *   <Resize 100x30> the terminal is resized (the UI sees KEY_RESIZE)
 *   <Dump NAME>     the screen's text is written to DIR/NAME.txt
 *   <DumpAttr NAME> the same, followed by a map of colour roles per cell
 *   <Work N>        while checks run, let N units of work happen before the
 *                   next key is pressed (default: all of them), so a test can
 *                   catch a run in flight and cancel it
 *   <Wait>          let the work in flight finish before what follows
 * When the script ends, the wizard ends as if the user had quit. */
#ifndef CMH_SCRIPT_H
#define CMH_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

typedef enum { TK_KEY, TK_RESIZE, TK_DUMP, TK_DUMPATTR, TK_WORK } token_kind;

typedef struct token {
	token_kind kind;
	wint_t ch;
	bool fkey;
	int rows, cols;
	unsigned long n;
	char *name;
	int line;
} token;

struct script {
	token *t;
	size_t n, cap, pos;
	char *dump_dir;
	char *file;
};

typedef struct script script;

/* Parses FILE; -1 with a message on stderr (FILE:LINE: ...) on any error. */
int script_load(script *s, const char *file, const char *dump_dir);
void script_release(script *s);
const token *script_peek(const script *s);
void script_advance(script *s);
/* Writes the current screen (curscr contents of stdscr) to DIR/NAME.txt. */
int script_dump(const script *s, const char *name, bool attrs);

#endif
