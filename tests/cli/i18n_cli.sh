#!/bin/sh
# The CLI in German: LANGUAGE=de with LC_ALL=C.UTF-8 (as a German user on a
# minimal system would run it) shows the program's messages and the checklist's
# titles in German, found in the build tree's locale/ (content_i18n.h).
. "$top_srcdir/tests/lib.sh"
de() { LANGUAGE=de LC_ALL=C.UTF-8 "$@"; }

expect_rc 0 "--help in German" -- de "$CMHARDEN" --help
contains "$T/out" "^Aufruf: cmharden" "the usage line is German"
contains "$T/out" "Befehle:" "the command list is German"

expect_rc 0 "list in German" -- de "$CMHARDEN" list
contains "$T/out" "Checkliste der bewährten Sicherheitsmethoden" "the checklist title comes from the content catalog"
contains "$T/out" "Betriebssystembereitstellung" "section titles are German"
contains "$T/out" "Für den PXE-Start ein Kennwort verlangen" "check titles are German"
contains "$T/out" "82 Prüfungen" "the summary is German"
contains "$T/out" "osd.pxe-password" "check ids stay as they are"

expect_rc 1 "check in German" -- de "$CMHARDEN" check --section osd
contains "$T/out" "Zusammenfassung:" "the check summary is German"
contains "$T/out" "\[nicht bestanden" "statuses are German"
contains "$T/out" "PXE-Dienstpunkt" "check titles in check output are German"

expect_rc 64 "usage errors in German" -- de "$CMHARDEN" frobnicate
contains "$T/err" "unbekannter Befehl »frobnicate«" "the error message is German"

expect_rc 1 "lab score in German" -- de "$CMHARDEN" lab score careless-oob
contains "$T/out" "Stand: 0 von 6 Lernzielen erreicht" "the score is German"
contains "$T/out" "Northwind Traders – eine sorglose Out-of-Band-Einrichtung" "the lab title is German"

expect_rc 0 "the HTML report in German" -- de "$CMHARDEN" report --format html -o "$T/r.html"
contains "$T/r.html" '<html lang="de">' "the report declares its language"
contains "$T/r.html" "Sicherheitsbericht für den Standort CON" "the report is German"
contains "$T/r.html" "Bescheinigung nötig" "statuses in the report are German"

# The German came from the catalogs: without LANGUAGE, or with a locale
# directory that holds none, the same commands speak English.
expect_rc 0 "list without LANGUAGE" -- env LC_ALL=C.UTF-8 "$CMHARDEN" list
lacks "$T/out" "Prüfungen" "English without LANGUAGE"
contains "$T/out" "Require a password to PXE boot" "English check titles"
mkdir -p "$T/nolocale"
expect_rc 0 "CMHARDEN_LOCALEDIR is honoured" -- env CMHARDEN_LOCALEDIR="$T/nolocale" LANGUAGE=de LC_ALL=C.UTF-8 "$CMHARDEN" list
contains "$T/out" "82 checks" "a locale directory without catalogs gives English"
finish
