#!/bin/sh
# Lets USER's tray write the status file the Proxmox host reads: /run/proxmox-sleep-agent (the status
# file, the pre-sleep notice) and /var/lib/proxmox-sleep-agent (the block override) become USER's,
# 0755, now and at every boot (a tmpfiles.d rule; it replaces the daemon package's rule of the same name,
# so install the tray or the daemon on a computer, not both). Run as root: setup-status-dir.sh USER
set -eu
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: setup-status-dir.sh USER   (the desktop user whose tray writes the status file)" >&2
  exit 64
fi
user=$1
if ! id -u "$user" >/dev/null 2>&1; then
  echo "setup-status-dir.sh: no such user: $user" >&2
  exit 67
fi
group=$(id -gn "$user")
root=${DPKG_ROOT:-}
conf="$root/etc/tmpfiles.d/proxmox-sleep-agent.conf"
mkdir -p "$(dirname "$conf")"
cat > "$conf" <<RULES
# Written by setup-status-dir.sh (Proxmox Sleep Agent tray): the tray of $user writes the status file.
d /run/proxmox-sleep-agent 0755 $user $group -
d /var/lib/proxmox-sleep-agent 0755 $user $group -
RULES
if [ -n "$root" ]; then
  systemd-tmpfiles --root="$root" --create "$conf"
else
  systemd-tmpfiles --create "$conf"
fi
echo "The tray of $user writes /run/proxmox-sleep-agent/status.json."
