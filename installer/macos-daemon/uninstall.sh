#!/bin/sh
# Removes the headless agent's LaunchDaemon (install.sh) from macOS. Keeps the status folder
# (/Library/Application Support/ProxmoxSleep: agent.json, the block setting; the tray uses it too) and the
# log unless --purge. ROOT removes from another root (launchd is then left alone).
#
#   sudo ./uninstall.sh [--purge]
set -eu
LABEL=org.proxmox-sleep.agent.daemon
purge=no
case ${1:-} in
  '') ;;
  --purge) purge=yes ;;
  *) echo "usage: uninstall.sh [--purge]" >&2; exit 64 ;;
esac
root=${ROOT:-}
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
  echo "uninstall.sh: run it as root: sudo $0" >&2
  exit 77
fi

plist="$root/Library/LaunchDaemons/$LABEL.plist"
[ -n "$root" ] || launchctl bootout "system/$LABEL" 2>/dev/null || true
rm -f "$plist"
cli="$root/usr/local/bin/proxmox-sleep-agent"
if [ -L "$cli" ] && [ "$(readlink "$cli")" = ../lib/proxmox-sleep-agent/proxmox-sleep-agent ]; then
  rm -f "$cli"
fi
rm -rf "$root/usr/local/lib/proxmox-sleep-agent"
if [ $purge = yes ]; then
  rm -rf "$root/Library/Logs/ProxmoxSleep" "$root/Library/Application Support/ProxmoxSleep"
  echo "Removed the agent, its log and /Library/Application Support/ProxmoxSleep."
else
  echo "Removed the agent; kept /Library/Application Support/ProxmoxSleep and /Library/Logs/ProxmoxSleep (--purge removes them)."
fi
