#!/bin/bash
# Rootful podman as capture interfaces, its API asleep behind a socket
# activator like systemd's podman.socket: the listing wakes it (proven by
# the activator's log and the service process), names the container and
# the pod (one interface, infra container hidden), with pid and netns
# matching podman's own answers; the next listing while podman sleeps comes
# from the activator cache without waking it, until a container changes.
# Captures hold each one's traffic and nothing of the other's, and the
# metadata names them.
TC_TEST=pm
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"
FC_USER=tct-pm-fc
fc_cleanup() {
	local uid
	uid=$(id -u $FC_USER 2>/dev/null) || return 0
	pkill -KILL -u $FC_USER 2>/dev/null || true
	[ -e "/run/user/$uid/.tct-pm-made" ] && rm -rf "/run/user/$uid"
	userdel $FC_USER 2>/dev/null || true
}
tc_cleanup_hook() {
	fc_cleanup
	tc_podman_cleanup
}
fc_cleanup
export TURTLECAP_ACTIVATORS="systemd tc-sockact"

tc_podman_setup
tc_podman_reset
tc_sockact_start
ACTLOG=$TC_PODMAN_DIR/sockact.log
WEB=tct-pm-web POD=tct-pm-pod PWEB=tct-pm-pod-web PSIDE=tct-pm-pod-side
podman run -d --name $WEB --network $TC_PODMAN_NET $TC_PODMAN_IMAGE httpd -f -p 8080 -h /var/www >/dev/null
podman pod create --name $POD --network $TC_PODMAN_NET >/dev/null
podman run -d --name $PWEB --pod $POD $TC_PODMAN_IMAGE httpd -f -p 8080 -h /var/www >/dev/null
podman run -d --name $PSIDE --pod $POD $TC_PODMAN_IMAGE sleep 600 >/dev/null

ip_of() { podman inspect -f "{{(index .NetworkSettings.Networks \"$TC_PODMAN_NET\").IPAddress}}" "$1"; }
pid_web=$(podman inspect -f '{{.State.Pid}}' $WEB)
pid_pweb=$(podman inspect -f '{{.State.Pid}}' $PWEB)
id_web=$(podman inspect -f '{{.Id}}' $WEB)
infra=$(podman pod inspect -f '{{.InfraContainerID}}' $POD)
ip_web=$(ip_of $WEB)
ip_pod=$(ip_of "$infra")
ns_web=$(stat -L -c %i /proc/$pid_web/ns/net)
ns_pod=$(stat -L -c %i /proc/$pid_pweb/ns/net)
version=$(podman version -f '{{.Client.Version}}')
tc_log "web pid $pid_web netns $ns_web ip $ip_web; pod netns $ns_pod ip $ip_pod"

# asleep before the listing (its idle timeout ends any earlier activation)
tc_check "the podman service is asleep before the listing" tc_podman_wait_asleep
n0=$(grep -c ' activated pid ' "$ACTLOG" || true)
t0=$(now_ms)
"$TURTLECAP" --extcap-interfaces >"$TC_TMP/if1.txt"
t1=$(now_ms)
n1=$(grep -c ' activated pid ' "$ACTLOG" || true)
svc=$(tc_podman_service_pid || true)
tc_log "listing that woke podman: $((t1 - t0)) ms"
tc_check "the listing woke the service (one activation)" [ "$n1" = $((n0 + 1)) ]
tc_check "the woken service is a podman child of the activator" [ -n "$svc" ]
tc_check "web listed by name and engine" \
	grep -qx "interface {value=tc-podman-$WEB}{display=$WEB (podman)}" "$TC_TMP/if1.txt"
tc_check "the pod is one interface naming its containers" \
	grep -qE "^interface \{value=tc-podman-$POD\}\{display=$POD \(podman pod\): ($PWEB \+ $PSIDE|$PSIDE \+ $PWEB)\}$" "$TC_TMP/if1.txt"
tc_check "the pod's containers are no interfaces of their own" \
	bash -c "! grep -qE 'value=tc-podman-($PWEB|$PSIDE)}' '$TC_TMP/if1.txt'"
tc_check "the infra container never appears" bash -c "! grep -q -- '-infra' '$TC_TMP/if1.txt'"

"$TURTLECAP" --list >"$TC_TMP/list1.txt"
tc_check "--list: web with podman's pid and netns" \
	grep -q "container $WEB (podman)  \[tc-podman-$WEB\]  netns $ns_web, pid $pid_web httpd" "$TC_TMP/list1.txt"
tc_check "--list: the pod in its netns" grep -q "\[tc-podman-$POD\]  netns $ns_pod," "$TC_TMP/list1.txt"
tc_check "--list: podman found behind the activator, with its daemon" \
	grep -qE "^engine podman $version at $TC_PODMAN_SOCK \(pid [0-9]+\)" "$TC_TMP/list1.txt"

# podman sleeps again: the listing comes from the cache, nothing is woken
tc_check "the service went back to sleep" tc_podman_wait_asleep
t0=$(now_ms)
"$TURTLECAP" --extcap-interfaces >"$TC_TMP/if2.txt"
t1=$(now_ms)
n2=$(grep -c ' activated pid ' "$ACTLOG" || true)
tc_log "listing from the activator cache: $((t1 - t0)) ms"
tc_check "a listing while nothing changed does not wake podman" [ "$n2" = "$n1" ]
tc_check "... and lists the same interfaces" cmp -s "$TC_TMP/if1.txt" "$TC_TMP/if2.txt"
tc_check "... with nothing running meanwhile" bash -c "! pgrep -P $(cat "$TC_SOCKACT_PID") -x podman"
"$TURTLECAP" --list >"$TC_TMP/list2.txt"
tc_check "--list says podman is asleep and its containers cached" \
	grep -qE "^engine podman $version at $TC_PODMAN_SOCK \(asleep, activator tc-sockact pid [0-9]+; containers from cache\)" "$TC_TMP/list2.txt"

# a container started since: the cache is stale, podman is asked again
podman run -d --name tct-pm-new --network $TC_PODMAN_NET $TC_PODMAN_IMAGE sleep 600 >/dev/null
tc_podman_wait_asleep || true
"$TURTLECAP" --extcap-interfaces >"$TC_TMP/if3.txt"
n3=$(grep -c ' activated pid ' "$ACTLOG" || true)
tc_check "a new container makes the next listing wake podman" [ "$n3" = $((n2 + 1)) ]
tc_check "... and list it" grep -q "value=tc-podman-tct-pm-new}" "$TC_TMP/if3.txt"

# capture on web while web and the pod both get traffic
http_both() { # three requests to each, $1's first
	for _ in 1 2 3; do
		curl -s -m 2 "http://$1:8080/" >/dev/null
		curl -s -m 2 "http://$2:8080/" >/dev/null
	done
}
f=$TC_TMP/web.pcapng
tc_capture "$f" tc-podman-$WEB
http_both "$ip_web" "$ip_pod"
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "web capture holds web's HTTP" [ "$(tc_count "$f" "ip.addr == $ip_web && http.request")" -ge 3 ]
tc_check "web capture holds nothing of the pod" [ "$(tc_count "$f" "ip.addr == $ip_pod")" = 0 ]
desc=$(tshark -r "$f" -Y http -T fields -e frame.interface_description 2>/dev/null | head -1)
tc_check "metadata: container web, id" grep -q "\"kind\":\"container\",\"container\":\"$WEB\",\"id\":\"$id_web\"" <<<"$desc"
tc_check "metadata: engine podman and version" grep -q "\"engine\":\"podman\",\"engine_version\":\"$version\"" <<<"$desc"
tc_check "metadata: netns and pid" grep -q "\"netns\":$ns_web,\"pid\":$pid_web," <<<"$desc"

# capture on the pod: traffic from outside and from inside the pod
f=$TC_TMP/pod.pcapng
tc_capture "$f" tc-podman-$POD
http_both "$ip_pod" "$ip_web"
podman exec $PSIDE wget -q -O /dev/null http://127.0.0.1:8080/
sleep 0.3
tc_capture_stop $TC_CAP_PID
tc_check "pod capture holds the pod's HTTP" [ "$(tc_count "$f" "ip.addr == $ip_pod && http.request")" -ge 3 ]
tc_check "pod capture holds nothing of web" [ "$(tc_count "$f" "ip.addr == $ip_web")" = 0 ]
tc_check "pod capture holds the sidecar's request on lo" \
	[ "$(tc_count "$f" "frame.interface_name == \"tc-podman-$POD/lo\" && http.request")" -ge 1 ]
desc=$(tshark -r "$f" -Y http -T fields -e frame.interface_description 2>/dev/null | head -1)
tc_check "metadata: kind pod, the pod's name" grep -q "\"kind\":\"pod\",.*\"pod\":\"$POD\"" <<<"$desc"
tc_check "metadata: members without the infra container" \
	grep -qE "\"members\":\[(\"$PWEB\",\"$PSIDE\"|\"$PSIDE\",\"$PWEB\")\]" <<<"$desc"
tc_check "metadata: lineage host > pod" \
	grep -q "\"lineage\":\[{\"kind\":\"host\",\"name\":\"[^\"]*\"},{\"kind\":\"pod\",\"name\":\"$POD\",\"engine\":\"podman\"" <<<"$desc"

# the product executes nothing, even when it wakes an engine
podman run -d --name tct-pm-new2 --network none $TC_PODMAN_IMAGE sleep 600 >/dev/null
n=$(ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve "$TURTLECAP" --extcap-interfaces 2>&1 >/dev/null | grep -c 'execve(' || true)
tc_check "a listing that wakes podman runs no program ($n execve)" [ "$n" = 1 ]

# As a user with the package's file capabilities (a copy of turtlecap
# and its module, setcap'd as the .deb's postinst does), no
# XDG_RUNTIME_DIR: the listing that wakes podman keeps its answer in
# /run/user/UID/turtlecap, the user's own files (written with no
# capability effective), and the next one while podman sleeps comes from
# there without waking it.
useradd -M -d / -s /usr/sbin/nologin $FC_USER
fc_uid=$(id -u $FC_USER)
if [ ! -d "/run/user/$fc_uid" ]; then
	mkdir -p -m 0700 "/run/user/$fc_uid"
	touch "/run/user/$fc_uid/.tct-pm-made"
	chown -R $FC_USER: "/run/user/$fc_uid"
fi
FC=$TC_TMP/fc
mkdir -p "$FC"
cp "$TURTLECAP" "$(dirname "$TURTLECAP")/turtlecap-engines.so" "$FC/"
chmod 0755 "$FC" "$FC"/*
setcap cap_dac_override,cap_net_raw,cap_sys_ptrace,cap_sys_admin=p "$FC/turtlecap"
# (no leak check: LeakSanitizer cannot attach to a process with file
# capabilities)
as_fc() {
	runuser -u $FC_USER -- env -u XDG_RUNTIME_DIR ASAN_OPTIONS=detect_leaks=0 \
		TURTLECAP_ACTIVATORS="$TURTLECAP_ACTIVATORS" "$FC/turtlecap" "$@"
}
tc_podman_wait_asleep || true
n4=$(grep -c ' activated pid ' "$ACTLOG" || true)
t0=$(now_ms)
as_fc --extcap-interfaces >"$TC_TMP/fc1.txt"
t1=$(now_ms)
tc_log "file capabilities, listing that woke podman: $((t1 - t0)) ms"
n5=$(grep -c ' activated pid ' "$ACTLOG" || true)
tc_check "file capabilities: the listing woke podman" [ "$n5" = $((n4 + 1)) ]
tc_check "... and lists web" grep -qx "interface {value=tc-podman-$WEB}{display=$WEB (podman)}" "$TC_TMP/fc1.txt"
fc_files=$(find "/run/user/$fc_uid/turtlecap" -name 'act-*.cache' -user $FC_USER -perm 0600 2>/dev/null | wc -l)
tc_check "... kept in /run/user/$fc_uid/turtlecap, the user's files, 0600 ($fc_files)" [ "$fc_files" -ge 1 ]
tc_check "the service went back to sleep" tc_podman_wait_asleep
t0=$(now_ms)
as_fc --extcap-interfaces >"$TC_TMP/fc2.txt"
t1=$(now_ms)
tc_log "file capabilities, listing from the activator cache: $((t1 - t0)) ms"
n6=$(grep -c ' activated pid ' "$ACTLOG" || true)
tc_check "file capabilities: the next listing does not wake podman" [ "$n6" = "$n5" ]
tc_check "... and lists the same interfaces" cmp -s "$TC_TMP/fc1.txt" "$TC_TMP/fc2.txt"
