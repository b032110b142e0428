#!/bin/bash
# Proxmox Sleep Agent .deb, after remove (electron-builder fills in ${sanitizedProductName} and ${executable}).
# The tmpfiles rule and the status folders stay: the block override survives a reinstall.
set -u
root=${DPKG_ROOT:-}
app='/opt/${sanitizedProductName}'
tray='${executable}'

ours() { [ -L "$1" ] && case $(readlink "$1") in "$app"/*) true ;; *) false ;; esac; }
ours "$root/usr/bin/$tray" && rm -f "$root/usr/bin/$tray"
ours "$root/usr/bin/proxmox-sleep-agent" && rm -f "$root/usr/bin/proxmox-sleep-agent"
rm -f "$root/etc/xdg/autostart/proxmox-sleep-agent.desktop"

if [ -z "$root" ] && [ -f "/etc/apparmor.d/$tray" ]; then
  if apparmor_status --enabled >/dev/null 2>&1 && ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
    apparmor_parser --remove "/etc/apparmor.d/$tray" || true
  fi
  rm -f "/etc/apparmor.d/$tray"
fi
exit 0
