/* screen_doctor.c — the connection doctor (src/check/doctor.c) in the wizard:
 * which data sources the target can read on which site system, which checks
 * cannot be judged without them, and whether changes are accepted. Reached
 * with d from the start screen; the text is the one `cmharden doctor` prints.
 *
 * The doctor asks the target several times (the probe, the batch read, one
 * class each), and a slow or hung agent must not freeze the wizard: the steps
 * run as the screen's work units (ui.h), the way "run all" runs the checks,
 * with the step and the time taken on screen; Esc or q cancels between steps,
 * and during a step the target's wait is cancelled as run-all's is
 * (wizard.c, wait_cancelled). */
#include "config.h"
#include "base/i18n.h"
#include "base/sanitize.h"
#include "check/doctor.h"
#include "screens.h"
#include "widget.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct doctor_screen {
	ui_screen base;
	ui_doc doc;
	doctor_job job;
	doctor_report report;
	bool running;  /* job holds a run not yet ended */
	double started; /* monotonic seconds */
	strbuf text; /* doctor_text() or the cancellation: already sanitised */
	bool ok;
	size_t top;
	int page;
} doctor_screen;

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void layout(doctor_screen *s, int cols)
{
	ui_doc *d = &s->doc;
	doc_clear(d);
	d->width = cols;
	doc_blank(d);
	const char *p = sb_str(&s->text);
	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		p += n + (p[n] == '\n');
		/* The verdict is the last line; the checks a failure costs are indented. */
		role r = !*p ? (s->ok ? R_HEADING : R_ERROR) : !strncmp(line, "      ", 6) ? R_WARNING : R_NORMAL;
		if (!strncmp(line, "  ", 2) && line[2] != ' ' && n > 37 && line[36] == ' ') {
			/* "  SOURCE (padded to 34) TEXT": the source as a label column. */
			char *label = xstrndup(line + 2, 34);
			for (size_t e = strlen(label); e && label[e - 1] == ' ';)
				label[--e] = '\0';
			doc_labeled(d, label, 34, r, line + 37);
			free(label);
		} else {
			doc_wrap(d, r, 1 + (int)strspn(line, " "), line);
		}
		free(line);
	}
	doc_blank(d);
	doc_wrap(d, R_DIM, 1, _("The same report: cmharden --target ... doctor. Press q or Esc to go back."));
}

/* While the steps run: what the doctor is doing, for how long, how far. */
static void draw_running(doctor_screen *s, int y0, int rows, int cols)
{
	char *step = doctor_step_text(&s->job);
	char *line = xasprintf(_("Asking %s:"), s->job.t->spec);
	char *spec = sanitize_dup(line, 400);
	draw_text(y0 + 1, 1, cols - 2, spec, R_HEADING, true);
	free(spec);
	free(line);
	draw_text(y0 + 3, 3, cols - 4, step, R_NORMAL, true);
	free(step);
	double el = mono_s() - s->started;
	line = xasprintf(_("%.0f s so far. Esc or q cancels."), el > 0 ? el : 0);
	draw_text(y0 + 4, 3, cols - 4, line, R_DIM, true);
	free(line);
	size_t done, total;
	doctor_progress(&s->job, &done, &total);
	if (rows > 6)
		draw_progress(y0 + 6, 1, cols - 2, done, total, "");
}

static void doctor_draw(ui_app *a, ui_screen *sc, int y0, int rows, int cols)
{
	doctor_screen *s = (doctor_screen *)sc;
	if (s->running) {
		draw_running(s, y0, rows, cols);
		return;
	}
	if (s->doc.width != cols || !s->doc.n)
		layout(s, cols);
	s->page = rows;
	if (s->top + (size_t)rows > s->doc.n)
		s->top = s->doc.n > (size_t)rows ? s->doc.n - (size_t)rows : 0;
	for (int y = 0; y < rows && s->top + (size_t)y < s->doc.n; y++)
		doc_draw_text(&s->doc, s->top + (size_t)y, y0 + y, cols, false);
	if (s->doc.n > (size_t)rows)
		ui_position(a, s->top + (size_t)rows - 1, s->doc.n);
}

/* The report once every step ran. */
static void finish(doctor_screen *s)
{
	s->ok = doctor_end(&s->job) == 0;
	s->running = false;
	s->base.busy = false;
	doctor_text(&s->report, &s->text);
	doctor_release(&s->report);
	doc_clear(&s->doc);
}

/* Stopped before the end: nothing is judged, and the screen says why. `why`
 * is the target's words when a wait for it was cancelled, else NULL. */
static void cancel(ui_app *a, doctor_screen *s, const char *step, const char *why)
{
	(void)doctor_end(&s->job);
	doctor_release(&s->report);
	s->running = false;
	s->base.busy = false;
	s->ok = false;
	sb_reset(&s->text);
	char *st = sanitize_dup(step, 300);
	sb_addf(&s->text, _("The doctor was cancelled while: %s.\n"), st);
	free(st);
	if (why) {
		char *w = sanitize_dup(why, 400);
		sb_addf(&s->text, _("The target says: %s.\n"), w);
		free(w);
		sb_adds(&s->text, _("The wait for the agent was given up and its session stopped: to ask again, go "
				    "back (q), press R to reconnect (the agent starts afresh) and d.\n"));
	}
	sb_adds(&s->text, _("Nothing is judged: the doctor did not finish.\n"));
	doc_clear(&s->doc);
	ui_message(a, R_WARNING, _("Doctor cancelled."));
}

/* One step; a target wait cancelled during it (Esc, q) ends the run. */
static bool doctor_work(ui_app *a, ui_screen *sc)
{
	doctor_screen *s = (doctor_screen *)sc;
	if (!s->running)
		return false;
	char *step = doctor_step_text(&s->job);
	size_t nerr = s->report.nclass_errors;
	a->wait_cancelled = false;
	bool more = doctor_step(&s->job);
	if (a->wait_cancelled) {
		const char *why = s->report.error		   ? s->report.error
				  : s->report.nclass_errors > nerr ? s->report.class_errors[s->report.nclass_errors - 1]
								   : NULL;
		char *w = xstrdup(why ? why : _("the wait for the target was cancelled"));
		cancel(a, s, step, w);
		free(w);
		/* The key has done its work: it must not also close the screen
		 * that explains the cancel. */
		ui_drop_cancel_key(a);
	} else if (!more) {
		finish(s);
	}
	free(step);
	return s->running;
}

static bool doctor_key(ui_app *a, ui_screen *sc, const ui_key *k)
{
	doctor_screen *s = (doctor_screen *)sc;
	if (s->running) {
		/* Between steps: Esc or q stops the run here, the screen stays. */
		if (k->act == ACT_BACK || k->act == ACT_CANCEL) {
			char *step = doctor_step_text(&s->job);
			cancel(a, s, step, NULL);
			free(step);
			return true;
		}
		return k->act != ACT_HELP && k->act != ACT_QUIT && k->act != ACT_REDRAW;
	}
	switch (k->act) {
	case ACT_UP:
		if (s->top)
			s->top--;
		return true;
	case ACT_DOWN:
		s->top++;
		return true;
	case ACT_PGUP:
		s->top = s->top > (size_t)s->page ? s->top - (size_t)s->page : 0;
		return true;
	case ACT_PGDN:
		s->top += (size_t)s->page;
		return true;
	case ACT_HOME:
		s->top = 0;
		return true;
	case ACT_END:
		s->top = s->doc.n;
		return true;
	default:
		return false;
	}
}

static const char *doctor_title(ui_app *a, ui_screen *s)
{
	(void)a;
	(void)s;
	return _("Connection doctor");
}

static const char *doctor_about(ui_app *a, ui_screen *s)
{
	(void)a;
	(void)s;
	return _("The connection doctor asks the target which data sources it can read on which site system "
		 "(the SMS Provider's namespace, the site control file, the registry, services, IIS, local groups, "
		 "shares and certificate stores), then reads every class the checklist needs, as a check run "
		 "would. A source that cannot be read names the checks that cannot be judged until it can. The "
		 "last lines say whether the target accepts changes. While it runs, the step under way and the "
		 "time taken are shown; Esc or q cancels, also while the agent is slow to answer. The same report "
		 "is printed by cmharden --target ... doctor.");
}

static void doctor_destroy(ui_screen *sc)
{
	doctor_screen *s = (doctor_screen *)sc;
	if (s->running) {
		(void)doctor_end(&s->job);
		doctor_release(&s->report);
	}
	doc_clear(&s->doc);
	sb_release(&s->text);
	free(s);
}

static const screen_ops doctor_ops = {
	.name = "doctor",
	.scope = SC_LIST,
	.draw = doctor_draw,
	.key = doctor_key,
	.work = doctor_work,
	.title = doctor_title,
	.about = doctor_about,
	.destroy = doctor_destroy,
};

ui_screen *screen_doctor_new(ui_app *a)
{
	doctor_screen *s = xcalloc(1, sizeof *s);
	s->base.ops = &doctor_ops;
	doctor_begin(&s->job, a->core.t, &a->core.cat, &a->core.fixes, &s->report);
	s->running = true;
	s->base.busy = true;
	s->started = mono_s();
	return &s->base;
}
