#!/bin/bash
# Remote hosts over ssh (docs/remote.md): a real sshd of the test's own in
# netns tct-rm-remote (veth tcrmh/tcrmr, 198.51.100.97/29 host side,
# .98 the "remote", .99 nobody), key auth for root with the test's own
# authorized_keys and known_hosts, turtlecap copied to an absolute path
# on the "remote". Lists and captures the remote's netns, a netns and a
# harness docker container through it; ssh's own session stays out of a
# capture of the remote's own netns; unreachable hosts and a wrong host key
# cost bounded time and one line; hostile names are never interpreted.
TC_TEST=rm
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"

for tool in /usr/sbin/sshd /usr/bin/ssh ssh-keygen; do
	command -v "$tool" >/dev/null || tc_fail "$tool is missing (packaging/setup.sh installs openssh-server)"
done

R=tct-rm-remote BLUE=tct-rm-blue WEB=tct-rm-web
HOSTILE="tct-rm-x'; touch tc-rm-pwned; \$(touch tc-rm-pwned2) \"q\""
IP_H=198.51.100.97 IP_R=198.51.100.98 IP_NONE=198.51.100.99 PORT=2222
MARKERS=(/root/tc-rm-pwned /root/tc-rm-pwned2 "$PWD/tc-rm-pwned" "$PWD/tc-rm-pwned2"
	/tmp/tc-rm-pwned /tmp/tc-rm-pwned2 /tmp/tc-rm-pwned3 "$TC_STATE/tc-rm-pwned")
rm -f "${MARKERS[@]}"
# lib.sh's reset splits netns names at blanks: this one is ours to remove
ip netns del "$HOSTILE" 2>/dev/null || true
tc_cleanup_hook() {
	tc_engines_cleanup
	ip netns del "$HOSTILE" 2>/dev/null || true
}

# --- the remote host: a netns with sshd, reached over a veth
ip netns add $R
ip -n $R link set lo up
ip link add tcrmh type veth peer name tcrmr netns $R
ip addr add $IP_H/29 dev tcrmh
ip link set tcrmh up
ip -n $R addr add $IP_R/29 dev tcrmr
ip -n $R link set tcrmr up
ip netns add $BLUE
ip -n $BLUE link set lo up
ip netns add "$HOSTILE"
ip -n "$HOSTILE" link set lo up

S=$TC_STATE
ssh-keygen -q -t ed25519 -N '' -C tc-rm-host -f $S/host_key
ssh-keygen -q -t ed25519 -N '' -C tc-rm-other -f $S/other_key
ssh-keygen -q -t ed25519 -N '' -C tc-rm-client -f $S/client_key
cp $S/client_key.pub $S/authorized_keys
chmod 0600 $S/authorized_keys
mkdir -p /run/sshd
cat >$S/sshd_config <<EOF
Port $PORT
ListenAddress $IP_R
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding no
AllowAgentForwarding no
LogLevel VERBOSE
# the harness's own listing rules on the "remote" too
SetEnv TURTLECAP_MAX_INTERFACES=1000
AcceptEnv TURTLECAP_EXCLUDE_SSH
EOF
tc_bg sshd ip netns exec $R /usr/sbin/sshd -D -f $S/sshd_config -E $S/sshd.log
for i in $(seq 50); do
	ip netns exec $R bash -c "echo >/dev/tcp/$IP_R/$PORT" 2>/dev/null && break
	sleep 0.1
done

# the client side: the user's ssh settings, through the ssh_config setting
echo "[$IP_R]:$PORT $(cut -d' ' -f1,2 $S/host_key.pub)" >$S/known_hosts
echo "badkey $(cut -d' ' -f1,2 $S/other_key.pub)" >>$S/known_hosts
cat >$S/ssh_config <<EOF
Host badkey
	HostName $IP_R
	HostKeyAlias badkey
Host *
	IdentityFile $S/client_key
	IdentitiesOnly yes
	UserKnownHostsFile $S/known_hosts
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking yes
	SendEnv TURTLECAP_EXCLUDE_SSH
EOF
export TURTLECAP_SSH_CONFIG=$S/ssh_config TURTLECAP_REMOTE_TIMEOUT=3
tc_check "ssh with the test's keys reaches the remote" \
	ssh -F $S/ssh_config -o BatchMode=yes -p $PORT root@$IP_R true

# turtlecap on the "remote", at a path of the test's choosing
RBIN=$S/remote-bin/turtlecap
mkdir -p $S/remote-bin
cp "$TURTLECAP" $RBIN
cp "$(dirname "$TURTLECAP")/turtlecap-engines.so" $S/remote-bin/

# a container seen by the remote turtlecap (the same machine)
tc_dockerd_start
tc_docker_reset
tc_docker_image
docker run -d --name $WEB $TC_IMAGE httpd -f -p 8080 -h /var/www >/dev/null
WEB_IP=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' $WEB)

# remotes file (XDG_CONFIG_HOME), one line per remote
export XDG_CONFIG_HOME=$TC_TMP/xdg
mkdir -p $XDG_CONFIG_HOME/turtlecap
cat >$XDG_CONFIG_HOME/turtlecap/remotes <<EOF
# name  [user@]host[:port]  remote turtlecap
lab root@$IP_R:$PORT $RBIN
EOF

# --- listing: local and remote interfaces
out=$TC_TMP/list.txt
"$TURTLECAP" --extcap-interfaces >$out 2>$TC_TMP/list.err
tc_check "local interfaces still listed" grep -q '^interface {value=tc-host}' $out
tc_check "the remote's own netns as tcr-lab.host" grep -q '^interface {value=tcr-lab.host}{display=lab: turtlecap: host network namespace' $out
tc_check "the remote's netns" grep -q "^interface {value=tcr-lab.netns-$BLUE}{display=lab: " $out
tc_check "the remote's container" grep -q "^interface {value=tcr-lab.docker-$WEB}{display=lab: $WEB (docker)" $out
tc_check "nothing on stderr when all answer" [ ! -s $TC_TMP/list.err ]
"$TURTLECAP" --list >$TC_TMP/tree.txt 2>&1
tc_check "--list shows the remote's block" grep -q "^remote lab (root@$IP_R:$PORT" $TC_TMP/tree.txt
tc_check "--list shows its interfaces" grep -q "\[tcr-lab.docker-$WEB\]" $TC_TMP/tree.txt
tc_check "config of a remote value runs no ssh (plain options)" bash -c \
	"'$TURTLECAP' --extcap-config --extcap-interface tcr-lab.host | grep -q call=--netifs"

# the only program ever run is ssh, by absolute path
if command -v strace >/dev/null; then
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve -o $TC_TMP/strace.txt \
		"$TURTLECAP" --extcap-interfaces >/dev/null 2>&1
	tc_check "listing runs exactly one program: /usr/bin/ssh" bash -c \
		"[ \$(grep -c 'execve(' $TC_TMP/strace.txt) = 2 ] && [ \$(grep -c 'execve(\"/usr/bin/ssh\"' $TC_TMP/strace.txt) = 1 ]"
fi

# --- capture the remote's netns end to end
remote_capture() { # FILE VALUE [args]: like tc_capture, longer wait
	local file=$1 value=$2 i
	shift 2
	: >"$file"
	"$TURTLECAP" --capture --extcap-interface "$value" --fifo "$file" "$@" 2>"$file.err" &
	TC_CAP_PID=$!
	echo "$TC_CAP_PID" >"$TC_STATE/capture-$TC_CAP_PID.pid"
	for i in $(seq 100); do
		capinfos -I "$file" 2>/dev/null | grep -q 'Interface #' && return 0
		kill -0 $TC_CAP_PID 2>/dev/null || return 0
		sleep 0.05
	done
}
remote_left() { # remote turtlecaps still running
	local p n=0
	for p in /proc/[0-9]*; do
		[ "$(readlink $p/exe 2>/dev/null)" = $RBIN ] && n=$((n + 1))
	done
	echo $n
}

f=$TC_TMP/blue.pcapng
remote_capture $f tcr-lab.netns-$BLUE
ip netns exec $BLUE ping -c 4 -i 0.2 127.0.0.1 >/dev/null
sleep 0.5
t0=$(now_ms)
rc=0; tc_capture_stop $TC_CAP_PID || rc=$?
tc_log "stopped in $(($(now_ms) - t0)) ms"
tc_check "SIGTERM ends the remote capture with exit 0" [ $rc = 0 ]
tc_check "nothing on stderr after a normal stop" [ ! -s $f.err ]
tc_check "tshark reads the relayed file" tshark -r $f -q
tc_check "4 echo requests from the remote netns" [ "$(tc_count $f 'icmp.type == 8')" = 4 ]
tc_check "interface name carries the remote value" [ "$(tc_count $f "icmp && frame.interface_name == \"tcr-lab.netns-$BLUE/lo\"")" = 8 ]
desc=$(tshark -r $f -Y icmp -T fields -e frame.interface_description 2>/dev/null | head -1)
tc_check "metadata: target is the remote value" grep -q "\"target\":\"tcr-lab.netns-$BLUE\"" <<<"$desc"
tc_check "metadata: lineage starts at the remote's host" grep -q "\"lineage\":\[{\"kind\":\"host\",\"name\":\"$(hostname)\"}" <<<"$desc"
tc_check "SHB comment names the remote value" bash -c "capinfos '$f' | grep -q 'Capture comment: .*\[tcr-lab.netns-$BLUE\]'"
tc_check "the remote ended its file (interface statistics)" bash -c "capinfos -I '$f' | grep -q 'Number of stat entries = 1'"
sleep 0.3
tc_check "no remote turtlecap left running" [ "$(remote_left)" = 0 ]

# --- a container on the remote
f=$TC_TMP/web.pcapng
remote_capture $f tcr-lab.docker-$WEB
ping -c 3 -i 0.2 $WEB_IP >/dev/null
sleep 0.5
tc_capture_stop $TC_CAP_PID
tc_check "container: 3 echo requests" [ "$(tc_count $f "icmp.type == 8 && ip.dst == $WEB_IP")" = 3 ]
desc=$(tshark -r $f -Y icmp -T fields -e frame.interface_description 2>/dev/null | head -1)
tc_check "container: metadata names the remote value" tc_has "$desc" "\"target\":\"tcr-lab.docker-$WEB\""
tc_check "container: metadata names the container" tc_has "$desc" "\"container\":\"$WEB\""

# --- the remote's own netns: our ssh session is not in it ...
f=$TC_TMP/own.pcapng
remote_capture $f tcr-lab.host
ping -c 3 -i 0.2 $IP_R >/dev/null
sleep 0.5
tc_capture_stop $TC_CAP_PID
tc_check "own netns: the pings are there" [ "$(tc_count $f "icmp.type == 8 && ip.dst == $IP_R")" = 3 ]
tc_check "own netns: no ssh packet of the relay" [ "$(tc_count $f "tcp.port == $PORT")" = 0 ]
tc_check "own netns: the exclusion is the recorded filter" bash -c "capinfos -I '$f' | grep -q 'Filter string = not (tcp and host'"
# ... unless asked for (exclude_ssh = no, sent to the remote with SendEnv)
f=$TC_TMP/own-ssh.pcapng
TURTLECAP_EXCLUDE_SSH=no remote_capture $f tcr-lab.host
ping -c 2 -i 0.2 $IP_R >/dev/null
sleep 0.5
tc_capture_stop $TC_CAP_PID
tc_check "control: with exclude_ssh = no the ssh session shows" [ "$(tc_count $f "tcp.port == $PORT")" -gt 0 ]

# --- unreachable host and wrong host key: bounded, one line, locals listed
cat >>$XDG_CONFIG_HOME/turtlecap/remotes <<EOF
gone root@$IP_NONE:$PORT $RBIN
bad root@badkey:$PORT $RBIN
EOF
t0=$(now_ms)
"$TURTLECAP" --extcap-interfaces >$out 2>$TC_TMP/list.err
ms=$(($(now_ms) - t0))
tc_log "listing with an unreachable host and a wrong key: $ms ms"
cat $TC_TMP/list.err
tc_check "bounded: within remote_timeout (3 s) + 1 s ($ms ms)" [ $ms -lt 4000 ]
tc_check "local interfaces still listed" grep -q '^interface {value=tc-host}' $out
tc_check "the good remote still listed" grep -q "^interface {value=tcr-lab.netns-$BLUE}" $out
tc_check "nothing of the bad ones" bash -c "! grep -q 'tcr-gone\|tcr-bad' $out"
tc_check "one line for the unreachable host" [ "$(grep -c '^turtlecap: remote gone ' $TC_TMP/list.err)" = 1 ]
tc_check "one line for the wrong key, saying so" bash -c \
	"[ \$(grep -c '^turtlecap: remote bad ' $TC_TMP/list.err) = 1 ] && grep '^turtlecap: remote bad ' $TC_TMP/list.err | grep -qi 'host key verification failed'"
tc_check "two lines in all" [ "$(wc -l <$TC_TMP/list.err)" = 2 ]
: >$TC_TMP/bad.pcapng
t0=$(now_ms)
rc=0
"$TURTLECAP" --capture --extcap-interface tcr-bad.host --fifo $TC_TMP/bad.pcapng 2>$TC_TMP/bad.err || rc=$?
ms=$(($(now_ms) - t0))
tc_check "capture with a wrong key fails fast ($ms ms) in one line" bash -c \
	"[ $rc != 0 ] && [ $ms -lt 4000 ] && [ \$(wc -l <$TC_TMP/bad.err) = 1 ] && grep -qi 'host key verification failed' $TC_TMP/bad.err"

# --- hostile names and filters: quoted, never interpreted, on either side
hv=$(grep -o "tcr-lab.netns-tct-rm-x_27[^}]*" $out | head -1)
tc_check "the hostile netns is listed (escaped value)" [ -n "$hv" ]
f=$TC_TMP/hostile.pcapng
remote_capture $f "$hv"
ip netns exec "$HOSTILE" ping -c 2 -i 0.2 127.0.0.1 >/dev/null
sleep 0.5
tc_capture_stop $TC_CAP_PID
tc_check "hostile netns: its pings captured" [ "$(tc_count $f 'icmp.type == 8')" = 2 ]
name=$(tshark -r $f -Y icmp -T fields -e frame.interface_description 2>/dev/null | head -1 |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')
tc_check "hostile netns: metadata has its exact name" [ "$name" = "$HOSTILE" ]
evil="icmp'; touch /tmp/tc-rm-pwned3; echo '\$(touch /tmp/tc-rm-pwned3)"
: >$TC_TMP/evil.pcapng
: >$TC_TMP/evil2.pcapng
rc=0
"$TURTLECAP" --capture --extcap-interface tcr-lab.netns-$BLUE --fifo $TC_TMP/evil.pcapng \
	--extcap-capture-filter "$evil" 2>$TC_TMP/evil.err || rc=$?
tc_check "hostile filter reaches the remote verbatim (and is refused there)" bash -c \
	"[ $rc != 0 ] && grep -qF \"touch /tmp/tc-rm-pwned3; echo\" $TC_TMP/evil.err"
rc=0
"$TURTLECAP" --capture --extcap-interface tcr-lab.netns-$BLUE --fifo $TC_TMP/evil2.pcapng \
	--netifs "lo;touch /tmp/tc-rm-pwned3" 2>$TC_TMP/evil2.err || rc=$?
tc_check "hostile --netifs is an unknown interface there" [ $rc != 0 ]
for m in "${MARKERS[@]}"; do
	tc_check "nothing ran: no $m" [ ! -e "$m" ]
done

# --- Wireshark's sshdump with turtlecap as its remote capture command
SSHDUMP=/usr/lib/x86_64-linux-gnu/wireshark/extcap/sshdump
if [ -x $SSHDUMP ]; then
	f=$TC_TMP/sshdump.pcapng
	mkfifo $TC_TMP/sshdump.fifo
	cat $TC_TMP/sshdump.fifo >$f &
	catpid=$!
	HOME=$TC_TMP/home $SSHDUMP --capture --extcap-interface sshdump --fifo $TC_TMP/sshdump.fifo \
		--remote-host $IP_R --remote-port $PORT --remote-username root --sshkey $S/client_key \
		--remote-capture-command-select other \
		--remote-capture-command "$RBIN --capture --extcap-interface tc-netns-$BLUE --fifo - --stdin-stop" \
		>$TC_TMP/sshdump.out 2>&1 &
	sdpid=$!
	echo $sdpid >$TC_STATE/sshdump.pid
	sleep 2
	ip netns exec $BLUE ping -c 3 -i 0.2 127.0.0.1 >/dev/null
	sleep 1
	kill -TERM $sdpid 2>/dev/null || true
	wait $sdpid 2>/dev/null || true
	wait $catpid 2>/dev/null || true
	tc_log "sshdump said: $(head -c 300 $TC_TMP/sshdump.out)"
	tc_check "sshdump + remote turtlecap: the pings, with metadata" bash -c \
		"[ \$(tshark -r '$f' -Y 'icmp.type == 8' 2>/dev/null | wc -l) = 3 ] && tshark -r '$f' -Y icmp -T fields -e frame.interface_name 2>/dev/null | grep -q '^tc-netns-$BLUE/lo'"
	sleep 0.5
	tc_check "sshdump: no remote turtlecap left after its stop" [ "$(remote_left)" = 0 ]
fi
