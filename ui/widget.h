/* widget.h — the building blocks screens are made of: a scrolling list cursor,
 * an evidence table, a progress bar, dialogs (message, confirm), a line editor
 * and forms built from it, and the bottom-line prompt used by / filters. */
#ifndef CMH_WIDGET_H
#define CMH_WIDGET_H

#include "ui.h"

/* ---- list cursor (widget_list.c) ---- */
typedef struct ui_list {
	size_t cur, top;
} ui_list;

/* Moves the cursor for a navigation action; false if the action is not one. */
bool list_nav(ui_list *l, ui_action act, size_t n, int page);
/* Keeps the cursor inside [0, n) and visible in `rows` lines. */
void list_clamp(ui_list *l, size_t n, int rows);
/* A scroll position like "12/40" drawn right-aligned at (y, x+w). */
void draw_position(int y, int x, int w, size_t cur, size_t n, role r);

/* ---- a document of lines (widget_doc.c) ----
 * Text laid out for one width: wrapped paragraphs, labelled values with a
 * hanging indent, and lines that screens draw themselves (evidence table rows).
 * Screens rebuild it when the width or the content changes. */
typedef struct doc_line {
	int kind;      /* 0: text; screens use their own kinds above 0 */
	role r;
	int indent;
	char *label;   /* drawn at column 1 in the heading role, or NULL */
	char *text;
	size_t a, b;   /* for the screen's own kinds (table index, row) */
} doc_line;

typedef struct ui_doc {
	doc_line *l;
	size_t n, cap;
	int width;     /* the width it was laid out for */
} ui_doc;

void doc_clear(ui_doc *d);
doc_line *doc_add(ui_doc *d, int kind, role r, int indent, const char *text);
void doc_blank(ui_doc *d);
/* Wrapped text from column indent to the doc's width. */
void doc_wrap(ui_doc *d, role r, int indent, const char *text);
/* "Label    text that wraps with a hanging indent" */
void doc_labeled(ui_doc *d, const char *label, int labelw, role r, const char *text);
/* Draws text line i at row y (kind 0 only). */
void doc_draw_text(const ui_doc *d, size_t i, int y, int cols, bool selected);

/* ---- evidence table (widget_table.c) ---- */
typedef struct ui_table {
	const ev_table *src; /* owned by a result: re-prepare when the result changes */
	size_t nsrc;         /* columns of src (kept: src may be gone at release) */
	size_t ncols;        /* data columns shown (the object key is apart) */
	size_t *col;         /* shown column -> column of src */
	char **head;         /* sanitised column names, by src column */
	char ***cells;       /* [row][src column] sanitised, formatted values (rows formatted when first needed) */
	int *colw;           /* display width, by src column */
	int keyw;
	size_t nrows;
	size_t *order;       /* rows shown, after filtering */
	size_t nshown;
} ui_table;

/* Columns named in `first` (the properties the expectation reads) come first;
 * columns that only repeat the object key are left out. */
void table_prepare(ui_table *t, const ev_table *src, char *const *first, size_t nfirst);
void table_release(ui_table *t);
/* Keeps only the rows whose key or a value contains `filter` (NULL: all). */
void table_filter(ui_table *t, const char *filter);
/* Draws the header, or shown row i, from data column `hoff` on; returns how
 * many data columns fit (for the "more columns" indicator). */
size_t table_draw_head(const ui_table *t, int y, int x, int w, size_t hoff);
size_t table_draw_row(ui_table *t, size_t i, int y, int x, int w, size_t hoff, bool selected);
/* The formatted, sanitised text of row r (an index of src), column c of src. */
const char *table_cell(ui_table *t, size_t r, size_t c);

/* ---- progress (widget_progress.c) ---- */
void draw_progress(int y, int x, int w, size_t done, size_t total, const char *label);
/* A small bar of `w` cells (no text), e.g. for a section's progress. */
void draw_minibar(int y, int x, int w, size_t done, size_t total);

/* ---- dialogs (widget_dialog.c) ---- */
/* button: index of the chosen button, or -1 when the dialog was cancelled. */
typedef void (*dialog_fn)(ui_app *a, void *ud, int button);
/* A modal box with a title, wrapped body text (paragraphs split by '\n'),
 * and buttons. `focus` is the button that has focus at first; y/n choose
 * button 0 / cancel. Strings are copied; site data must be sanitised first. */
ui_screen *dialog_new(const char *title, const char *body, const char *const *buttons, int nbuttons,
		      int focus, dialog_fn fn, void *ud);
/* A message with one OK button. */
void ui_alert(ui_app *a, const char *title, const char *body);
/* Draws a row of buttons in w columns at y/x, the focused one highlighted (forms use it too). */
void dialog_draw_buttons(char *const *buttons, int n, int focus, int y, int x, int w);

/* ---- line editor and forms (widget_input.c) ---- */
typedef struct ui_input {
	wchar_t *buf;
	size_t len, cap, cur, off;
	size_t max;
} ui_input;

void input_init(ui_input *in, const char *initial, size_t max);
void input_release(ui_input *in);
/* Edits for a key (printable text, Backspace, Delete, arrows, ^U, ^W); true if used. */
bool input_key(ui_input *in, const ui_key *k);
void input_draw(ui_input *in, int y, int x, int w, role r, bool focused);
/* The text as UTF-8 (caller frees). */
char *input_text(const ui_input *in);
/* Characters [from, to) as UTF-8 (caller frees). */
char *input_slice(const ui_input *in, size_t from, size_t to);

/* ---- multi-line editor (widget_textarea.c), over a ui_input ---- */
/* Enter inserts a new line, Up/Down move between shown lines (false at the
 * first/last), the rest as input_key; `w` is the width it is drawn at. */
bool textarea_key(ui_input *in, const ui_key *k, int w);
void textarea_draw(ui_input *in, int y, int x, int w, int h, role r, bool focused);

/* values: the texts of the fields, and the button chosen (NULL and -1 when
 * cancelled). Return false to keep the form open (after putting a message on
 * the status bar). `ud` belongs to the form from form_new() on and is freed
 * with it (plain free()), however the form ends, even when the program quits
 * with it open. Esc on a form holding typed text asks before discarding it. */
typedef bool (*form_fn)(ui_app *a, void *ud, char **values, int button);
typedef struct form_field {
	const char *label;
	const char *initial;
	size_t max;
	int lines; /* more than 1: a multi-line editor of that many rows (Enter: new line) */
} form_field;
/* buttons: the ways to record (Cancel is added after them). With several, Enter
 * in the last field moves to them; with one, Enter there records. */
ui_screen *form_new(const char *title, const char *body, const form_field *fields, int nfields,
		    const char *const *buttons, int nbuttons, form_fn fn, void *ud);

/* The bottom-line prompt: `changed` is called on every edit (live filtering),
 * `done` with the final text, or NULL when cancelled with Esc. */
typedef void (*prompt_fn)(ui_app *a, void *ud, const char *text);
ui_screen *prompt_new(const char *label, const char *initial, prompt_fn changed, prompt_fn done, void *ud);

#endif
