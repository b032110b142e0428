#!/bin/sh
# Once after copying the app from the DMG, as an administrator:
#   sudo "/Applications/Proxmox Sleep Agent.app/Contents/Resources/macos/setup-status-dir.sh" "$USER"
# Makes /Library/Application Support/ProxmoxSleep (the status file the host reads, the pre-sleep notice)
# and its state folder (the block override) USER's, 0755, and links the agent CLI as
# /usr/local/bin/proxmox-sleep-agent for the host's SSH transport. ROOT installs into another root (an
# image being prepared).
set -eu
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: setup-status-dir.sh USER   (the user whose tray writes the status file)" >&2
  exit 64
fi
user=$1
if ! id -u "$user" >/dev/null 2>&1; then
  echo "setup-status-dir.sh: no such user: $user" >&2
  exit 67
fi
group=$(id -gn "$user")
root=${ROOT:-}
here=$(cd "$(dirname "$0")" && pwd -P)
data="$root/Library/Application Support/ProxmoxSleep"
install -d -m 0755 "$data"
chown "$user:$group" "$data"
install -d -m 0755 "$data/state"
chown "$user:$group" "$data/state"
install -d -m 0755 "$root/usr/local/bin"
ln -sf "$here/proxmox-sleep-agent" "$root/usr/local/bin/proxmox-sleep-agent"
echo "The tray of $user writes $data/status.json."
if [ -e "$root/Library/LaunchDaemons/org.proxmox-sleep.agent.daemon.plist" ]; then
  echo "The headless agent (LaunchDaemon) is installed too: run its install.sh $user again, so it runs as $user and stands by while the tray writes."
fi
