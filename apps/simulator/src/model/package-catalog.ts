/**
 * Package versions the simulated archives offer. Installed sets and channel
 * offers are taken from the PVE 8.4 and 9.1 `pveversion -v` field samples in
 * the notes; the per-channel bumps are invented but ordered the way Proxmox
 * releases them (enterprise lags no-subscription, which lags test).
 */
export type Versions = Readonly<Record<string, string>>;

const PVE8_BASE: Versions = {
  'proxmox-ve': '8.4.0',
  'pve-manager': '8.4.11',
  'proxmox-kernel-helper': '8.1.4',
  'proxmox-kernel-6.8': '6.8.12-13',
  'proxmox-kernel-6.8.12-13-pve-signed': '6.8.12-13',
  'proxmox-kernel-6.8.12-11-pve-signed': '6.8.12-11',
  corosync: '3.1.9-pve1',
  criu: '3.17.1-2+deb12u1',
  'glusterfs-client': '10.3-5',
  ifupdown2: '3.2.0-1+pmx11',
  'ksm-control-daemon': '1.5-1',
  'libjs-extjs': '7.0.0-5',
  libknet1: '1.30-pve2',
  'libproxmox-acme-perl': '1.6.0',
  'libproxmox-backup-qemu0': '1.5.2',
  'libproxmox-rs-perl': '0.3.5',
  'libpve-access-control': '8.2.2',
  'libpve-apiclient-perl': '3.3.2',
  'libpve-cluster-api-perl': '8.1.2',
  'libpve-cluster-perl': '8.1.2',
  'libpve-common-perl': '8.3.4',
  'libpve-guest-common-perl': '5.2.2',
  'libpve-http-server-perl': '5.2.2',
  'libpve-network-perl': '0.11.2',
  'libpve-rs-perl': '0.9.4',
  'libpve-storage-perl': '8.3.7',
  'libspice-server1': '0.15.1-1',
  lvm2: '2.03.16-2',
  'lxc-pve': '6.0.0-1',
  lxcfs: '6.0.0-pve2',
  'novnc-pve': '1.6.0-2',
  'proxmox-backup-client': '3.4.6-1',
  'proxmox-backup-file-restore': '3.4.6-1',
  'proxmox-backup-restore-image': '0.7.0',
  'proxmox-firewall': '0.7.1',
  'proxmox-mail-forward': '0.3.3',
  'proxmox-mini-journalreader': '1.5',
  'proxmox-offline-mirror-helper': '0.6.7',
  'proxmox-widget-toolkit': '4.3.13',
  'pve-cluster': '8.1.2',
  'pve-container': '5.3.0',
  'pve-docs': '8.4.1',
  'pve-edk2-firmware': '4.2025.02-4~bpo12+1',
  'pve-esxi-import-tools': '0.7.4',
  'pve-firewall': '5.1.2',
  'pve-firmware': '3.16-3',
  'pve-ha-manager': '4.0.7',
  'pve-i18n': '3.4.5',
  'pve-qemu-kvm': '9.2.0-7',
  'pve-xtermjs': '5.5.0-2',
  'qemu-server': '8.4.1',
  smartmontools: '7.3-pve1',
  spiceterm: '3.3.0',
  swtpm: '0.8.0+pve1',
  vncterm: '1.8.0',
  'zfsutils-linux': '2.2.8-pve1',
  'ceph-common': '17.2.8-pve2',
  'ceph-fuse': '17.2.8-pve2',
};

const DEBIAN12: Versions = {
  'base-files': '12.4+deb12u11',
  'linux-libc-dev': '6.1.162-1',
  chrony: '4.3-2+deb12u1',
  systemd: '252.38-1~deb12u1',
  apt: '2.6.1',
  'openssh-server': '1:9.2p1-2+deb12u7',
  'systemd-timesyncd': '252.38-1~deb12u1',
};

const PVE9_BASE: Versions = {
  'proxmox-ve': '9.1.0',
  'pve-manager': '9.1.1',
  'proxmox-kernel-helper': '9.0.4',
  'proxmox-kernel-6.17': '6.17.2-1',
  'proxmox-kernel-6.17.2-1-pve-signed': '6.17.2-1',
  corosync: '3.1.9-pve2',
  criu: '4.1.1-1',
  'frr-pythontools': '10.3.1-1+pve4',
  ifupdown2: '3.3.0-1+pmx11',
  'intel-microcode': '3.20250812.1~deb13u1',
  'ksm-control-daemon': '1.5-1',
  'libjs-extjs': '7.0.0-5',
  libknet1: '1.30-pve3',
  'libproxmox-acme-perl': '1.7.0',
  'libproxmox-backup-qemu0': '2.0.1',
  'libproxmox-rs-perl': '0.4.1',
  'libpve-access-control': '9.0.4',
  'libpve-apiclient-perl': '3.4.2',
  'libpve-cluster-api-perl': '9.0.7',
  'libpve-cluster-perl': '9.0.7',
  'libpve-common-perl': '9.0.15',
  'libpve-guest-common-perl': '6.0.2',
  'libpve-http-server-perl': '6.0.5',
  'libpve-network-perl': '1.2.3',
  'libpve-rs-perl': '0.11.3',
  'libpve-storage-perl': '9.0.18',
  'libspice-server1': '0.15.2-1+b1',
  lvm2: '2.03.31-2+pmx1',
  'lxc-pve': '6.0.5-3',
  lxcfs: '6.0.4-pve1',
  'novnc-pve': '1.6.0-3',
  'proxmox-backup-client': '4.0.20-1',
  'proxmox-backup-file-restore': '4.0.20-1',
  'proxmox-backup-restore-image': '1.0.0',
  'proxmox-firewall': '1.2.1',
  'proxmox-mail-forward': '1.0.2',
  'proxmox-mini-journalreader': '1.6',
  'proxmox-offline-mirror-helper': '0.7.3',
  'proxmox-widget-toolkit': '5.1.2',
  'pve-cluster': '9.0.7',
  'pve-container': '6.0.18',
  'pve-docs': '9.1.0',
  'pve-edk2-firmware': '4.2025.05-2',
  'pve-esxi-import-tools': '1.0.1',
  'pve-firewall': '6.0.4',
  'pve-firmware': '3.17-2',
  'pve-ha-manager': '5.0.8',
  'pve-i18n': '3.6.2',
  'pve-qemu-kvm': '10.1.2-3',
  'pve-xtermjs': '5.5.0-3',
  'qemu-server': '9.0.30',
  smartmontools: '7.4-pve1',
  spiceterm: '3.4.1',
  swtpm: '0.8.0+pve3',
  vncterm: '1.9.1',
  'zfsutils-linux': '2.3.4-pve1',
  'ceph-common': '19.2.3-pve2',
  'ceph-fuse': '19.2.3-pve2',
};

const DEBIAN13: Versions = {
  'base-files': '13.8+deb13u1',
  'linux-libc-dev': '6.12.48-1',
  chrony: '4.6.1-3',
  systemd: '257.8-1~deb13u2',
  apt: '3.0.3',
  'openssh-server': '1:10.0p1-7',
  'systemd-timesyncd': '257.8-1~deb13u2',
};

const kernel = (series: string, v: string): Record<string, string> => ({
  [`proxmox-kernel-${series}`]: v,
  [`proxmox-kernel-${v}-pve-signed`]: v,
});

/** Offers by archive key: `pve:<suite>:<component>`, `debian:<suite>`, `<ceph-release>:<suite>:<component>`. */
export const ARCHIVE_OFFERS: Readonly<Record<string, Versions>> = {
  'pve:bookworm:pve-enterprise': { ...PVE8_BASE, 'pve-manager': '8.4.14', 'qemu-server': '8.4.4', ...kernel('6.8', '6.8.12-15') },
  'pve:bookworm:pve-no-subscription': {
    ...PVE8_BASE,
    'pve-manager': '8.4.16',
    'qemu-server': '8.4.5',
    'libpve-common-perl': '8.3.5',
    'proxmox-widget-toolkit': '4.3.16',
    ...kernel('6.8', '6.8.12-18'),
  },
  'pve:bookworm:pvetest': {
    ...PVE8_BASE,
    'pve-manager': '8.4.17',
    'qemu-server': '8.4.6',
    'libpve-common-perl': '8.3.6',
    'proxmox-widget-toolkit': '4.3.17',
    ...kernel('6.8', '6.8.12-20'),
  },
  'debian:bookworm': { ...DEBIAN12, 'base-files': '12.4+deb12u12', 'linux-libc-dev': '6.1.164-1', 'openssh-server': '1:9.2p1-2+deb12u8' },
  'pve:trixie:pve-enterprise': { ...PVE9_BASE },
  'pve:trixie:pve-no-subscription': {
    ...PVE9_BASE,
    'pve-manager': '9.1.4',
    'qemu-server': '9.1.2',
    'libpve-common-perl': '9.0.16',
    ...kernel('6.17', '6.17.4-2'),
  },
  'pve:trixie:pve-test': {
    ...PVE9_BASE,
    'pve-manager': '9.2.0',
    'qemu-server': '9.1.6',
    'libpve-common-perl': '9.1.2',
    'pve-ha-manager': '5.1.1',
    ...kernel('6.17', '6.17.13-4'),
  },
  'debian:trixie': { ...DEBIAN13, 'base-files': '13.8+deb13u2', 'linux-libc-dev': '6.12.57-1' },
  'ceph-reef:bookworm:enterprise': { 'ceph-common': '18.2.7-pve1', 'ceph-fuse': '18.2.7-pve1', ceph: '18.2.7-pve1' },
  'ceph-reef:bookworm:no-subscription': { 'ceph-common': '18.2.8-pve1', 'ceph-fuse': '18.2.8-pve1', ceph: '18.2.8-pve1' },
  'ceph-squid:bookworm:enterprise': { 'ceph-common': '19.2.2-pve1', 'ceph-fuse': '19.2.2-pve1', ceph: '19.2.2-pve1' },
  'ceph-squid:bookworm:no-subscription': { 'ceph-common': '19.2.3-pve1', 'ceph-fuse': '19.2.3-pve1', ceph: '19.2.3-pve1' },
  'ceph-squid:bookworm:test': { 'ceph-common': '19.2.3-pve2', 'ceph-fuse': '19.2.3-pve2', ceph: '19.2.3-pve2' },
  'ceph-squid:trixie:enterprise': { 'ceph-common': '19.2.3-pve2', 'ceph-fuse': '19.2.3-pve2', ceph: '19.2.3-pve2' },
  'ceph-squid:trixie:no-subscription': { 'ceph-common': '19.2.3-pve3', 'ceph-fuse': '19.2.3-pve3', ceph: '19.2.3-pve3' },
  'ceph-squid:trixie:test': { 'ceph-common': '19.2.3-pve4', 'ceph-fuse': '19.2.3-pve4', ceph: '19.2.3-pve4' },
};

/** The kernel series a major release installs by default (`proxmox-default-kernel`). */
export const DEFAULT_KERNEL_SERIES: Readonly<Record<number, string>> = { 8: '6.8', 9: '6.17' };

export function installedBase(pveMajor: 8 | 9, ceph: boolean): Versions {
  const cephPkgs: Record<string, string> = ceph
    ? pveMajor === 8
      ? { ceph: '19.2.2-pve1', 'ceph-common': '19.2.2-pve1', 'ceph-fuse': '19.2.2-pve1' }
      : { ceph: '19.2.3-pve2' }
    : {};
  return pveMajor === 8 ? { ...PVE8_BASE, ...DEBIAN12, ...cephPkgs } : { ...PVE9_BASE, ...DEBIAN13, ...cephPkgs };
}

/** `pveversion -v`'s fixed list (PVE 8 has glusterfs-client and the libpve-notify-perl typo). */
export function pveversionList(pveMajor: number): string[] {
  const common = [
    'ceph',
    'ceph-fuse',
    'corosync',
    'criu',
    'frr-pythontools',
    'ifupdown',
    'ifupdown2',
    'intel-microcode',
    'ksm-control-daemon',
    'libjs-extjs',
    'libknet1',
    'libproxmox-acme-perl',
    'libproxmox-backup-qemu0',
    'libproxmox-rs-perl',
    'libpve-access-control',
    'libpve-apiclient-perl',
    'libpve-cluster-api-perl',
    'libpve-cluster-perl',
    'libpve-common-perl',
    'libpve-guest-common-perl',
    'libpve-http-server-perl',
    'libpve-network-perl',
    'libpve-rs-perl',
    'libpve-storage-perl',
    'libspice-server1',
    'lvm2',
    'lxc-pve',
    'lxcfs',
    'novnc-pve',
    'proxmox-backup-client',
    'proxmox-backup-file-restore',
    'proxmox-backup-restore-image',
    'proxmox-firewall',
    'proxmox-kernel-helper',
    'proxmox-mail-forward',
    'proxmox-mini-journalreader',
    'proxmox-offline-mirror-helper',
    'proxmox-widget-toolkit',
    'pve-cluster',
    'pve-container',
    'pve-docs',
    'pve-edk2-firmware',
    'pve-esxi-import-tools',
    'pve-firewall',
    'pve-firmware',
    'pve-ha-manager',
    'pve-i18n',
    'pve-qemu-kvm',
    'pve-xtermjs',
    'qemu-server',
    'smartmontools',
    'spiceterm',
    'swtpm',
    'vncterm',
    'zfsutils-linux',
  ];
  return (pveMajor === 8 ? [...common, 'glusterfs-client'] : common).sort();
}

const AMD64 =
  /^(qemu-server|pve-qemu-kvm|linux-libc-dev|systemd|systemd-timesyncd|chrony|openssh-server|apt|corosync|libknet1|lxc-pve|lxcfs|zfsutils-linux|ceph.*|proxmox-backup-.*|libpve-rs-perl|libproxmox-rs-perl|pve-cluster|spiceterm|vncterm|swtpm|criu|smartmontools|lvm2|proxmox-kernel-.*-signed|libspice-server1|libproxmox-backup-qemu0|proxmox-firewall|proxmox-mini-journalreader|proxmox-mail-forward)$/;

export const packageArch = (name: string): string => (AMD64.test(name) ? 'amd64' : 'all');

/** Known pve-manager build hashes from the field samples; other versions get a stable invented one. */
export const PVE_MANAGER_REPOID: Readonly<Record<string, string>> = {
  '8.4.11': '14a32011146091ed',
  '8.4.14': 'b502d23c55afcba1',
  '9.1.1': '42db4a6cf33dac83',
};
