#!/bin/sh
# The agent over a real OpenSSH connection: the test starts its own sshd on
# 127.0.0.1 (own host key, user key, authorized_keys, port) and runs
# `cmharden check` against `ssh ... cmharden agent --lab default`, as a trainee
# would against a lab host. Results and wire requests must equal the local ones.
. "$top_srcdir/tests/lib.sh"

SSHD=$(command -v sshd 2>/dev/null || true)
[ -n "$SSHD" ] || [ ! -x /usr/sbin/sshd ] || SSHD=/usr/sbin/sshd
if [ -z "$SSHD" ] || ! command -v ssh >/dev/null 2>&1 || ! command -v ssh-keygen >/dev/null 2>&1; then
	echo "SKIP: OpenSSH (sshd, ssh, ssh-keygen) is not installed: apt-get install openssh-server"
	echo "SKIP: the agent was NOT tested over ssh"
	exit 77
fi
if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
	# sshd's privilege separation directory, normally made when the service starts.
	mkdir -p /run/sshd && chmod 0755 /run/sshd
fi

S="$T/ssh"
mkdir -m 700 "$S"
SSHD_PID=""
cleanup() {
	if [ -n "$SSHD_PID" ]; then kill "$SSHD_PID" 2>/dev/null; wait "$SSHD_PID" 2>/dev/null; fi
	rm -rf "$T"
}
trap cleanup EXIT
ssh-keygen -q -t ed25519 -N '' -C cmh-host -f "$S/host_key" || { fail "ssh-keygen (host key)"; finish; }
ssh-keygen -q -t ed25519 -N '' -C cmh-user -f "$S/user_key" || { fail "ssh-keygen (user key)"; finish; }
cp "$S/user_key.pub" "$S/authorized_keys"
chmod 600 "$S/authorized_keys"
user=$(id -un)

start_sshd() { # PORT
	cat >"$S/sshd_config" <<EOF
ListenAddress 127.0.0.1
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
AllowUsers $user
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
LogLevel ERROR
EOF
	"$SSHD" -D -e -f "$S/sshd_config" -p "$1" 2>>"$S/sshd.log" &
	SSHD_PID=$!
}

port=""
for try in 1 2 3 4 5 6 7 8; do
	p=$((20000 + ($$ * 7 + try * 3571) % 40000))
	start_sshd "$p"
	printf '[127.0.0.1]:%s %s\n' "$p" "$(cut -d' ' -f1,2 "$S/host_key.pub")" >"$S/known_hosts"
	ok=""
	for wait in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$SSHD_PID" 2>/dev/null || break
		if ssh -F /dev/null -i "$S/user_key" -o IdentitiesOnly=yes -o BatchMode=yes \
			-o UserKnownHostsFile="$S/known_hosts" -o StrictHostKeyChecking=yes -o LogLevel=ERROR \
			-o ConnectTimeout=5 -p "$p" "$user@127.0.0.1" true 2>>"$S/ssh.log"; then
			ok=1
			break
		fi
		sleep 0.3
	done
	if [ -n "$ok" ]; then port=$p; break; fi
	kill "$SSHD_PID" 2>/dev/null; wait "$SSHD_PID" 2>/dev/null; SSHD_PID=""
done
if [ -z "$port" ]; then
	fail "could not start sshd on 127.0.0.1"
	sed 's/^/    | /' "$S/sshd.log" "$S/ssh.log" | tail -10
	finish
fi
pass "sshd listens on 127.0.0.1:$port with its own host key"

SSH="ssh -F /dev/null -i $S/user_key -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=$S/known_hosts -o StrictHostKeyChecking=yes -o LogLevel=ERROR -p $port $user@127.0.0.1"
# The remote side runs in the same test home; the remote shell reads the command.
REMOTE="env XDG_DATA_HOME=$XDG_DATA_HOME CMHARDEN_CONTENT=$CMHARDEN_CONTENT"

strip_target() { sed 's/"target":"\([^"\\]\|\\.\)*",//' "$1"; }
"$CMHARDEN" check --format json >"$T/lab.json"
strip_target "$T/lab.json" >"$T/a"

expect_rc 1 "check through ssh exits as the lab does" -- \
	"$CMHARDEN" --target "agent:$SSH $REMOTE $CMHARDEN agent --lab default" check --format json
strip_target "$T/out" >"$T/b"
if cmp -s "$T/a" "$T/b"; then pass "identical results through ssh"; else
	fail "results differ through ssh"
	diff "$T/a" "$T/b" | head -5 | sed 's/^/    | /'
	sed 's/^/    | /' "$T/err" | head
fi

# The requests on the wire, logged on the remote side, against the local ones.
# ssh joins its arguments with spaces for the remote shell: one double-quoted word
# (the agent: spec's quoting) keeps the remote command's own quotes intact.
"$CMHARDEN" --target "agent:$SSH \"$REMOTE sh -c 'tee $T/remote.log | $CMHARDEN agent --lab default'\"" check --format json >"$T/out2"
strip_target "$T/out2" >"$T/c"
cmp -s "$T/a" "$T/c" && pass "identical results with the wire logged" || fail "results differ with the wire logged"
"$CMHARDEN" --target "agent-shell:tee $T/local.log | $CMHARDEN agent --lab default" check --format json >/dev/null
cut -d' ' -f1,2 "$T/remote.log" >"$T/r"
cut -d' ' -f1,2 "$T/local.log" >"$T/l"
if cmp -s "$T/r" "$T/l" && [ "$(wc -l <"$T/r")" -eq 3 ]; then
	pass "the same 3 requests over ssh as locally: $(cut -d' ' -f1 "$T/r" | tr '\n' ' ')"
else
	fail "requests differ: ssh [$(tr '\n' ' ' <"$T/r")] local [$(tr '\n' ' ' <"$T/l")]"
fi

# A snapshot taken over ssh audits like the site.
expect_rc 0 "snapshot over ssh" -- \
	"$CMHARDEN" --target "agent:$SSH $REMOTE $CMHARDEN agent --lab default" snapshot -o "$T/snap.yaml"
"$CMHARDEN" --target "snapshot:$T/snap.yaml" check --format json >"$T/out3"
strip_target "$T/out3" >"$T/d"
cmp -s "$T/a" "$T/d" && pass "a snapshot taken over ssh audits like the site" || fail "snapshot over ssh differs"

# The connection dropping mid-session: ssh reports it, cmharden says so and exits 2.
start=$(date +%s)
expect_rc 2 "a remote agent that dies: exit 2" -- timeout 60 \
	"$CMHARDEN" --target "agent:$SSH \"$REMOTE sh -c 'head -n 1 | $CMHARDEN agent --lab default; echo remote agent gone >&2; exit 9'\"" check
contains "$T/out" "the agent (ssh) exited with status 9" "the ssh exit status is reported"
contains "$T/out" "last words on stderr: remote agent gone" "the remote stderr is shown"
took=$(($(date +%s) - start))
[ "$took" -le 15 ] && pass "and the run ends promptly (${took}s)" || fail "the run took ${took}s"

# A host key that does not match is refused by ssh before any request.
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$S/user_key.pub")" >"$S/known_hosts"
expect_rc 2 "a wrong host key stops the session" -- timeout 60 \
	"$CMHARDEN" --target "agent:$SSH $REMOTE $CMHARDEN agent --lab default" check
contains "$T/err" "exited with status 255 before answering hello" "ssh's refusal is reported"
finish
