#!/bin/bash
# Network namespace discovery on real kernel objects: named netns, netns
# kept only by a bind mount in another mount namespace, anonymous
# container-like namespaces, unprivileged sandboxes (hidden by default),
# and processes vanishing while turtlecap scans.
TC_TEST=disc
. "$TC_TESTS/integration/lib.sh"

tc_pair a b tcda tcdb 4
A=tct-disc-a B=tct-disc-b
tc_check "ping across the veth pair" ip netns exec $B ping -c 1 -W 2 198.51.100.5 >/dev/null

# A process inside A: the representative shown for the namespace.
tc_bg sleeper ip netns exec $A sleep 600
SLEEPER=$TC_BG_PID
sleep 0.3

out=$("$TURTLECAP" --extcap-interfaces --extcap-version=4.0)
echo "$out" >"$TC_TMP/interfaces.txt"
tc_check "extcap sentence first" [ "$(head -1 <<<"$out" | cut -c1-8)" = "extcap {" ]
tc_check "host listed" grep -q '^interface {value=tc-host}{display=' <<<"$out"
tc_check "netns A listed with its name" grep -q "^interface {value=tc-netns-$A}{display=[^}]*$A" <<<"$out"
tc_check "netns B listed with its name" grep -q "^interface {value=tc-netns-$B}{display=[^}]*$B" <<<"$out"
tc_check "representative of A is the sleep" grep -q "^interface {value=tc-netns-$A}{display=[^}]*(sleep, pid $SLEEPER)" <<<"$out"
tc_check "every value is safe" bash -c "! grep '^interface' '$TC_TMP/interfaces.txt' | grep -vE '^interface \{value=tc-[A-Za-z0-9_.-]+\}\{display=[^{}]*\}$'"

# --list: the tree, with the links listed from inside each namespace
list=$("$TURTLECAP" --list)
echo "$list" >"$TC_TMP/list.txt"
inoA=$(tc_ns_inode $A)
tc_check "--list shows A with its inode" grep -q "netns $A  \[tc-netns-$A\]  netns $inoA" <<<"$list"
tc_check "--list shows A's veth from inside A" bash -c "grep -A1 'netns $A ' '$TC_TMP/list.txt' | grep -q 'tcda (ether, veth)'"
tc_check "--list does not show B's veth under A" bash -c "! grep -A1 'netns $A ' '$TC_TMP/list.txt' | grep -q tcdb"
tc_check "--list host line" grep -q '^host .*\[tc-host\]  netns '"$(stat -L -c %i /proc/self/ns/net)" <<<"$list"

# A namespace kept alive only by a bind mount in a private mount namespace
# (not under /run/netns, not in our mount table, no process inside): found
# through that mount namespace's mountstats, opened through /proc/PID/root.
# Beside it, a bind-mounted UTS namespace (nsfs too) is no netns.
rm -f "$TC_TMP/hidden.ino"
tc_bg hidden-holder unshare --mount --propagation private bash -c '
	f=/tmp/.tct-disc-nsfile; touch $f
	u=/tmp/.tct-disc-utsfile; touch $u; mount --bind /proc/self/ns/uts $u
	unshare --net bash -c "ip link set lo up && mount --bind /proc/self/ns/net $f && stat -L -c %i /proc/self/ns/net >'"$TC_TMP"'/hidden.ino"
	exec sleep 600'
for i in $(seq 50); do [ -s "$TC_TMP/hidden.ino" ] && break; sleep 0.1; done
hidden_ino=$(cat "$TC_TMP/hidden.ino")
tc_check "bind mount is not in our mount table" bash -c "! grep -q 'net:\[$hidden_ino\]' /proc/self/mountinfo"
out=$("$TURTLECAP" --extcap-interfaces)
tc_check "namespace bound in a private mount ns listed" grep -q "^interface {value=tc-ns-$hidden_ino}" <<<"$out"
# mountstats is 0400 and root's: without CAP_DAC_OVERRIDE (an unprivileged
# user with CAP_SYS_PTRACE alone) the mount table is mountinfo
as_ptracer() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace "$@"
}
tc_check "... found with CAP_SYS_PTRACE alone too (mountinfo)" \
	bash -c "$(declare -f as_ptracer); as_ptracer '$TURTLECAP' --extcap-interfaces | grep -q '^interface {value=tc-ns-$hidden_ino}'"
uts_ino=$(stat -L -c %i /proc/self/ns/uts)
tc_check "a bind-mounted UTS namespace is not taken for a netns" \
	bash -c "grep -q ' /tmp/.tct-disc-utsfile ' /proc/$TC_BG_PID/mountinfo && ! '$TURTLECAP' --list --all | grep -q 'netns $uts_ino'"
tc_check "--list says it is kept by a bind mount" bash -c "'$TURTLECAP' --list | grep -F '[tc-ns-$hidden_ino]' | grep -q 'kept by a bind mount'"
: >"$TC_TMP/hidden.pcapng"
timeout 10 "$TURTLECAP" --capture --extcap-interface "tc-ns-$hidden_ino" --fifo "$TC_TMP/hidden.pcapng" 2>"$TC_TMP/hidden.err" &
hp=$!
sleep 0.5
kill -TERM $hp; rc=0; wait $hp || rc=$?
tc_check "capture through the other mount namespace's bind mount works" [ $rc = 0 ]
tc_check "... and describes that namespace" bash -c "tshark -r '$TC_TMP/hidden.pcapng' >/dev/null && capinfos '$TC_TMP/hidden.pcapng' | grep -q '\"netns\":$hidden_ino'"

# A container-like namespace (own mount, pid and net namespaces; only lo)
# is listed by default; an unprivileged sandbox (own user namespace, only
# lo) is hidden unless TURTLECAP_LIST=all.
tc_bg container unshare --fork --kill-child --pid --mount --net --mount-proc sleep 600
sleep 0.3
cpid=$(pgrep -P "$TC_BG_PID" sleep || echo "$TC_BG_PID")
cont_ino=$(stat -L -c %i /proc/$cpid/ns/net)
tc_bg sandbox setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user --net sleep 600
sleep 0.3
sbox_ino=$(stat -L -c %i /proc/$TC_BG_PID/ns/net)
tc_check "sandbox is in a netns of its own" [ "$sbox_ino" != "$(stat -L -c %i /proc/self/ns/net)" ]
out=$("$TURTLECAP" --extcap-interfaces)
tc_check "container-like namespace listed" grep -q "^interface {value=tc-ns-$cont_ino}" <<<"$out"
tc_check "sandbox hidden by default" tc_lacks "$out" "value=tc-ns-$sbox_ino}"
out=$(TURTLECAP_LIST=all "$TURTLECAP" --extcap-interfaces)
tc_check "sandbox listed with TURTLECAP_LIST=all" grep -q "^interface {value=tc-ns-$sbox_ino}" <<<"$out"
tc_check "--list says how many are hidden" grep -q 'hidden: .*--all' <("$TURTLECAP" --list)

# Ground truth: every namespace lsns knows (it reads processes only) is
# found.
"$TURTLECAP" --list --all >"$TC_TMP/list-all.txt"
missing=0
for ino in $(lsns -t net -n -o NS); do
	if ! grep -qE "netns $ino(\$|[ ,])" "$TC_TMP/list-all.txt"; then
		echo "lsns has $ino, turtlecap does not"
		missing=$((missing + 1))
	fi
done
tc_check "every namespace lsns lists is found" [ $missing = 0 ]

# The mount table is read once per mount namespace, not once per process.
if command -v strace >/dev/null; then
	n_mntns=$(for p in /proc/[0-9]*; do stat -L -c %i $p/ns/mnt 2>/dev/null; done | sort -u | wc -l)
	n_reads=$(ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=openat "$TURTLECAP" --extcap-interfaces 2>&1 >/dev/null |
		grep -c '/mountstats"' || true)
	tc_log "mount namespaces: $n_mntns, mountstats reads: $n_reads"
	tc_check "mountstats read at most once per mount namespace" [ "$n_reads" -le "$n_mntns" ]
	tc_check "mountstats read at all" [ "$n_reads" -ge 1 ]
fi

# Processes vanish mid-scan: normal control flow, never an error.
tc_bg churn bash -c 'while :; do for i in $(seq 40); do (sleep 0.0$((RANDOM % 9)) &) ; done; sleep 0.02; done'
fails=0
for i in $(seq 30); do
	if ! out=$("$TURTLECAP" --extcap-interfaces 2>"$TC_TMP/churn.err") ||
		! grep -q '{value=tc-host}' <<<"$out" || ! grep -q "{value=tc-netns-$A}" <<<"$out" ||
		[ -s "$TC_TMP/churn.err" ]; then
		fails=$((fails + 1))
	fi
done
kill "$TC_BG_PID" 2>/dev/null || true
tc_check "30 listings under process churn all complete and quiet" [ $fails = 0 ]

# Deleting a namespace removes it from the list.
ip netns pids $B | xargs -r kill
ip netns del $B
out=$("$TURTLECAP" --extcap-interfaces)
tc_check "deleted netns B no longer listed" tc_lacks "$out" "value=tc-netns-$B}"
