#!/bin/bash
# Captures end cleanly (issue 14, item 4): SIGTERM/SIGINT end a --capture
# within 1 s whether it waits for the fifo's reader or for a slow engine;
# a reader closing the fifo of an idle namespace ends the capture within
# 1 s; an error found once --capture runs reaches the reader as a pcapng
# header with the error, so tshark ends by itself with turtlecap's line; a
# container whose engine does not answer says so.
TC_TEST=lif
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
: "${TC_FAKE_ENGINE:?}"
tc_cleanup_hook() { tc_engines_cleanup; }

NS=tct-lif-a
IF=tc-netns-$NS
ip netns add $NS
ip -n $NS link set lo up
tc_bg sleeper ip netns exec $NS sleep 600
target_pid=$TC_BG_PID
cd "$TC_TMP"

# ends_within PID MS: PID (a child) exits within MS ms; sets ELAPSED and
# RC (99: still running after 3 s, killed)
ends_within() {
	local pid=$1 max=$2 t0 killed=0
	t0=$(now_ms)
	while kill -0 "$pid" 2>/dev/null && [ $(($(now_ms) - t0)) -lt 3000 ]; do
		sleep 0.01
	done
	ELAPSED=$(($(now_ms) - t0))
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		killed=1
	fi
	RC=0
	wait "$pid" || RC=$?
	[ "$killed" = 0 ] || RC=99
	[ "$ELAPSED" -lt "$max" ]
}
one_line() { [ "$(wc -l <"$1")" = 1 ] && grep -q '^turtlecap: ' "$1"; }

# --- a fifo nobody opens: SIGTERM and SIGINT end the capture at once
for sig in TERM INT; do
	rm -f fifo
	mkfifo fifo
	"$TURTLECAP" --capture --extcap-interface $IF --fifo fifo 2>unread.err &
	pid=$!
	sleep 0.5
	kill -$sig $pid
	tc_check "SIG$sig while nobody opens the fifo: exits within 1 s" ends_within $pid 1000
	tc_log "SIG$sig, fifo never opened: exited in ${ELAPSED} ms (rc $RC)"
done

# --- the same for a remote host's value: its fifo waits before ssh runs
rm -f fifo
mkfifo fifo
"$TURTLECAP" --capture --extcap-interface tcr-lifr.host --remote lifr=127.0.0.1 \
	--fifo fifo 2>unread-remote.err &
pid=$!
sleep 0.5
kill -TERM $pid
tc_check "SIGTERM while nobody opens a remote capture's fifo: exits within 1 s" ends_within $pid 1000
tc_log "SIGTERM, remote capture's fifo never opened: exited in ${ELAPSED} ms (rc $RC)"
# ... and a remote nobody configured: the fifo gets the error header
: >err-remote.pcapng
rc=0
"$TURTLECAP" --capture --extcap-interface tcr-nonesuch.host --fifo err-remote.pcapng 2>err-remote.err || rc=$?
tc_check "unknown remote: one line, and the fifo a header carrying it" bash -c \
	"[ $rc != 0 ] && [ \$(wc -l <err-remote.err) = 1 ] && grep -q 'no remote named' err-remote.err &&
	 capinfos -k err-remote.pcapng | grep -q 'turtlecap: no remote named'"

# --- the reader closes the fifo of an idle namespace (no packet comes to
# fail a write): the capture notices within 1 s
rm -f fifo
mkfifo fifo
"$TURTLECAP" --capture --extcap-interface $IF --fifo fifo 2>idle.err &
pid=$!
cat fifo >idle.pcapng &
reader=$!
for _ in $(seq 100); do
	capinfos -I idle.pcapng 2>/dev/null | grep -q 'Interface #' && break
	sleep 0.05
done
tc_check "idle capture is live (its IDBs are written)" bash -c "capinfos -I idle.pcapng | grep -q 'Interface #'"
kill $reader
wait $reader 2>/dev/null || true
tc_check "the reader closes the fifo: the idle capture ends within 1 s" ends_within $pid 1000
tc_log "reader gone, idle namespace: capture ended in ${ELAPSED} ms (rc $RC)"
tc_check "... with exit 0 and nothing on stderr" bash -c "[ $RC = 0 ] && [ ! -s idle.err ]"

# --- an error once --capture runs: the fifo gets a header carrying it
: >err.pcapng
rc=0
"$TURTLECAP" --capture --extcap-interface tc-netns-tct-lif-nonesuch --fifo err.pcapng 2>err.err || rc=$?
tc_check "unknown value: exits non-zero, one line" bash -c "[ $rc != 0 ] && grep -q 'no such network namespace' err.err" 
tc_check "unknown value: one stderr line" one_line err.err
tc_check "unknown value: the output is a valid empty pcapng" bash -c \
	"[ -s err.pcapng ] && capinfos -t err.pcapng | grep -q 'pcapng' && capinfos -c err.pcapng | grep -q 'Number of packets: *0'"
tc_check "unknown value: its section comment carries the error" \
	bash -c "capinfos -k err.pcapng | grep -q 'turtlecap: unknown interface \"tc-netns-tct-lif-nonesuch\": no such network namespace'"
: >noif.pcapng
rc=0
"$TURTLECAP" --capture --extcap-interface $IF --netifs nope --fifo noif.pcapng 2>noif.err || rc=$?
tc_check "no such link (found by the capture thread): one line, a header with it" \
	bash -c "[ $rc != 0 ] && grep -q 'no interface \"nope\"' noif.err && capinfos -k noif.pcapng | grep -q 'turtlecap: no interface'"

# --- tshark: the target goes away between Wireshark's listing and the
# capture's start (a wrapper in a private extcap folder runs on-capture
# first). tshark must end by itself, naming the problem in our one line.
export WIRESHARK_CONFIG_DIR=$TC_TMP/wsconf
mkdir -p "$WIRESHARK_CONFIG_DIR/extcap"
cat >"$WIRESHARK_CONFIG_DIR/extcap/turtlecap" <<EOF
#!/bin/sh
for a; do [ "\$a" = --capture ] && [ -f '$TC_TMP/on-capture' ] && . '$TC_TMP/on-capture'; done
date +%s%N >'$TC_TMP/exec-at'
exec '$TURTLECAP' "\$@"
EOF
chmod 755 "$WIRESHARK_CONFIG_DIR/extcap/turtlecap"
# ws_gone NAME VALUE PATTERN: tshark -i VALUE ends by itself within 2 s of
# the capture's start, its stderr has turtlecap's one line, matching
# PATTERN. Without the header on the fifo, tshark 4.0's dumpcap gives up
# on the fifo after about 5 s and adds 'There is no device named
# "/tmp/wireshark_extcap_..."'; Wireshark waits for the user.
ws_gone() {
	local name=$1 value=$2 pat=$3 t0 rc=0 ms
	t0=$(now_ms)
	rm -f exec-at
	timeout 30 tshark -i "$value" -w "$name.pcapng" >"$name.out" 2>"$name.err" || rc=$?
	ms=$(($(now_ms) - $(cat exec-at) / 1000000))
	tc_log "tshark -i $value, gone at capture start: ended in $(($(now_ms) - t0)) ms, $ms ms after the capture started (rc $rc)"
	sed 's/^/    /' "$name.err"
	tc_check "$name: tshark ends by itself within 2 s of the capture's start ($ms ms)" \
		bash -c "[ $rc != 124 ] && [ $ms -lt 2000 ]"
	tc_check "$name: no dumpcap fallback error" tc_lacks "$(cat "$name.err")" 'There is no device named'
	tc_check "$name: tshark shows turtlecap's one line" \
		bash -c "[ \$(grep -c 'Error by extcap pipe' '$name.err') = 1 ] &&
			grep -Eq 'Error by extcap pipe: turtlecap: .*$pat' '$name.err' &&
			[ \$(grep -c ': turtlecap: ' '$name.err') = 1 ]"
}
ip netns add tct-lif-gone
echo 'ip netns del tct-lif-gone' >on-capture
ws_gone ws-netns tc-netns-tct-lif-gone 'unknown interface "tc-netns-tct-lif-gone": no such network namespace'

# the same with the harness's dockerd: the container is removed, then the
# daemon is stopped
tc_dockerd_start
tc_docker_reset
tc_docker_image
docker run -d --name tct-lif-web $TC_IMAGE sleep 600 >/dev/null
echo 'docker rm -f tct-lif-web >/dev/null' >on-capture
ws_gone ws-docker-rm tc-docker-tct-lif-web 'unknown interface "tc-docker-tct-lif-web": no such network namespace'
# one that ends on SIGTERM, so that dockerd stops at once
docker run -d --name tct-lif-web $TC_IMAGE \
	sh -c 'trap "exit 0" TERM; while :; do sleep 0.2; done' >/dev/null
# dockerd stopped: its sockets are gone (no engine) or left (refused)
cat >on-capture <<EOF
p=\$(cat '$TC_DOCKERD_PID'); kill -TERM \$p
# gone, or a zombie where no init reaps it (a container's sleep as pid 1)
while kill -0 \$p 2>/dev/null && ! grep -q '^[^)]*) Z' /proc/\$p/stat 2>/dev/null; do sleep 0.1; done
EOF
ws_gone ws-docker-stopped tc-docker-tct-lif-web 'unknown interface "tc-docker-tct-lif-web": (docker does not answer: |no docker engine is running)'
rm -f on-capture

# --- an engine that does not answer is named, with its endpoint
tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock stall
stall_pid=$TC_BG_PID
: >stall.pcapng
rc=0
"$TURTLECAP" --capture --extcap-interface tc-docker-tct-lif-web --fifo stall.pcapng 2>stall.err || rc=$?
cat stall.err
tc_check "silent engine: the error says docker does not answer, where" bash -c \
	"[ $rc != 0 ] && grep -Eq '^turtlecap: unknown interface \"tc-docker-tct-lif-web\": docker does not answer: .+ \\(at .*fake-stall/docker.sock, pid $stall_pid\\)\$' stall.err"
tc_check "silent engine: one line, and the header carries it" bash -c \
	"[ \$(wc -l <stall.err) = 1 ] && capinfos -k stall.pcapng | grep -q 'docker does not answer'"
kill -KILL -- -"$stall_pid" 2>/dev/null || true

# --- SIGTERM during a discovery slowed by an engine (each answer 0.9 s)
tc_fake_engine "$TC_FAKE_ENGINE" dockerd docker.sock slowall "$target_pid"
t0=$(now_ms)
"$TURTLECAP" --capture --extcap-interface tc-docker-tct-lif-nonesuch --fifo err.pcapng 2>/dev/null || true
slow=$(($(now_ms) - t0))
tc_log "a capture's discovery with the slow engine: ${slow} ms"
tc_check "the slow engine makes the discovery last (${slow} ms > 1300 ms)" [ $slow -gt 1300 ]
rm -f fifo
mkfifo fifo
"$TURTLECAP" --capture --extcap-interface tc-docker-fake-slowall --fifo fifo 2>slow.err &
pid=$!
sleep 0.2
kill -TERM $pid
tc_check "SIGTERM during the slow discovery: exits within 1 s" ends_within $pid 1000
tc_log "SIGTERM 200 ms into a ${slow} ms discovery: exited in ${ELAPSED} ms (rc $RC)"
