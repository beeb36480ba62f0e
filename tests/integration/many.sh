#!/bin/bash
# Many containers and the listing policy: 30 real containers on the
# harness's dockerd, at most max_interfaces of them listed individually
# (containers first, by name), every other one in its portal's selector,
# the hide/show/engines settings, a capture through the portal holding the
# picked container's traffic and none of another's, and Wireshark's own
# view (tshark -D, tshark -i on a value that is not listed).
TC_TEST=many
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
tc_cleanup_hook() { tc_engines_cleanup; }

N=30
# settings from the environment only: no user's file, nothing inherited
export XDG_CONFIG_HOME=$TC_TMP/config
export TURTLECAP_MAX_INTERFACES=10

tc_dockerd_start
tc_docker_reset
tc_docker_image
# started in parallel; waited for by pid (a bare wait would also wait for
# the dockerd this shell may have started)
runs=()
for i in $(seq 1 $N); do
	docker run -d --name "tct-many-$i" "$TC_IMAGE" httpd -f -p 8080 -h /var/www >/dev/null &
	runs+=($!)
done
for p in "${runs[@]}"; do wait "$p" || true; done
running=$(docker ps -q --filter 'name=^tct-many-' | wc -l)
tc_check "$N containers running ($running)" [ "$running" = "$N" ]

# ifaces FILE: the values of FILE's interface sentences
ifaces() { sed -nE 's/^interface \{value=([^}]*)\}.*/\1/p' "$1"; }
# individual FILE: the values listed individually (not the host, no portal)
individual() { ifaces "$1" | grep -v -e '^tc-host$' -e '^tc-portal-' || true; }
# members PORTAL: the values of its reloaded --container selector
members() {
	"$TURTLECAP" --extcap-config --extcap-interface "$1" --extcap-reload-option container |
		sed -nE 's/^value \{arg=[0-9]+\}\{value=([^}]*)\}.*/\1/p'
}
# in_file WORD FILE: WORD is a whole line of FILE
in_file() { grep -qxF -- "$1" "$2"; }

# --- cap 10: ten individual interfaces, the host, the portal(s)
# portal_count PORTAL FILE: the number its display in FILE announces
portal_count() {
	sed -nE "s/^interface \{value=$1\}\{display=turtlecap: ([0-9]+) more .* \(pick one in the interface options\)\}\$/\1/p" "$2"
}
# snapshot: the interfaces at cap 10 and each portal's members; fails if
# a portal's display does not count its members
snapshot() {
	local portal ok=0
	"$TURTLECAP" --extcap-interfaces >"$TC_TMP/if10.txt"
	individual "$TC_TMP/if10.txt" >"$TC_TMP/ind10.txt"
	ifaces "$TC_TMP/if10.txt" | grep '^tc-portal-' >"$TC_TMP/portals10.txt" || true
	while read -r portal; do
		members "$portal" >"$TC_TMP/m-$portal.txt"
		[ "$(portal_count "$portal" "$TC_TMP/if10.txt")" = "$(wc -l <"$TC_TMP/m-$portal.txt")" ] || ok=1
	done <"$TC_TMP/portals10.txt"
	return $ok
}
# other tests may add or remove namespaces between the two calls: a
# mismatch is only believed when it persists
for try in 1 2 3; do
	snapshot && break
	tc_log "the listing changed between two calls (try $try)"
done
tc_check "cap 10: exactly 10 individual interfaces ($(wc -l <"$TC_TMP/ind10.txt"))" \
	[ "$(wc -l <"$TC_TMP/ind10.txt")" = 10 ]
tc_check "cap 10: the host on top of them" in_file tc-host <(ifaces "$TC_TMP/if10.txt")
tc_check "cap 10: all ten are containers (containers come before bare namespaces)" \
	bash -c "! grep -qE '^tc-(netns|ns)-' '$TC_TMP/ind10.txt'"
tc_check "cap 10: a docker portal" in_file tc-portal-docker "$TC_TMP/portals10.txt"
tc_check "cap 10: only known portals" \
	bash -c "! grep -vxE 'tc-portal-(docker|podman|containerd|cri-o|netns)' '$TC_TMP/portals10.txt'"
while read -r portal; do
	n=$(portal_count "$portal" "$TC_TMP/if10.txt")
	tc_check "$portal: its display counts its $(wc -l <"$TC_TMP/m-$portal.txt") members ($n)" \
		[ "$n" = "$(wc -l <"$TC_TMP/m-$portal.txt")" ]
	tc_check "$portal: no member also listed individually" \
		bash -c "! grep -qxF -f '$TC_TMP/ind10.txt' '$TC_TMP/m-$portal.txt'"
done <"$TC_TMP/portals10.txt"
tc_check "the docker portal holds only docker containers" \
	bash -c "! grep -v '^tc-docker-' '$TC_TMP/m-tc-portal-docker.txt'"
missing=0
for i in $(seq 1 $N); do
	v=tc-docker-tct-many-$i
	c=$( (cat "$TC_TMP/ind10.txt" "$TC_TMP/m-tc-portal-docker.txt") | grep -cxF "$v" || true)
	[ "$c" = 1 ] || { tc_log "$v found $c times"; missing=$((missing + 1)); }
done
tc_check "each of the $N containers is listed or in the docker portal, exactly once" [ "$missing" = 0 ]

# the same picture, drawn by --list in one discovery: the top-level
# containers in name order, the first ten listed, the rest only via a portal
"$TURTLECAP" --list >"$TC_TMP/list10.txt"
grep -E '^(├|└)── container ' "$TC_TMP/list10.txt" >"$TC_TMP/top.txt"
tc_check "--list: the first 10 top-level containers have interfaces of their own" \
	bash -c "[ \"\$(head -10 '$TC_TMP/top.txt' | grep -c 'only via')\" = 0 ] &&
		[ \"\$(tail -n +11 '$TC_TMP/top.txt' | grep -vc 'only via tc-portal-[a-z-]*: beyond max_interfaces)')\" = 0 ]"
grep -oE '\[tc-docker-tct-many-[0-9]+\]' "$TC_TMP/top.txt" | tr -d '[]' >"$TC_TMP/top-mine.txt"
tc_check "--list: containers in name order" \
	bash -c "LC_ALL=C sort -c '$TC_TMP/top-mine.txt' && [ \$(wc -l <'$TC_TMP/top-mine.txt') = $N ]"
tc_check "--list: bare namespaces after every container" \
	bash -c "! grep -E '^(├|└)── ' '$TC_TMP/list10.txt' | sed -n '/── netns /,\$p' | grep -q '── container '"
tc_check "--list: its footer names the cap and where it comes from" \
	grep -qE '^\([0-9]+ reachable only through a portal: [0-9]+ beyond max_interfaces = 10 \(environment\); tc-portal-docker holds [0-9]+' "$TC_TMP/list10.txt"
tc_check "--list agrees with --extcap-interfaces on ours" \
	[ "$(grep -oE '^(├|└)── container [^[]*\[tc-docker-tct-many-[0-9]+\][^(]*$' "$TC_TMP/list10.txt" | grep -oE 'tc-docker-tct-many-[0-9]+' | LC_ALL=C sort)" = \
	"$(grep -E '^tc-docker-tct-many-' "$TC_TMP/ind10.txt" | LC_ALL=C sort)" ]

# --- the portal's own options
"$TURTLECAP" --extcap-config --extcap-interface tc-portal-docker >"$TC_TMP/config.txt"
tc_check "portal config: a required, reloadable --container selector" \
	grep -qE '^arg \{number=([0-9]+)\}\{call=--container\}.*\{type=selector\}\{reload=true\}\{required=true\}' "$TC_TMP/config.txt"
tc_check "portal config: no discovery at every start, members only on Reload" \
	bash -c "! grep -q '^value {arg=5}' '$TC_TMP/config.txt'"
tc_check "portal config: the usual options too" grep -q '{call=--netifs}' "$TC_TMP/config.txt"
"$TURTLECAP" --extcap-config --extcap-interface tc-portal-docker --extcap-reload-option container >"$TC_TMP/reload.txt"
tc_check "a container's display in the reloaded selector" \
	grep -qE '^value \{arg=5\}\{value=tc-docker-tct-many-9\}\{display=tct-many-9 \(docker\)\}$' "$TC_TMP/reload.txt"

# --- hide: tct-many-1 and tct-many-10..19 are only reachable through the portal
TURTLECAP_HIDE='tct-many-1*' "$TURTLECAP" --extcap-interfaces >"$TC_TMP/ifh.txt"
individual "$TC_TMP/ifh.txt" >"$TC_TMP/indh.txt"
TURTLECAP_HIDE='tct-many-1*' members tc-portal-docker >"$TC_TMP/mh.txt"
tc_check "hide: still 10 individual interfaces" [ "$(wc -l <"$TC_TMP/indh.txt")" = 10 ]
bad=0
for i in 1 $(seq 10 19); do
	v=tc-docker-tct-many-$i
	in_file "$v" "$TC_TMP/indh.txt" && bad=$((bad + 1))
	in_file "$v" "$TC_TMP/mh.txt" || bad=$((bad + 1))
done
tc_check "hide: the 11 matching are not listed, each is in the portal" [ "$bad" = 0 ]
tc_check "hide: tct-many-2 takes a place" in_file tc-docker-tct-many-2 "$TC_TMP/indh.txt"
tc_check "hide: --list says why" \
	bash -c "TURTLECAP_HIDE='tct-many-1*' '$TURTLECAP' --list >'$TC_TMP/listh.txt' &&
		grep -q '11 hidden by hide = tct-many-1\* (environment)' '$TC_TMP/listh.txt' &&
		grep -q '\[tc-docker-tct-many-15\] .*(only via tc-portal-docker: hidden by hide)' '$TC_TMP/listh.txt'"

# --- show: only the matching ones, whatever the cap
TURTLECAP_MAX_INTERFACES=100 TURTLECAP_SHOW='tct-many-2?' "$TURTLECAP" --extcap-interfaces >"$TC_TMP/ifs.txt"
tc_check "show: exactly tct-many-20..29 are listed among the containers" \
	[ "$(individual "$TC_TMP/ifs.txt" | grep -vE '^tc-(netns|ns)-' | LC_ALL=C sort | tr '\n' ' ')" = \
	"$(for i in $(seq 20 29); do echo tc-docker-tct-many-$i; done | LC_ALL=C sort | tr '\n' ' ')" ]

# --- engines: docker is not listed individually, all of it in its portal
TURTLECAP_MAX_INTERFACES=100 TURTLECAP_ENGINES=podman "$TURTLECAP" --extcap-interfaces >"$TC_TMP/ife.txt"
# (a podman container nested in a docker one is podman's: its last level)
n_docker=$(individual "$TC_TMP/ife.txt" | grep -cE '(^tc-|\.)docker-[^.]*$' || true)
tc_check "engines=podman: no docker container listed ($n_docker)" [ "$n_docker" = 0 ]
tc_check "engines=podman: all $N in the docker portal" \
	[ "$(TURTLECAP_MAX_INTERFACES=100 TURTLECAP_ENGINES=podman members tc-portal-docker | grep -c '^tc-docker-tct-many-')" = "$N" ]

# --- cap 100: everyone has an interface of its own, no docker portal
TURTLECAP_MAX_INTERFACES=100 "$TURTLECAP" --extcap-interfaces >"$TC_TMP/if100.txt"
tc_check "cap 100: all $N listed, no docker portal" \
	bash -c "[ \$(grep -c 'value=tc-docker-tct-many-' '$TC_TMP/if100.txt') = $N ] && ! grep -q 'value=tc-portal-docker' '$TC_TMP/if100.txt'"

# --- a capture through the portal: the picked container's traffic only
pick=tct-many-9 other=tct-many-8
tc_check "$pick and $other are not listed at cap 10" \
	bash -c "! grep -qxE 'tc-docker-($pick|$other)' '$TC_TMP/ind10.txt'"
tc_check "$pick is in the docker portal" in_file "tc-docker-$pick" "$TC_TMP/m-tc-portal-docker.txt"
ip_pick=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' $pick)
ip_other=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' $other)
f=$TC_TMP/portal.pcapng
tc_capture "$f" tc-portal-docker --container "tc-docker-$pick"
for _ in 1 2 3; do
	curl -s -m 2 "http://$ip_pick:8080/" >/dev/null || true
	curl -s -m 2 "http://$ip_other:8080/" >/dev/null || true
done
sleep 0.3
rc=0
tc_capture_stop "$TC_CAP_PID" || rc=$?
tc_check "portal capture exits 0 with nothing on stderr" bash -c "[ $rc = 0 ] && [ ! -s '$f.err' ]"
tc_check "portal capture holds $pick's HTTP" [ "$(tc_count "$f" "ip.addr == $ip_pick && http.request")" -gt 0 ]
tc_check "portal capture holds nothing of $other" [ "$(tc_count "$f" "ip.addr == $ip_other")" = 0 ]
tc_check "the interfaces are named after $pick's own value" \
	[ "$(tshark -r "$f" -T fields -e frame.interface_name 2>/dev/null | sort -u)" = "tc-docker-$pick/eth0" ]
tc_check "the metadata names $pick as the target" \
	bash -c "tshark -r '$f' -T fields -e frame.interface_description 2>/dev/null | head -1 | grep -q '\"target\":\"tc-docker-$pick\",\"kind\":\"container\"'"

rc=0
"$TURTLECAP" --capture --extcap-interface tc-portal-docker --fifo "$TC_TMP/none" 2>"$TC_TMP/none.err" || rc=$?
tc_check "a portal capture without --container fails in one clear line" \
	bash -c "[ $rc != 0 ] && [ \$(wc -l <'$TC_TMP/none.err') = 1 ] &&
		grep -qx 'turtlecap: tc-portal-docker is a portal: pick a container in its interface options (--container VALUE)' '$TC_TMP/none.err'"
rc=0
"$TURTLECAP" --capture --extcap-interface tc-portal-docker --container tc-docker-tct-many-gone \
	--fifo "$TC_TMP/gone" 2>"$TC_TMP/gone.err" || rc=$?
tc_check "a portal capture of an unknown container fails in one line" \
	bash -c "[ $rc != 0 ] && [ \$(wc -l <'$TC_TMP/gone.err') = 1 ] && grep -q 'unknown interface \"tc-docker-tct-many-gone\"' '$TC_TMP/gone.err'"

# --- Wireshark's view: the built extcap in a private personal folder, with
# its engines module beside it (else the installed one would be loaded)
export WIRESHARK_CONFIG_DIR=$TC_TMP/wsconf
mkdir -p "$WIRESHARK_CONFIG_DIR/extcap"
cp "$TURTLECAP" "$WIRESHARK_CONFIG_DIR/extcap/turtlecap"
cp "$(dirname "$TURTLECAP")/turtlecap-engines.so" "$WIRESHARK_CONFIG_DIR/extcap/"
chmod 755 "$WIRESHARK_CONFIG_DIR/extcap/turtlecap"
chmod 644 "$WIRESHARK_CONFIG_DIR/extcap/turtlecap-engines.so"
tshark -D >"$TC_TMP/D.txt" 2>/dev/null
tc_check "tshark -D shows the docker portal" \
	grep -qE '^[0-9]+\. tc-portal-docker \(turtlecap: [0-9]+ more docker containers \(pick one in the interface options\)\)$' "$TC_TMP/D.txt"
tc_check "tshark -D shows 10 individual interfaces" \
	[ "$(grep -E '^[0-9]+\. tc-' "$TC_TMP/D.txt" | grep -vcE '\. tc-(host|portal-[a-z-]+) ')" = 10 ]

# ws_capture NAME TSHARK-ARGS...: a live tshark capture of 6 s while both
# containers are asked every 0.3 s
ws_capture() {
	local name=$1 pid rc=0
	shift
	timeout 60 tshark "$@" -a duration:6 -w "$TC_TMP/$name.pcapng" \
		>"$TC_TMP/$name.out" 2>"$TC_TMP/$name.err" &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		curl -s -m 1 "http://$ip_pick:8080/" >/dev/null || true
		curl -s -m 1 "http://$ip_other:8080/" >/dev/null || true
		sleep 0.3
	done
	wait $pid || rc=$?
	[ $rc = 0 ] || { tc_log "tshark $* exited $rc:"; sed 's/^/    /' "$TC_TMP/$name.err" >&2; }
}
ws_capture unlisted -i "tc-docker-$pick"
tc_check "tshark -i on a value that is not listed captures it" \
	[ "$(tc_count "$TC_TMP/unlisted.pcapng" "ip.addr == $ip_pick && http.request")" -gt 0 ]
tc_check "... and nothing else" [ "$(tc_count "$TC_TMP/unlisted.pcapng" "ip.addr == $ip_other")" = 0 ]
ws_capture viaportal -i tc-portal-docker -o "extcap.tc_portal_docker.container:tc-docker-$pick"
tc_check "tshark through the portal (-o extcap.tc_portal_docker.container) captures $pick" \
	[ "$(tc_count "$TC_TMP/viaportal.pcapng" "ip.addr == $ip_pick && http.request")" -gt 0 ]
tc_check "... and nothing of $other" [ "$(tc_count "$TC_TMP/viaportal.pcapng" "ip.addr == $ip_other")" = 0 ]

# start-up cost, for the record: --extcap-interfaces at cap 10 and 100
for cap in 10 100; do
	t0=$(now_ms)
	for _ in $(seq 1 10); do TURTLECAP_MAX_INTERFACES=$cap "$TURTLECAP" --extcap-interfaces >/dev/null; done
	tc_log "--extcap-interfaces at cap $cap: $(( ($(now_ms) - t0) / 10 )) ms"
done
