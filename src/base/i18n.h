/* i18n.h — gettext wiring; every user-facing string goes through _(). */
#ifndef CMH_I18N_H
#define CMH_I18N_H

#include <libintl.h>
#include <locale.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
