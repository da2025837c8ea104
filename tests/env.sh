# Sourced before every test: a private data directory, and no colour or locale
# surprises. Criterion writes its own temp files under TMPDIR too.
CMH_TEST_HOME=$(mktemp -d "${TMPDIR:-/tmp}/cmh-home-XXXXXX")
XDG_DATA_HOME="$CMH_TEST_HOME/data"
HOME="$CMH_TEST_HOME"
LC_ALL=C.UTF-8
export XDG_DATA_HOME HOME LC_ALL
