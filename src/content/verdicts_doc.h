/* verdicts_doc.h — doc/verdicts.md, made from the content: per check, what
 * decides its verdict (the expression and the pages it rests on for automated
 * parts; for attestations, why the site cannot decide and what the operator is
 * shown), with the counts per kind. `cmharden content verdicts` writes it, so
 * the listing is the content itself and cannot drift from it. */
#ifndef CMH_VERDICTS_DOC_H
#define CMH_VERDICTS_DOC_H

#include <stdio.h>

#include "content/catalog.h"

/* Writes the listing of every check of `cat` (checklist sections, then the
 * sections beyond it) as Markdown. English: it is developer documentation. */
void verdicts_doc_write(const catalog *cat, FILE *out);

#endif
