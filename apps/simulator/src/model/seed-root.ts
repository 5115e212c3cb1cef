import { SeedBuilder, FsEntry } from '../vfs/store';
import type { SimNode } from './node';
import { defaultInterfaces } from './network-config';

export interface RootVariant {
  pveMajor: 8 | 9;
  repositories: 'no-subscription' | 'enterprise';
  timesync: 'chrony' | 'timesyncd';
  ceph: boolean;
}

const CACHE = new Map<string, ReadonlyMap<string, FsEntry<SimNode>>>();
const SEED_TIME = Date.UTC(2025, 8, 1);

/** The shared, read-only root filesystem of a fresh PVE node of one variant. */
export function rootSeed(v: RootVariant): ReadonlyMap<string, FsEntry<SimNode>> {
  const key = `${v.pveMajor}|${v.repositories}|${v.timesync}|${v.ceph}`;
  let seed = CACHE.get(key);
  if (!seed) {
    seed = build(v);
    CACHE.set(key, seed);
  }
  return seed;
}

function build(v: RootVariant): ReadonlyMap<string, FsEntry<SimNode>> {
  const b = new SeedBuilder<SimNode>(SEED_TIME);
  for (const d of [
    '/root',
    '/tmp',
    '/var/tmp',
    '/var/log',
    '/var/lib/vz',
    '/var/lib/apt/lists',
    '/var/lib/dpkg',
    '/var/cache/apt',
    '/boot',
    '/etc/pve',
    '/etc/kernel/postinst.d',
    '/etc/default',
    '/etc/ssh',
    '/run',
    '/proc/sys/kernel/random',
    '/usr/lib',
    '/usr/bin',
    '/usr/sbin',
    '/etc/apt/apt.conf.d',
    '/etc/apt/trusted.gpg.d',
    '/etc/systemd/system',
    '/etc/network',
    '/mnt',
    '/dev/disk/by-id',
  ])
    b.dir(d);
  b.dir('/etc/chrony/sources.d').dir('/etc/chrony/conf.d');
  b.file('/etc/hostname', (n) => `${n.name}\n`);
  b.file(
    '/etc/hosts',
    (n) =>
      `127.0.0.1 localhost.localdomain localhost\n${n.ip} ${n.fqdn} ${n.name}\n\n# The following lines are desirable for IPv6 capable hosts\n::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\nff02::3 ip6-allhosts\n`,
  );
  b.file('/usr/lib/os-release', (n) => n.osRelease());
  b.symlink('/etc/os-release', '../usr/lib/os-release');
  b.file('/etc/debian_version', (n) => `${n.debianPointRelease()}\n`);
  b.file('/etc/machine-id', (n) => `${n.machineId}\n`);
  b.file('/proc/uptime', (n) => n.procUptime());
  b.file('/proc/sys/kernel/random/boot_id', (n) => `${n.bootId}\n`);
  b.file(
    '/proc/mounts',
    (n) =>
      `sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\nproc /proc proc rw,relatime 0 0\n${
        n.rootFs === 'zfs'
          ? 'rpool/ROOT/pve-1 / zfs rw,relatime,xattr,noacl,casesensitive'
          : '/dev/mapper/pve-root / ext4 rw,relatime,errors=remount-ro'
      } 0 0\n/dev/fuse /etc/pve fuse rw,nosuid,nodev,relatime,user_id=0,group_id=0,default_permissions,allow_other 0 0\n`,
  );
  b.file('/proc/cpuinfo', (n) =>
    Array.from({ length: n.cpus }, (_, i) => `processor\t: ${i}\nmodel name\t: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\n\n`).join(''),
  );
  b.file('/etc/network/interfaces', (n) => defaultInterfaces(n.ip));
  b.dir('/etc/network/interfaces.d');
  b.file(
    '/etc/ssh/sshd_config',
    'Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding yes\nPrintMotd no\nAcceptEnv LANG LC_*\nSubsystem\tsftp\t/usr/lib/openssh/sftp-server\nPermitRootLogin yes\n',
  );
  b.file('/var/cache/apt/pkgcache.bin', '');
  b.file('/etc/kernel/postinst.d/zz-proxmox-boot', '#!/bin/sh\n', 0o755);
  b.file('/etc/kernel/postinst.d/initramfs-tools', '#!/bin/sh\n', 0o755);
  b.file('/etc/kernel/postinst.d/proxmox-auto-removal', '#!/bin/sh\n', 0o755);
  b.file('/etc/kernel/postinst.d/zz-update-grub', '#!/bin/sh\n', 0o755);
  kernelTunables(b, v);
  aptSources(b, v);
  timeConfig(b, v);
  return b.entries;
}

/** sysctl and module-parameter files (writable by root), and where their persistent settings live. */
function kernelTunables(b: SeedBuilder<SimNode>, v: RootVariant): void {
  b.file('/proc/sys/vm/swappiness', '60\n');
  b.file('/proc/sys/vm/overcommit_memory', '0\n');
  b.file('/proc/sys/vm/dirty_ratio', '20\n');
  b.file('/proc/sys/net/ipv4/ip_forward', '0\n');
  b.file('/proc/sys/fs/inotify/max_user_watches', '4194304\n');
  b.file('/proc/sys/net/ipv4/neigh/default/gc_thresh3', '8192\n');
  b.file('/proc/sys/net/ipv6/neigh/default/gc_thresh3', '8192\n');
  b.file('/proc/sys/kernel/keys/maxkeys', '2000\n');
  // 0: the ARC may take the module's default (half the RAM on PVE 8, 10% capped at 16 GiB on new PVE 9 installs).
  b.file('/sys/module/zfs/parameters/zfs_arc_max', '0\n');
  b.file('/sys/module/zfs/parameters/zfs_arc_min', '0\n');
  b.file(
    '/etc/modprobe.d/pve-blacklist.conf',
    '# This file contains a list of modules which are not supported by Proxmox VE\n\n# nvidiafb see bugreport https://bugzilla.proxmox.com/show_bug.cgi?id=701\nblacklist nvidiafb\n',
  );
  b.dir('/etc/sysctl.d');
  b.file(
    '/usr/lib/sysctl.d/10-pve.conf',
    'net.ipv4.neigh.default.gc_thresh3 = 8192\nnet.ipv6.neigh.default.gc_thresh3 = 8192\nkernel.keys.maxkeys = 2000\n',
  );
  if (v.pveMajor === 8) {
    b.file(
      '/etc/sysctl.conf',
      '#\n# /etc/sysctl.conf - Configuration file for setting system variables\n# See /etc/sysctl.d/ for additional system variables.\n# See sysctl.conf (5) for information.\n#\n\n#kernel.domainname = example.com\n\n# Uncomment the following to stop low-level messages on console\n#kernel.printk = 3 4 1 3\n',
    );
    b.symlink('/etc/sysctl.d/99-sysctl.conf', '../sysctl.conf');
  }
}

function aptSources(b: SeedBuilder<SimNode>, v: RootVariant): void {
  const enterpriseOnly = v.repositories === 'enterprise';
  if (v.pveMajor === 8) {
    b.file(
      '/etc/apt/sources.list',
      'deb http://deb.debian.org/debian bookworm main contrib\n\ndeb http://deb.debian.org/debian bookworm-updates main contrib\n\n# security updates\ndeb http://security.debian.org/debian-security bookworm-security main contrib\n',
    );
    b.file(
      '/etc/apt/sources.list.d/pve-enterprise.list',
      `${enterpriseOnly ? '' : '# '}deb https://enterprise.proxmox.com/debian/pve bookworm pve-enterprise\n`,
    );
    if (!enterpriseOnly)
      b.file(
        '/etc/apt/sources.list.d/pve-no-subscription.list',
        'deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n',
      );
    const ceph =
      v.ceph && !enterpriseOnly
        ? 'deb http://download.proxmox.com/debian/ceph-squid bookworm no-subscription\n'
        : v.ceph
          ? 'deb https://enterprise.proxmox.com/debian/ceph-squid bookworm enterprise\n'
          : `${enterpriseOnly ? '' : '# '}deb https://enterprise.proxmox.com/debian/ceph-quincy bookworm enterprise\n`;
    b.file('/etc/apt/sources.list.d/ceph.list', ceph);
    b.file('/etc/apt/trusted.gpg.d/proxmox-release-bookworm.gpg', '');
    return;
  }
  b.file(
    '/etc/apt/sources.list.d/debian.sources',
    'Types: deb deb-src\nURIs: http://deb.debian.org/debian/\nSuites: trixie trixie-updates\nComponents: main non-free-firmware\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb deb-src\nURIs: http://security.debian.org/debian-security/\nSuites: trixie-security\nComponents: main non-free-firmware\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n',
  );
  b.file(
    '/etc/apt/sources.list.d/pve-enterprise.sources',
    `Types: deb\nURIs: https://enterprise.proxmox.com/debian/pve\nSuites: trixie\nComponents: pve-enterprise\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\n${enterpriseOnly ? '' : 'Enabled: no\n'}`,
  );
  if (!enterpriseOnly)
    b.file(
      '/etc/apt/sources.list.d/proxmox.sources',
      'Types: deb\nURIs: http://download.proxmox.com/debian/pve\nSuites: trixie\nComponents: pve-no-subscription\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\n',
    );
  const cephNoSub = v.ceph && !enterpriseOnly;
  b.file(
    '/etc/apt/sources.list.d/ceph.sources',
    `Types: deb\nURIs: ${cephNoSub ? 'http://download.proxmox.com' : 'https://enterprise.proxmox.com'}/debian/ceph-squid\nSuites: trixie\nComponents: ${cephNoSub ? 'no-subscription' : 'enterprise'}\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\n${v.ceph || enterpriseOnly ? '' : 'Enabled: no\n'}`,
  );
}

const CHRONY_CONF = `# Welcome to the chrony configuration file. See chrony.conf(5) for more
# information about usable directives.

# Include configuration files found in /etc/chrony/conf.d.
confdir /etc/chrony/conf.d

# Use Debian vendor zone.
pool 2.debian.pool.ntp.org iburst

# Use time sources from DHCP.
sourcedir /run/chrony-dhcp

# Use NTP sources found in /etc/chrony/sources.d.
sourcedir /etc/chrony/sources.d

# This directive specify the location of the file containing ID/key pairs for
# NTP authentication.
keyfile /etc/chrony/chrony.keys

# This directive specify the file into which chronyd will store the rate
# information.
driftfile /var/lib/chrony/chrony.drift

# Save NTS keys and cookies.
ntsdumpdir /var/lib/chrony

# Uncomment the following line to turn logging on.
#log tracking measurements statistics

# Log files location.
logdir /var/log/chrony

# Stop bad estimates upsetting machine clock.
maxupdateskew 100.0

# This directive enables kernel synchronisation (every 11 minutes) of the
# real-time clock. Note that it can't be used along with the 'rtcfile' directive.
rtcsync

# Step the system clock instead of slewing it if the adjustment is larger than
# one second, but only in the first three clock updates.
makestep 1 3

# Get TAI-UTC offset and leap seconds from the system tz database.
# This directive must be commented out when using time sources serving
# leap-smeared time.
leapsectz right/UTC
`;

const TIMESYNCD_CONF = `#  This file is part of systemd.
#
#  systemd is free software; you can redistribute it and/or modify it under the
#  terms of the GNU Lesser General Public License as published by the Free
#  Software Foundation; either version 2.1 of the License, or (at your option)
#  any later version.
#
# Entries in this file show the compile time defaults. Local configuration
# should be created by either modifying this file, or by creating "drop-ins" in
# the timesyncd.conf.d/ subdirectory. The latter is generally recommended.
# Defaults can be restored by simply deleting this file and all drop-ins.
#
# See timesyncd.conf(5) for details.

[Time]
#NTP=
#FallbackNTP=0.debian.pool.ntp.org 1.debian.pool.ntp.org 2.debian.pool.ntp.org 3.debian.pool.ntp.org
#RootDistanceMaxSec=5
#PollIntervalMinSec=32
#PollIntervalMaxSec=2048
#ConnectionRetrySec=30
#SaveIntervalSec=60
`;

function timeConfig(b: SeedBuilder<SimNode>, v: RootVariant): void {
  b.file('/etc/systemd/timesyncd.conf', TIMESYNCD_CONF);
  if (v.timesync === 'chrony') b.file('/etc/chrony/chrony.conf', CHRONY_CONF).file('/etc/chrony/chrony.keys', '', 0o640);
}
