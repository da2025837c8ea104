/* content_i18n.h — where translations are found, and the checklist's own text.
 *
 * Two gettext domains (doc/translating.md):
 *   cmharden          the program's messages: po/, extracted from src/ by xgettext;
 *   cmharden-content  the text of the content (section and check titles,
 *                     guidance, attestation questions, lab briefings and goal
 *                     notes, fix instructions): po-content/, extracted by
 *                     `cmharden content pot` from the loaded content itself.
 * Content stays English in the YAML; content_text() looks its translation up at
 * display time, so a check's id and its English text remain the stable keys.
 *
 * Catalogs are looked for in, first match wins: $CMHARDEN_LOCALEDIR; the build
 * tree's locale/ directory when the binary runs from its build tree (`make`
 * fills it from the .gmo files of po/ and po-content/); the installed
 * $(localedir). */
#ifndef CMH_CONTENT_I18N_H
#define CMH_CONTENT_I18N_H

#include <stdio.h>

#include "content/catalog.h"

#define CONTENT_DOMAIN PACKAGE "-content"

/* Binds both domains to i18n_locale_dir(), with UTF-8 output. */
void i18n_bind(void);

/* The translation of a piece of content text, or the text itself. NULL and ""
 * are returned as they are (gettext would return the catalog header for ""). */
const char *content_text(const char *msgid);

/* The site's mode as the reader's language names it ("mixed mode", "gemischter
 * Modus"); another value as it is. Not sanitised: the caller sanitises. */
const char *site_mode_text(const char *mode);

/* Writes a PO template of every translatable string of the content under
 * `dir` (checks, fixes, labs) to `out`, each with the file it came from. Content
 * that does not load is reported in `d` and skipped. Returns the number of
 * distinct strings. */
size_t content_pot_write(const char *dir, FILE *out, diags *d);

#endif
