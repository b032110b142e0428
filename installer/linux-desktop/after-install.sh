#!/bin/bash
# Proxmox Sleep Agent .deb, after install. electron-builder fills in ${sanitizedProductName} and ${executable};
# no other dollar-brace names may appear (electron-builder would refuse them), hence the plain $names below.
# DPKG_ROOT is set by dpkg for installs into another root.
set -u
root=${DPKG_ROOT:-}
app='/opt/${sanitizedProductName}'
tray='${executable}'

# The tray command (what electron-builder's own script does).
ln -sf "$app/$tray" "$root/usr/bin/$tray"

# Chromium's sandbox helper needs setuid only where unprivileged user namespaces are not available.
if [ -e "$root$app/chrome-sandbox" ]; then
  if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
    chmod 0755 "$root$app/chrome-sandbox" || true
  else
    chmod 4755 "$root$app/chrome-sandbox" || true
  fi
fi

# The agent CLI the host runs in the guest (status, notify, block …), unless the daemon package owns it.
cli="$root/usr/bin/proxmox-sleep-agent"
if [ ! -e "$cli" ] || [ -L "$cli" ]; then
  ln -sf "$app/resources/linux/proxmox-sleep-agent" "$cli"
else
  echo "proxmox-sleep-agent: keeping the existing $cli (the daemon package?); the tray needs only one agent" >&2
fi

# Start at login for every user; each can turn it off in the tray menu (an override in ~/.config/autostart).
install -D -m 0644 "$root$app/resources/linux/proxmox-sleep-agent-autostart.desktop" \
  "$root/etc/xdg/autostart/proxmox-sleep-agent.desktop"

# The status folders belong to the desktop user who installs the package (sudo apt / pkexec / GUI installer).
user=${PROXMOX_SLEEP_USER:-${SUDO_USER:-}}
if [ -z "$user" ] && [ -n "${PKEXEC_UID:-}" ]; then
  user=$(getent passwd "$PKEXEC_UID" | cut -d: -f1)
fi
if [ -n "$user" ] && [ "$user" != root ]; then
  "$root$app/resources/linux/setup-status-dir.sh" "$user" || true
else
  echo "Proxmox Sleep Agent: run once as root so your tray can write the status file:" >&2
  echo "  sudo '$app/resources/linux/setup-status-dir.sh' YOUR-USER-NAME" >&2
fi

if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database "$root/usr/share/applications" || true
fi

# AppArmor profile (Ubuntu 24.04+ restricts unprivileged user namespaces, which Chromium's sandbox uses),
# as electron-builder's own script installs it, where the running AppArmor supports the profile.
profile="$root$app/resources/apparmor-profile"
if [ -z "$root" ] && [ -f "$profile" ] && apparmor_status --enabled >/dev/null 2>&1; then
  if apparmor_parser --skip-kernel-load --debug "$profile" >/dev/null 2>&1; then
    cp -f "$profile" "/etc/apparmor.d/$tray"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
      apparmor_parser --replace --write-cache --skip-read-cache "/etc/apparmor.d/$tray" || true
    fi
  fi
fi
exit 0
