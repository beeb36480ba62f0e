#!/bin/bash
# The Debian package end to end: built with CPack from a build of its own,
# installed with dpkg; as a user in group wireshark (made here) `tshark -D`
# lists a real docker container and an `ip netns`, `tshark -i` captures
# the container's real traffic, and the running capture holds no
# capability; a user outside the group is refused; `man turtlecap`
# documents every option, the interface names and the config files; a
# personal (no root) install works for Wireshark 4.0; `dpkg --purge`
# leaves nothing, and what was installed before (packaging/setup.sh) is
# put back as it was.
TC_TEST=pk
. "$TC_TESTS/integration/lib.sh"
. "$TC_TESTS/integration/engines-lib.sh"

SRC=$(cd "$TC_TESTS/.." && pwd)
PKG=turtlecap
IN=tct-pk-in OUT=tct-pk-out
WEB=tct-pk-web NS=tct-pk-ns
B=$TC_TMP/build
SAVED=$TC_TMP/saved.tar
export LANG=C LC_ALL=C
unset WIRESHARK_EXTCAP_DIR WIRESHARK_PLUGIN_DIR WIRESHARK_CONFIG_DIR
for tool in cpack dpkg-deb file setcap getcap man runuser useradd; do
	command -v "$tool" >/dev/null || tc_fail "$tool is missing (packaging/setup.sh installs it)"
done

pk_users_del() {
	local u
	for u in $IN $OUT; do
		if id "$u" >/dev/null 2>&1; then
			pkill -KILL -u "$u" 2>/dev/null || true
			userdel "$u" 2>/dev/null || true
		fi
	done
}
# What this test changes outside TC_TMP, undone whatever happened: the
# package purged, the files it replaced restored, the users gone.
pk_restore() {
	if dpkg-query -W -f='${Status}' $PKG 2>/dev/null | grep -q 'installed'; then
		dpkg --purge $PKG >/dev/null 2>&1 || true
	fi
	rm -f "${HOME_IN:-/nonexistent}/.local/bin/turtlecap" 2>/dev/null || true
	if [ -s "$SAVED" ]; then
		tar --xattrs --xattrs-include='security.*' -C / -xpf "$SAVED"
		rm -f "$SAVED"
	fi
}
tc_cleanup_hook() {
	pk_restore
	pk_users_del
	tc_engines_cleanup
}
pk_users_del

# --- build the .deb (a build of its own, installing under /usr)
tc_log "building the package in $B"
cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
	-DTURTLECAP_WERROR=OFF >"$TC_TMP/cmake.log" 2>&1 || { cat "$TC_TMP/cmake.log"; tc_fail "cmake"; }
cmake --build "$B" -j"$(nproc)" --target turtlecap turtlecap-engines turtle >"$TC_TMP/build.log" 2>&1 ||
	{ tail -30 "$TC_TMP/build.log"; tc_fail "build"; }
(cd "$B" && cpack -G DEB >"$TC_TMP/cpack.log" 2>&1) || { cat "$TC_TMP/cpack.log"; tc_fail "cpack"; }
deb=$(ls "$B"/turtlecap_*.deb)
tc_check "cpack made one .deb" [ "$(echo "$deb" | wc -l)" = 1 ]
dpkg-deb -f "$deb" Depends >"$TC_TMP/depends"
for d in libpcap0.8 libjansson4 libcurl4 libglib2.0-0 wireshark-common libcap2-bin; do
	tc_check "declares Depends: $d" grep -q "$d" "$TC_TMP/depends"
done
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' >"$TC_TMP/files"
EXTCAP=$(grep '/wireshark/extcap/turtlecap$' "$TC_TMP/files")
tc_check "ships the extcap, module, plugin, man page and docs" bash -c "
	grep -q '/wireshark/extcap/turtlecap$' '$TC_TMP/files' &&
	grep -q '/turtlecap/turtlecap-engines.so$' '$TC_TMP/files' &&
	grep -q '/plugins/4.0/epan/turtle.so$' '$TC_TMP/files' &&
	grep -q '^/usr/share/man/man1/turtlecap.1' '$TC_TMP/files' &&
	grep -q '^/usr/share/doc/turtlecap/security.md$' '$TC_TMP/files'"

# --- what is there now (setup.sh's install), to be put back after purge
had_group=0
getent group wireshark >/dev/null && had_group=1
existing=()
while read -r f; do
	[ -e "$f" ] || [ -L "$f" ] && existing+=("$f")
done < <(cat "$TC_TMP/files"; echo /usr/local/bin/turtlecap; echo /run/turtlecap)
if [ ${#existing[@]} -gt 0 ]; then
	tar --xattrs --xattrs-include='security.*' -C / -cpf "$SAVED" "${existing[@]#/}"
fi
tc_log "saved ${#existing[@]} paths installed before; group wireshark existed: $had_group"

# --- install
dpkg -i "$deb" >"$TC_TMP/dpkg.log" 2>&1 || { cat "$TC_TMP/dpkg.log"; tc_fail "dpkg -i"; }
tc_check "dpkg: installed" bash -c "dpkg-query -W -f='\${Status}' $PKG | grep -q 'install ok installed'"
tc_check "extcap root:wireshark 0750" [ "$(stat -c '%U:%G %a' "$EXTCAP")" = "root:wireshark 750" ]
getcap "$EXTCAP" >"$TC_TMP/getcap"
tc_log "$(cat "$TC_TMP/getcap")"
tc_check "file capabilities: permitted only, the four needed" \
	grep -qE " cap_dac_override,cap_net_raw,cap_sys_ptrace,cap_sys_admin[=+]p$" "$TC_TMP/getcap"

# --- users, a container, a namespace
HOME_IN=$TC_TMP/home-in HOME_OUT=$TC_TMP/home-out
useradd -M -d "$HOME_IN" -s /bin/bash -G wireshark $IN
useradd -M -d "$HOME_OUT" -s /bin/bash $OUT
mkdir -p "$HOME_IN" "$HOME_OUT"
chown $IN: "$HOME_IN"
chown $OUT: "$HOME_OUT"
as_in() { runuser -u $IN -- env HOME="$HOME_IN" "$@"; }
as_out() { runuser -u $OUT -- env HOME="$HOME_OUT" "$@"; }

tc_dockerd_start
tc_docker_reset
tc_docker_image
docker run -d --name $WEB $TC_IMAGE httpd -f -p 8080 -h /var/www >/dev/null
ip_web=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' $WEB)
ip netns add $NS
ip -n $NS link set lo up

# --- a member of group wireshark
as_in tshark -D >"$TC_TMP/D-in.txt" 2>"$TC_TMP/D-in.err" || true
tc_log "tshark -D: $(grep -E ' tc-' "$TC_TMP/D-in.txt" | tr '\n' ' ')"
tc_check "tshark -D (group member) lists the container" grep -qE "^[0-9]+\. tc-docker-$WEB " "$TC_TMP/D-in.txt"
tc_check "tshark -D (group member) lists the ip netns" grep -qE "^[0-9]+\. tc-netns-$NS " "$TC_TMP/D-in.txt"

f=$HOME_IN/f.pcapng
as_in timeout 60 tshark -i "tc-docker-$WEB" -f 'tcp port 8080' -c 5 -w "$f" >"$TC_TMP/cap.out" 2>&1 &
tshark_pid=$!
cap_pid=
for _ in $(seq 1 100); do
	cap_pid=$(pgrep -u $IN -f -- "turtlecap --capture" | head -1 || true)
	[ -n "$cap_pid" ] && break
	sleep 0.1
done
[ -n "$cap_pid" ] || { cat "$TC_TMP/cap.out"; tc_fail "no turtlecap capture started"; }
tc_check "Wireshark's defaults ask for promiscuous mode (no CAP_NET_ADMIN granted)" \
	grep -q -- '--promisc' <(tr '\0' '\n' </proc/"$cap_pid"/cmdline)
# the capture thread drops its capabilities once its handles are open
caps_of() { cat /proc/"$cap_pid"/task/*/status 2>/dev/null | grep -E '^(CapEff|CapPrm|NoNewPrivs):' | sort | uniq -c; }
for _ in $(seq 1 50); do
	n=$(ls /proc/"$cap_pid"/task | wc -l)
	[ "$n" -ge 2 ] && caps_of | grep -q "^ *$n CapPrm:.0000000000000000" && break
	sleep 0.1
done
caps_of >"$TC_TMP/caps.txt"
grep -E '^Cap(Eff|Prm)' /proc/"$cap_pid"/status >"$TC_TMP/status.txt"
tc_log "capture pid $cap_pid: $(tr '\n\t' '  ' <"$TC_TMP/status.txt")"
tc_check "running capture: /proc/PID/status CapEff and CapPrm are 0" \
	[ "$(grep -c ':.0000000000000000$' "$TC_TMP/status.txt")" = 2 ]
tc_check "running capture: every thread (main and capture) CapEff=CapPrm=0, no-new-privs" bash -c "
	n=\$(awk '{ print \$1 }' '$TC_TMP/caps.txt' | sort -u)
	[ \$(echo \"\$n\" | wc -l) = 1 ] && [ \"\$n\" -ge 2 ] &&
	grep -q 'CapEff:.0000000000000000' '$TC_TMP/caps.txt' &&
	grep -q 'CapPrm:.0000000000000000' '$TC_TMP/caps.txt' &&
	grep -q 'NoNewPrivs:.1' '$TC_TMP/caps.txt' && [ \$(wc -l <'$TC_TMP/caps.txt') = 3 ]"
for _ in $(seq 1 40); do
	kill -0 $tshark_pid 2>/dev/null || break
	curl -s -m 1 "http://$ip_web:8080/" >/dev/null || true
	sleep 0.2
done
wait $tshark_pid || { cat "$TC_TMP/cap.out"; tc_fail "tshark -i tc-docker-$WEB failed"; }
tc_check "captured 5 packets of the container's traffic" \
	[ "$(tshark -r "$f" -Y "ip.addr == $ip_web && tcp.port == 8080" 2>/dev/null | wc -l)" = 5 ]
tc_check "the capture names the container" bash -c \
	"tshark -r '$f' -T fields -e frame.interface_name 2>/dev/null | grep -q '^tc-docker-$WEB/eth0$'"

# a missing capability is one line naming it (a copy without file caps)
cp "$EXTCAP" "$TC_TMP/nocaps" && chmod 0755 "$TC_TMP/nocaps"
as_in touch "$HOME_IN/none.pcapng"
as_in "$TC_TMP/nocaps" --capture --extcap-interface "tc-netns-$NS" --fifo "$HOME_IN/none.pcapng" \
	>/dev/null 2>"$TC_TMP/nocaps.err" || true
tc_check "without privileges: one line naming CAP_SYS_ADMIN" bash -c "
	[ \$(wc -l <'$TC_TMP/nocaps.err') = 1 ] && grep -q 'missing CAP_SYS_ADMIN' '$TC_TMP/nocaps.err'"

# --- a user outside the group
as_out "$EXTCAP" --list >"$TC_TMP/out.txt" 2>&1 && tc_fail "a non-member ran turtlecap"
tc_log "non-member: $(cat "$TC_TMP/out.txt")"
tc_check "non-member: refused with Permission denied" grep -q "Permission denied" "$TC_TMP/out.txt"
as_out tshark -D >"$TC_TMP/D-out.txt" 2>&1 || true
tc_check "non-member: tshark -D lists no turtlecap interface" bash -c "! grep -qE '^[0-9]+\. tc-' '$TC_TMP/D-out.txt'"
as_out timeout 30 tshark -i "tc-docker-$WEB" -c 1 -w "$HOME_OUT/x.pcapng" >"$TC_TMP/cap-out.txt" 2>&1 &&
	tc_fail "a non-member captured"
tc_log "non-member tshark -i: $(tr '\n' ' ' <"$TC_TMP/cap-out.txt")"

# --- the man page
MANWIDTH=80 man -P cat turtlecap >"$TC_TMP/man.txt" 2>"$TC_TMP/man.err" || { cat "$TC_TMP/man.err"; tc_fail "man turtlecap"; }
tc_check "man turtlecap renders" grep -q "^TURTLECAP(1)" "$TC_TMP/man.txt"
"$EXTCAP" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$TC_TMP/help-opts"
missing=$(while read -r o; do grep -qF -- "$o" "$TC_TMP/man.txt" || echo "$o"; done <"$TC_TMP/help-opts")
tc_check "man documents every option of --help ($(wc -l <"$TC_TMP/help-opts")): ${missing:-all there}" [ -z "$missing" ]
for o in --extcap-version --extcap-dlts --extcap-reload-option --extcap-control-in --extcap-control-out --debug --version; do
	tc_check "man documents $o" grep -qF -- "$o" "$TC_TMP/man.txt"
done
for v in tc-host tc-netns-NAME tc-ns-INODE tc-ENGINE-NAME tc-portal-GROUP _xx; do
	tc_check "man: interface naming $v" grep -qF -- "$v" "$TC_TMP/man.txt"
done
tc_check "man: config files" bash -c "grep -qF /etc/turtlecap/turtlecap.conf '$TC_TMP/man.txt' &&
	grep -qF '~/.config/turtlecap/turtlecap.conf' '$TC_TMP/man.txt' && grep -qF TURTLECAP_ '$TC_TMP/man.txt'"
for k in $("$EXTCAP" --show-config | awk '{ print $1 }'); do
	tc_check "man: setting $k" grep -qE "^ +$k( |$)" "$TC_TMP/man.txt"
done

# --- purge: nothing of the package is left
dpkg --purge $PKG >"$TC_TMP/purge.log" 2>&1 || { cat "$TC_TMP/purge.log"; tc_fail "dpkg --purge"; }
tc_check "purge: dpkg knows no file of it" bash -c "! dpkg -L $PKG >/dev/null 2>&1 && ! dpkg-query -W $PKG >/dev/null 2>&1"
left=$(while read -r f; do if [ -e "$f" ] || [ -L "$f" ]; then echo "$f"; fi; done <"$TC_TMP/files")
tc_check "purge: every file gone ${left:+(left: $left)}" [ -z "$left" ]
tc_check "purge: /run/turtlecap and /var/lib/turtlecap gone" bash -c "[ ! -e /run/turtlecap ] && [ ! -e /var/lib/turtlecap ]"
if [ $had_group = 0 ]; then
	tc_check "purge: the group wireshark it made is gone" bash -c "! getent group wireshark >/dev/null"
else
	tc_check "purge: the group wireshark that was there stays" getent group wireshark
fi
pk_users_del
tc_check "test users and their group membership gone" bash -c "
	! id $IN >/dev/null 2>&1 && ! id $OUT >/dev/null 2>&1 && ! getent group | grep -q $IN"

# --- a personal install (no root, Wireshark 4.0 folders), while no
# global turtlecap is installed
useradd -M -d "$HOME_IN" -s /bin/bash $IN
chown -R $IN: "$HOME_IN" "$B"
as_in cmake -S "$SRC" -B "$B" -DTURTLECAP_PERSONAL=ON >"$TC_TMP/personal.log" 2>&1 &&
	as_in cmake --build "$B" -j"$(nproc)" --target turtlecap turtlecap-engines turtle >>"$TC_TMP/personal.log" 2>&1 &&
	as_in cmake --install "$B" >>"$TC_TMP/personal.log" 2>&1 || { tail -20 "$TC_TMP/personal.log"; tc_fail "personal install"; }
tc_check "personal: extcap in ~/.config/wireshark/extcap, module beside it not executable" bash -c "
	[ -x '$HOME_IN/.config/wireshark/extcap/turtlecap' ] &&
	[ -f '$HOME_IN/.config/wireshark/extcap/turtlecap-engines.so' ] &&
	[ ! -x '$HOME_IN/.config/wireshark/extcap/turtlecap-engines.so' ] && [ -L '$HOME_IN/.local/bin/turtlecap' ]"
as_in tshark -D >"$TC_TMP/D-personal.txt" 2>&1 || true
tc_check "personal: tshark -D lists tc-host and the ip netns" bash -c "
	grep -qE '^[0-9]+\. tc-host ' '$TC_TMP/D-personal.txt' && grep -qE '^[0-9]+\. tc-netns-$NS ' '$TC_TMP/D-personal.txt'"
as_in tshark -G plugins >"$TC_TMP/G-personal.txt" 2>&1 || true
tc_check "personal: tshark loads the plugin from ~/.local/lib/wireshark/plugins/4.0/epan" \
	grep -q "^turtle\.so.*$HOME_IN/.local/lib/wireshark/plugins/4.0/epan/turtle.so" "$TC_TMP/G-personal.txt"
pk_users_del

# --- what setup.sh installed is back, with its capabilities (none)
pk_restore
back=$(for f in "${existing[@]}"; do [ -e "$f" ] || [ -L "$f" ] || echo "$f"; done)
tc_check "restored what was installed before ${back:+(missing: $back)}" [ -z "$back" ]
