#!/bin/sh
# Installs the headless agent on macOS as a LaunchDaemon: `proxmox-sleep-agent run` from boot, with or
# without anyone logged in, writing /Library/Application Support/ProxmoxSleep/status.json for the host.
#
#   sudo ./install.sh [--node PATH] USER
#
# USER owns the status folder and the daemon runs as USER (the agent needs no root to measure): use the
# account the Proxmox host logs in as over SSH, so its `block` and `notify` can write there too, and the
# tray's user if the tray is installed as well (then the tray writes the status file while it runs and the
# daemon stands by; see docs/install.md, macOS). `root` is allowed. Node.js 18 or newer must be installed
# (Homebrew's or the official one); --node names it when it is elsewhere. Running again updates in place.
# ROOT installs into another root (an image being prepared, tests): launchd is then left alone.
set -eu
LABEL=org.proxmox-sleep.agent.daemon
usage() {
  echo "usage: install.sh [--node PATH] USER   (USER owns the status folder and runs the daemon)" >&2
  exit 64
}
fail() {
  echo "install.sh: $1" >&2
  exit "${2:-1}"
}

node=
while [ $# -gt 0 ]; do
  case $1 in
    --node) [ $# -ge 2 ] || usage; node=$2; shift 2 ;;
    --node=*) node=${1#--node=}; shift ;;
    -*) usage ;;
    *) break ;;
  esac
done
if [ $# -ne 1 ] || [ -z "$1" ]; then usage; fi
user=$1
case $user in
  -* | *[!A-Za-z0-9._-]*) fail "not a user name: $user" 64 ;;
esac
id -u "$user" >/dev/null 2>&1 || fail "no such user: $user" 67
group=$(id -gn "$user")
root=${ROOT:-}
[ -n "$root" ] || [ "$(id -u)" -eq 0 ] || fail "run it as root: sudo $0 $user" 77
here=$(cd "$(dirname "$0")" && pwd -P)

if [ -z "$node" ]; then
  for candidate in "$(command -v node || true)" /opt/homebrew/bin/node /usr/local/bin/node; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then node=$candidate; break; fi
  done
fi
[ -n "$node" ] || fail "Node.js 18 or newer is needed and none was found: 'brew install node', or the macOS installer from the Node.js website; or name it with --node PATH" 69
[ -x "$node" ] || fail "$node is not an executable" 69
case $node in
  /*) ;;
  *) node=$(cd "$(dirname "$node")" && pwd -P)/$(basename "$node") ;;
esac
major=$("$node" -p 'process.versions.node.split(".")[0]' 2>/dev/null) || fail "$node does not run" 69
[ "$major" -ge 18 ] 2>/dev/null || fail "$node is Node.js $major; the agent needs 18 or newer" 69

data="$root/Library/Application Support/ProxmoxSleep"
if [ -d "$data" ]; then
  # The owner's name, the same way on macOS and Linux (stat's options differ between the two).
  # shellcheck disable=SC2012
  owner=$(ls -ld "$data" | awk '{print $3}')
  if [ "$owner" != root ] && [ "$owner" != "$user" ]; then
    fail "$data belongs to $owner (the tray's setup-status-dir.sh?): install the daemon for $owner, so the tray and the daemon write as the same user" 73
  fi
fi
for folder in "$data" "$data/state" "$root/Library/Logs/ProxmoxSleep"; do
  install -d -m 0755 "$folder"
  chown "$user:$group" "$folder"
done

lib="$root/usr/local/lib/proxmox-sleep-agent"
install -d -m 0755 "$lib"
install -m 0644 "$here/proxmox-sleep-agent.js" "$here/copyright" "$lib/"
install -m 0755 "$here/proxmox-sleep-agent" "$lib/proxmox-sleep-agent"
ln -sfn "$node" "$lib/node"

cli="$root/usr/local/bin/proxmox-sleep-agent"
install -d -m 0755 "$root/usr/local/bin"
if [ -L "$cli" ] && [ "$(readlink "$cli")" != ../lib/proxmox-sleep-agent/proxmox-sleep-agent ]; then
  echo "install.sh: keeping $cli -> $(readlink "$cli") (the tray's command line: its notify reaches the tray)" >&2
elif [ -e "$cli" ] && [ ! -L "$cli" ]; then
  echo "install.sh: keeping $cli, which is not a link this script made" >&2
else
  ln -sfn ../lib/proxmox-sleep-agent/proxmox-sleep-agent "$cli"
fi

plist="$root/Library/LaunchDaemons/$LABEL.plist"
install -d -m 0755 "$root/Library/LaunchDaemons"
cat > "$plist.tmp" <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>$LABEL</string>
  <key>ProgramArguments</key>
  <array>
    <string>/usr/local/lib/proxmox-sleep-agent/node</string>
    <string>--jitless</string>
    <string>--max-semi-space-size=1</string>
    <string>--max-old-space-size=32</string>
    <string>/usr/local/lib/proxmox-sleep-agent/proxmox-sleep-agent.js</string>
    <string>run</string>
  </array>
  <key>UserName</key>
  <string>$user</string>
  <key>GroupName</key>
  <string>$group</string>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <true/>
  <key>ThrottleInterval</key>
  <integer>30</integer>
  <key>ExitTimeOut</key>
  <integer>20</integer>
  <key>Umask</key>
  <integer>18</integer>
  <key>EnvironmentVariables</key>
  <dict>
    <key>PATH</key>
    <string>/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/bin:/opt/homebrew/bin</string>
  </dict>
  <key>StandardOutPath</key>
  <string>/Library/Logs/ProxmoxSleep/agent.log</string>
  <key>StandardErrorPath</key>
  <string>/Library/Logs/ProxmoxSleep/agent.log</string>
</dict>
</plist>
PLIST
chmod 0644 "$plist.tmp"
chown 0:0 "$plist.tmp"
mv -f "$plist.tmp" "$plist"

if [ -z "$root" ]; then
  launchctl bootout "system/$LABEL" 2>/dev/null || true
  launchctl bootstrap system "$plist" || fail "launchctl bootstrap system $plist failed"
  echo "Started $LABEL as $user: it writes $data/status.json; log /Library/Logs/ProxmoxSleep/agent.log."
else
  echo "Installed into $root for $user ($node); launchd starts it at the next boot."
fi
