import { findMirror, mirrorFromDeb822, mirrorFromSourcesList } from '../../../lab/qemu/mirror';

// The deb822 file of this project's build machines (/etc/apt/sources.list.d/debian.sources), with the
// host names replaced: the repository never names a mirror.
const DEB822 = `Types: deb
# http://snapshot.example/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
# http://snapshot.example/archive/debian-security/20250520T000000Z
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

describe('the Debian mirror for the lab image', () => {
  it('comes from the deb822 stanza that serves the suite itself, not its security suite', () => {
    expect(mirrorFromDeb822(DEB822, 'bookworm')).toBe('http://mirror.example/debian');
    expect(mirrorFromDeb822(DEB822, 'bookworm-security')).toBe('http://mirror.example/debian-security');
    expect(mirrorFromDeb822(DEB822, 'trixie')).toBeNull();
  });

  it('ignores deb-src stanzas', () => {
    expect(
      mirrorFromDeb822('Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n', 'bookworm'),
    ).toBeNull();
  });

  it('reads one-line sources.list entries, with or without options', () => {
    const list = [
      '# deb http://commented.example/debian bookworm main',
      'deb [signed-by=/usr/share/keyrings/x.gpg] http://list.example/debian bookworm main',
      'deb http://other.example/debian bookworm-updates main',
    ].join('\n');
    expect(mirrorFromSourcesList(list, 'bookworm')).toBe('http://list.example/debian');
    expect(mirrorFromSourcesList(list, 'bookworm-updates')).toBe('http://other.example/debian');
  });

  it('is overridden by LAB_DEBIAN_MIRROR', () => {
    expect(findMirror('bookworm', { LAB_DEBIAN_MIRROR: 'http://override.example/debian' })).toBe(
      'http://override.example/debian',
    );
  });
});
