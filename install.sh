#!/usr/bin/env bash
# Proxmox Sleep Manager from source: builds the same file set as the .deb packages (scripts/package) and
# installs it. The host tool by default, the headless guest agent with --agent. Interactive like release
# 1.x; every question has a flag for automation. An existing configuration is never touched.
# docs/install.md explains every step; uninstall.sh takes it away again.
set -euo pipefail

usage() {
	cat <<'EOF'
usage: install.sh [options]
  --agent               install the guest agent (proxmox-sleep-agent) instead of the host tool
  -y, --yes             ask nothing: use the flags below and the defaults
  --vm-ids "100 101"    VMs to manage (host; only when a new /etc/proxmox-sleep.conf is written)
  --container-ids "200" containers to manage (host; as above)
  --idle-minutes N      IDLE_THRESHOLD_MINUTES (host; as above; default 15, 0 = auto-sleep off)
  --no-start            install the files only: enable and start nothing
  --prefix DIR          install under DIR instead of / (implies --no-start)
  -h, --help            this text
Needs root (unless DIR is writable), Node.js >= 18, npm, and this source tree.
EOF
}

die() {
	echo "install.sh: $*" >&2
	exit "${code:-1}"
}

agent=0 yes=0 start=1 prefix="" vm_ids="" ct_ids="" minutes="" ids_given=0
while [ $# -gt 0 ]; do
	case "$1" in
	--agent) agent=1 ;;
	-y | --yes) yes=1 ;;
	--vm-ids) vm_ids=${2?--vm-ids needs a value} ids_given=1 && shift ;;
	--container-ids) ct_ids=${2?--container-ids needs a value} ids_given=1 && shift ;;
	--idle-minutes) minutes=${2?--idle-minutes needs a value} && shift ;;
	--no-start) start=0 ;;
	--prefix) prefix=${2?--prefix needs a directory} && shift ;;
	-h | --help) usage && exit 0 ;;
	*) usage >&2 && code=64 die "unknown option: $1" ;;
	esac
	shift
done
if [ -n "$prefix" ]; then
	prefix=$(cd "$prefix" && pwd) || code=64 die "--prefix: no such directory"
	start=0
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$agent" = 1 ]; then
	name=proxmox-sleep-agent config=/etc/proxmox-sleep/agent.json manifest_dir=/var/lib/proxmox-sleep-agent
else
	name=proxmox-sleep config=/etc/proxmox-sleep.conf manifest_dir=/var/lib/proxmox-sleep
fi
manifest="$prefix$manifest_dir/install-manifest"

valid_ids() { [[ $1 =~ ^[[:space:]]*([1-9][0-9]*([[:space:]]+[1-9][0-9]*)*)?[[:space:]]*$ ]]; }
valid_minutes() { [[ $1 =~ ^(0|[1-9][0-9]*)$ ]]; }
[ -z "$vm_ids" ] || valid_ids "$vm_ids" || code=64 die "--vm-ids: Proxmox IDs separated by spaces, e.g. \"100 101\""
[ -z "$ct_ids" ] || valid_ids "$ct_ids" || code=64 die "--container-ids: Proxmox IDs separated by spaces, e.g. \"200\""
[ -z "$minutes" ] || valid_minutes "$minutes" || code=64 die "--idle-minutes: a whole number of minutes without leading zeros"

if [ "$yes" = 0 ] && [ ! -t 0 ]; then
	code=64 die "standard input is not a terminal: pass --yes (and the values as flags) to install without questions"
fi
if [ -z "$prefix" ]; then
	[ "$(id -u)" = 0 ] || die "run as root (sudo ./install.sh)"
	if dpkg-query -W -f='${db:Status-Status}' "$name" 2>/dev/null | grep -qx installed; then
		die "the $name package is installed; upgrade it with apt instead of installing from source over it"
	fi
fi

# Node.js >= 18: the programs start with #!/usr/bin/node; another node is written into them instead.
node_bin=/usr/bin/node
[ -x "$node_bin" ] || node_bin=$(command -v node) || die "Node.js >= 18 is needed (apt install nodejs)"
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || die "Node.js $("$node_bin" --version) is too old: 18 or newer is needed"

ask() { # ask VAR "question" default validator
	local answer
	while :; do
		read -r -p "$2 [$3]: " answer
		answer=${answer:-$3}
		if "$4" "$answer"; then
			printf -v "$1" '%s' "$answer"
			return
		fi
		echo "  not valid, try again"
	done
}
yes_no() { [[ $1 =~ ^([yY]|[yY]es|[nN]|[nN]o)$ ]]; }

# The staged tree, built from this source tree exactly as for the .deb.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$here"
if [ ! -x node_modules/.bin/esbuild ]; then
	echo "Installing the build dependencies (npm ci) ..."
	npm ci --no-audit --no-fund >"$work/npm.log" 2>&1 || { cat "$work/npm.log" >&2; die "npm ci failed"; }
fi
"$node_bin" scripts/package/run.js "$([ "$agent" = 1 ] && echo agent || echo host)" --stage-only --out "$work" >/dev/null
stage="$work/stage/$name"

new_config=0
[ -e "$prefix$config" ] || new_config=1
if [ "$agent" = 0 ] && [ "$new_config" = 1 ] && [ "$yes" = 0 ]; then
	echo "Proxmox Sleep Manager: a new $config will be written."
	[ "$ids_given" = 1 ] || ask vm_ids "VMs to manage (Proxmox IDs separated by spaces, empty for none)" "" valid_ids
	[ "$ids_given" = 1 ] || ask ct_ids "Containers to manage (Proxmox IDs separated by spaces, empty for none)" "" valid_ids
	[ -n "$minutes" ] || ask minutes "Minutes of idleness before the host sleeps (0 = never)" 15 valid_minutes
elif [ "$agent" = 0 ] && [ "$new_config" = 0 ] && [ "$ids_given$minutes" != 0 ]; then
	echo "Keeping the existing $prefix$config: --vm-ids, --container-ids and --idle-minutes apply to a new one only."
fi
if [ "$yes" = 0 ]; then
	answer=""
	ask answer "Install $name from $here into ${prefix:-/}?" y yes_no
	[[ $answer =~ ^[yY] ]] || die "nothing installed"
fi

# The host's new configuration: the shipped default with the answers filled in.
guest_name() { # kind id -> the guest's name from Proxmox, when it is a plain word
	local value=""
	if [ "$1" = vm ] && command -v qm >/dev/null; then
		value=$(qm config "$2" 2>/dev/null | sed -n 's/^name: //p')
	elif [ "$1" = ct ] && command -v pct >/dev/null; then
		value=$(pct config "$2" 2>/dev/null | sed -n 's/^hostname: //p')
	fi
	[[ $value =~ ^[A-Za-z0-9._-]{1,64}$ ]] && echo "$value"
	return 0
}
write_host_config() {
	local file=$1 id label
	local -a words
	read -ra words <<<"$vm_ids" && vm_ids="${words[*]}" # one space between IDs
	read -ra words <<<"$ct_ids" && ct_ids="${words[*]}"
	[ -z "$vm_ids" ] || sed -i "s/^#VM_IDS=\"\"\$/VM_IDS=\"$vm_ids\"/" "$file"
	[ -z "$ct_ids" ] || sed -i "s/^#CONTAINER_IDS=\"\"\$/CONTAINER_IDS=\"$ct_ids\"/" "$file"
	[ -z "$minutes" ] || sed -i "s/^#IDLE_THRESHOLD_MINUTES=15\$/IDLE_THRESHOLD_MINUTES=$minutes/" "$file"
	local names=""
	for id in $vm_ids; do
		label=$(guest_name vm "$id")
		[ -z "$label" ] || names+="VM_${id}_NAME=\"$label\"\n"
	done
	for id in $ct_ids; do
		label=$(guest_name ct "$id")
		[ -z "$label" ] || names+="CONTAINER_${id}_NAME=\"$label\"\n"
	done
	if [ -n "$names" ]; then
		printf '\n# Names of the guests, as Proxmox knows them (written by install.sh).\n%b' "$names" >>"$file"
	fi
}

# Install the staged files; conffiles that exist are kept.
mkdir -p "$prefix$manifest_dir"
: >"$work/manifest"
while IFS= read -r -d '' file; do
	dest=${file#"$stage"}
	conffile=0
	grep -qxF "$dest" "$stage/DEBIAN/conffiles" 2>/dev/null && conffile=1
	if [ "$conffile" = 1 ] && [ -e "$prefix$dest" ]; then
		echo "keeping the existing $prefix$dest"
		echo "conffile $dest" >>"$work/manifest"
		continue
	fi
	install -D -m "$(stat -c %a "$file")" "$file" "$prefix$dest"
	if [ "$dest" = /usr/bin/$name ] && [ "$node_bin" != /usr/bin/node ]; then
		sed -i "1s|^#!/usr/bin/node\$|#!$node_bin|" "$prefix$dest"
	fi
	if [ "$dest" = /etc/proxmox-sleep.conf ]; then write_host_config "$prefix$dest"; fi
	echo "$([ "$conffile" = 1 ] && echo conffile || echo file) $dest" >>"$work/manifest"
done < <(find "$stage" -path "$stage/DEBIAN" -prune -o \( -type f -print0 \) | sort -z)
install -m 0644 "$work/manifest" "$manifest"
echo "Installed $name $("$prefix/usr/bin/$name" --version) into ${prefix:-/} (the list: $manifest)."
if [ "$agent" = 0 ] && [ "$new_config" = 1 ]; then
	echo "Wrote $prefix$config:"
	"$prefix/usr/bin/proxmox-sleep" --config "$prefix$config" validate --no-guest-check | sed 's/^/  /' || true
fi

systemd_running() { [ -z "$prefix" ] && [ -d /run/systemd/system ]; }

# "<number of guests> <valid|invalid|unreadable>", from the installed tool (as the package's postinst).
configured_guests() {
	# shellcheck disable=SC2016 # the JavaScript is in single quotes on purpose
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$prefix/usr/bin/proxmox-sleep" --config "$prefix$config" --json \
		validate --no-guest-check 2>/dev/null | "$node_bin" -e '
			const parts = [];
			process.stdin.on("data", (d) => parts.push(d)).on("end", () => {
				try {
					const r = JSON.parse(Buffer.concat(parts).toString());
					console.log(r.guests.length + " " + (r.valid ? "valid" : "invalid"));
				} catch (e) {
					console.log("0 unreadable");
				}
			});' || echo "0 unreadable"
}

if [ "$agent" = 1 ]; then
	if command -v systemd-tmpfiles >/dev/null; then
		systemd-tmpfiles ${prefix:+--root="$prefix"} --create proxmox-sleep-agent.conf || true
	else
		install -d -m 0755 "$prefix/run/proxmox-sleep-agent" "$prefix/var/lib/proxmox-sleep-agent"
	fi
	if [ "$start" = 1 ] && ! command -v systemctl >/dev/null; then
		echo "No systemd here: run 'proxmox-sleep-agent run' from your init system (as root)."
	elif [ "$start" = 1 ]; then
		systemctl enable proxmox-sleep-agent.service
		if systemd_running; then
			systemctl daemon-reload
			systemctl restart proxmox-sleep-agent.service
		fi
		echo "proxmox-sleep-agent is enabled. See what it reports: proxmox-sleep-agent check"
	else
		echo "Start it with: systemctl enable --now proxmox-sleep-agent.service"
	fi
	exit 0
fi

for log in /var/log/proxmox-idle-monitor.log /var/log/proxmox-sleep-manager.log; do
	[ -e "$prefix$log" ] || install -D -m 0644 /dev/null "$prefix$log"
done
summary=$(configured_guests)
guests=${summary%% *} validity=${summary#* }
if [ "$start" = 0 ]; then
	echo "Nothing enabled (--no-start or --prefix). To run it: systemctl enable proxmox-sleep-hook.service;" \
		"systemctl enable --now proxmox-sleep.service"
	exit 0
fi
if ! command -v systemctl >/dev/null; then
	echo "No systemd here: run the monitor from cron (remove the '#' in /etc/cron.d/proxmox-sleep)."
	exit 0
fi
if systemd_running; then systemctl daemon-reload; fi
for unit in proxmox-idle-monitor.service proxmox-sleep-manager.service; do
	if systemctl is-enabled --quiet "$unit" 2>/dev/null; then
		[ "$unit" = proxmox-sleep-manager.service ] || ! systemd_running || systemctl stop "$unit" || true
		systemctl disable --quiet "$unit"
		echo "Disabled $unit of release 1.x, so that it never runs next to 2.x."
	fi
done
systemctl enable --quiet proxmox-sleep-hook.service
if [ "$guests" -gt 0 ] && grep -Eq '^[^#]*proxmox-sleep[[:space:]]+tick' /etc/cron.d/proxmox-sleep; then
	echo "The cron job in /etc/cron.d/proxmox-sleep runs the monitor; proxmox-sleep.service stays off."
elif [ "$guests" -gt 0 ]; then
	answer=y
	[ "$yes" = 1 ] || ask answer "$guests guest(s) configured. Enable and start the monitor now?" y yes_no
	if [[ $answer =~ ^[yY] ]]; then
		systemctl enable --quiet proxmox-sleep.service
		if [ "$validity" != valid ]; then
			echo "$config has errors; fix them, then: systemctl restart proxmox-sleep.service" >&2
			proxmox-sleep validate --no-guest-check >&2 || true
		elif systemd_running; then
			systemctl restart proxmox-sleep.service
		fi
		echo "The monitor is enabled. Why the host is awake: proxmox-sleep status"
	fi
else
	echo "No guest is configured yet: list them in $config (VM_IDS, CONTAINER_IDS), run" \
		"'proxmox-sleep validate', then: systemctl enable --now proxmox-sleep.service"
fi
