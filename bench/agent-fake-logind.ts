/**
 * A stand-in for systemd-logind on a private bus, for the agent benchmark: answers ListInhibitors and
 * ListSessions like a headless server with a network daemon's delay lock and no graphical session. With it
 * the benchmark measures the daemon as it runs on a real Debian server (D-Bus client loaded and used).
 */
import * as dbus from 'dbus-next';

const { Interface } = dbus.interface;

class Manager extends Interface {
  ListInhibitors() {
    return [['sleep', 'NetworkManager', 'NetworkManager needs to turn off networks', 'delay', 0, 776]];
  }
  ListSessions() {
    return [];
  }
}
Manager.configureMembers({
  methods: {
    ListInhibitors: { inSignature: '', outSignature: 'a(ssssuu)' },
    ListSessions: { inSignature: '', outSignature: 'a(susso)' },
  },
});

async function main(): Promise<void> {
  const bus = dbus.sessionBus({ busAddress: process.argv[2] });
  await bus.requestName('org.freedesktop.login1', 0);
  bus.export('/org/freedesktop/login1', new Manager('org.freedesktop.login1.Manager'));
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    bus.disconnect();
    process.exit(0);
  });
}

void main();
