#!/usr/bin/env bash
# Takes away what install.sh installed (the list it wrote), after stopping and disabling the units. The
# configuration and the logs stay unless --purge. A package installed with apt is removed with apt instead.
set -euo pipefail

usage() {
	cat <<'EOF'
usage: uninstall.sh [options]
  --agent        remove the guest agent (proxmox-sleep-agent) instead of the host tool
  --purge        also remove the configuration and the logs (host: rotated logs too; agent: its state)
  -y, --yes      ask nothing
  --prefix DIR   the DIR given to install.sh --prefix
  -h, --help     this text
EOF
}

die() {
	echo "uninstall.sh: $*" >&2
	exit "${code:-1}"
}

agent=0 purge=0 yes=0 prefix=""
while [ $# -gt 0 ]; do
	case "$1" in
	--agent) agent=1 ;;
	--purge) purge=1 ;;
	-y | --yes) yes=1 ;;
	--prefix) prefix=${2?--prefix needs a directory} && shift ;;
	-h | --help) usage && exit 0 ;;
	*) usage >&2 && code=64 die "unknown option: $1" ;;
	esac
	shift
done
if [ -n "$prefix" ]; then prefix=$(cd "$prefix" && pwd) || code=64 die "--prefix: no such directory"; fi

if [ "$agent" = 1 ]; then
	name=proxmox-sleep-agent manifest_dir=/var/lib/proxmox-sleep-agent
	units=(proxmox-sleep-agent.service) state_dir=/run/proxmox-sleep-agent
	keep=(/etc/proxmox-sleep/agent.json) purge_also=(/var/lib/proxmox-sleep-agent)
else
	name=proxmox-sleep manifest_dir=/var/lib/proxmox-sleep
	units=(proxmox-sleep.service proxmox-sleep-hook.service) state_dir=/run/proxmox-sleep
	keep=(/etc/proxmox-sleep.conf /var/log/proxmox-idle-monitor.log /var/log/proxmox-sleep-manager.log)
	purge_also=(/var/lib/proxmox-sleep)
fi
manifest="$prefix$manifest_dir/install-manifest"

if [ -z "$prefix" ]; then
	[ "$(id -u)" = 0 ] || die "run as root (sudo ./uninstall.sh)"
	if dpkg-query -W -f='${db:Status-Status}' "$name" 2>/dev/null | grep -qx installed; then
		die "$name was installed as a package: apt remove $name (or apt purge $name)"
	fi
fi
[ -f "$manifest" ] || die "$manifest not found: $name was not installed by install.sh${prefix:+ into $prefix}"

if [ "$yes" = 0 ]; then
	[ -t 0 ] || code=64 die "standard input is not a terminal: pass --yes"
	read -r -p "Remove $name from ${prefix:-/}$([ "$purge" = 1 ] && echo ", with its configuration and logs")? [y/N]: " answer
	[[ ${answer:-n} =~ ^[yY] ]] || die "nothing removed"
fi

if [ -z "$prefix" ]; then
	for unit in "${units[@]}"; do
		# The hook is active only during a suspend, and stopping it would run its post-wake.
		if [ -d /run/systemd/system ] && [ "$unit" != proxmox-sleep-hook.service ]; then
			systemctl stop "$unit" 2>/dev/null || true
		fi
		systemctl disable --quiet "$unit" 2>/dev/null || true
	done
fi

state="$prefix$state_dir/sleep-manager.state"
if [ "$agent" = 0 ] && [ -f "$state" ] && grep -Eq '=(hibernated|shutdown|was_shutdown)$' "$state"; then
	echo "These guests were put to sleep by proxmox-sleep and were not started again:" >&2
	grep -E '=(hibernated|shutdown|was_shutdown)$' "$state" | sed 's/^/  /' >&2
	echo "  Start them yourself (qm start <id> / pct start <id>)." >&2
fi
rm -rf "$prefix$state_dir"

kept=()
while read -r kind dest; do
	[ -n "$dest" ] || continue
	if [ "$purge" = 0 ] && [ "$kind" = conffile ] && printf '%s\n' "${keep[@]}" | grep -qxF "$dest"; then
		continue
	fi
	rm -f "$prefix$dest"
	# Directories the install created, now empty (never / or a shared one that still holds something).
	dir=$(dirname "$dest")
	while [ "$dir" != / ] && rmdir "$prefix$dir" 2>/dev/null; do dir=$(dirname "$dir"); done
done <"$manifest"
rm -f "$manifest"

if [ "$purge" = 1 ]; then
	for p in "${keep[@]}" "${purge_also[@]}"; do rm -rf "$prefix$p"; done
	if [ "$agent" = 0 ]; then
		rm -f "$prefix"/var/log/proxmox-idle-monitor.log.* "$prefix"/var/log/proxmox-sleep-manager.log.*
	fi
	rmdir "$prefix/etc/proxmox-sleep" 2>/dev/null || true
else
	for p in "${keep[@]}"; do [ -e "$prefix$p" ] && kept+=("$prefix$p"); done
fi
rmdir "$prefix$manifest_dir" 2>/dev/null || true
if [ -z "$prefix" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi

echo "Removed $name."
if [ ${#kept[@]} -gt 0 ]; then
	echo "Kept: ${kept[*]} (--purge removes them)"
fi
