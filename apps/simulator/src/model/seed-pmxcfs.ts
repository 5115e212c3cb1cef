import { FsEntry, SeedBuilder } from '../vfs/store';
import { acmeCert, DAY, encodeCert, FAKE_KEY, nodeSslCert, rootCaCert } from './certificate';
import type { SimNode } from './node';
import type { Guest } from './guests';

export interface PmxcfsNode {
  name: string;
  fqdn: string;
  ip: string;
  nodeId: number;
}

export interface PmxcfsSeedInput {
  clusterName: string;
  standalone: boolean;
  nodes: PmxcfsNode[];
  guests: Guest[];
  createdAt: number;
  acmeCertificate: boolean;
  ceph: boolean;
}

const STORAGE_CFG = `dir: local
\tpath /var/lib/vz
\tcontent iso,vztmpl,backup

lvmthin: local-lvm
\tthinpool data
\tvgname pve
\tcontent rootdir,images

`;

/**
 * The cluster filesystem (/etc/pve) as a fresh cluster has it: shared by
 * every member, with one nodes/<name>/ directory per node. Certificates are
 * produced lazily from fixed parameters so 1,000 nodes cost no startup time.
 */
export function pmxcfsSeed(input: PmxcfsSeedInput): Map<string, FsEntry<SimNode>> {
  const created = Math.floor(input.createdAt / 1000);
  const b = new SeedBuilder<SimNode>(input.createdAt);
  b.dir('/etc/pve/priv/acme').dir('/etc/pve/firewall').dir('/etc/pve/ha').dir('/etc/pve/virtual-guest');
  b.file('/etc/pve/storage.cfg', STORAGE_CFG, 0o640);
  b.file('/etc/pve/datacenter.cfg', 'keyboard: en-us\n', 0o640);
  b.file('/etc/pve/user.cfg', 'user:root@pam:1:0:::root@pam::\n', 0o640);
  b.symlink('/etc/pve/local', '/etc/pve/nodes/placeholder');
  const ca = encodeCert(rootCaCert(created - 400 * DAY, '01'));
  b.file('/etc/pve/pve-root-ca.pem', () => ca, 0o640);
  b.file('/etc/pve/priv/pve-root-ca.key', FAKE_KEY, 0o600);
  if (input.acmeCertificate)
    b.file(
      '/etc/pve/priv/acme/default',
      '{"account":{"status":"valid","contact":["mailto:admin@pvefleet.test"]},"directory_url":"https://acme-v02.api.letsencrypt.org/directory","location":"https://acme-v02.api.letsencrypt.org/acme/acct/1"}\n',
      0o600,
    );
  if (!input.standalone) b.file('/etc/pve/corosync.conf', corosyncConf(input), 0o640);
  if (input.ceph)
    b.file(
      '/etc/pve/ceph.conf',
      `[global]\n\tauth_client_required = cephx\n\tfsid = ${cephFsid(input.clusterName)}\n\tmon_host = ${input.nodes
        .slice(0, 3)
        .map((n) => n.ip)
        .join(' ')}\n`,
      0o640,
    );
  if (input.guests.some((g) => g.ha))
    b.file(
      '/etc/pve/ha/resources.cfg',
      input.guests
        .filter((g) => g.ha)
        .map((g) => `${g.type === 'qemu' ? 'vm' : 'ct'}: ${g.vmid}\n\tstate started\n\n`)
        .join(''),
      0o640,
    );

  input.nodes.forEach((n, i) => {
    const dir = `/etc/pve/nodes/${n.name}`;
    b.dir(`${dir}/qemu-server`).dir(`${dir}/lxc`).dir(`${dir}/priv`);
    const serial = (k: number): string => (i * 4 + k + 16).toString(16).toUpperCase().padStart(2, '0');
    b.file(
      `${dir}/pve-ssl.pem`,
      lazyOnce(() => encodeCert(nodeSslCert(n.name, n.fqdn, n.ip, created - 300 * DAY, serial(0)))),
      0o640,
    );
    b.file(`${dir}/pve-ssl.key`, FAKE_KEY, 0o600);
    b.file(`${dir}/lrm_status`, '{"mode":"active","results":{},"state":"active"}\n', 0o640);
    if (input.acmeCertificate) {
      b.file(`${dir}/config`, `acme: account=default,domains=${n.fqdn}\n`, 0o640);
      // Issued 30 days ago: 60 days left, inside Proxmox's "not due for renewal" window.
      b.file(
        `${dir}/pveproxy-ssl.pem`,
        lazyOnce(() => encodeCert(acmeCert(n.fqdn, created - 30 * DAY, serial(1)))),
        0o640,
      );
      b.file(`${dir}/pveproxy-ssl.key`, FAKE_KEY, 0o600);
    } else b.file(`${dir}/config`, '', 0o640);
  });
  for (const g of input.guests) b.file(guestConfigPath(g.node, g), guestConfig(g), 0o640);
  return b.entries;
}

function lazyOnce(make: () => string): () => string {
  let value: string | undefined;
  return () => (value ??= make());
}

export const guestConfigPath = (node: string, g: Guest): string =>
  `/etc/pve/nodes/${node}/${g.type === 'qemu' ? 'qemu-server' : 'lxc'}/${g.vmid}.conf`;

export function guestConfig(g: Guest): string {
  if (g.type === 'lxc')
    return `arch: amd64\ncores: 1\nhostname: ${g.name}\nmemory: ${g.memMb}\nnet0: name=eth0,bridge=vmbr0,ip=dhcp,type=veth\nonboot: ${g.onboot ? 1 : 0}\nostype: debian\nrootfs: local-lvm:vm-${g.vmid}-disk-0,size=${g.diskGb}G\nswap: 512\n`;
  return `boot: order=scsi0\ncores: 2\ncpu: x86-64-v2-AES\nmemory: ${g.memMb}\nname: ${g.name}\nnet0: virtio=BC:24:11:00:${(g.vmid >> 8).toString(16).padStart(2, '0')}:${(g.vmid & 255).toString(16).padStart(2, '0')},bridge=vmbr0\nonboot: ${g.onboot ? 1 : 0}\nostype: l26\nscsi0: local-lvm:vm-${g.vmid}-disk-0,iothread=1,size=${g.diskGb}G\nscsihw: virtio-scsi-single\n`;
}

export function cephFsid(cluster: string): string {
  const h = Buffer.from(cluster.padEnd(16, '#')).toString('hex').padEnd(32, '0').slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function corosyncConf(input: PmxcfsSeedInput): string {
  const nodes = input.nodes
    .map((n) => `  node {\n    name: ${n.name}\n    nodeid: ${n.nodeId}\n    quorum_votes: 1\n    ring0_addr: ${n.ip}\n  }\n`)
    .join('');
  return `logging {\n  debug: off\n  to_syslog: yes\n}\n\nnodelist {\n${nodes}}\n\nquorum {\n  provider: corosync_votequorum\n}\n\ntotem {\n  cluster_name: ${input.clusterName}\n  config_version: ${input.nodes.length}\n  interface {\n    linknumber: 0\n  }\n  ip_version: ipv4-6\n  link_mode: passive\n  secauth: on\n  version: 2\n}\n`;
}
