import type { SimNode } from './node';
import { unitState } from './services';

const LOCAL = '/etc/pve/local';

/**
 * The certificate pveproxy serves on port 8006. pveproxy loads its certificate when it starts, so
 * normally that is what the files hold (its custom `pveproxy-ssl.pem`, else `pve-ssl.pem`): every
 * ACME order restarts it. A stale pveproxy (the control API's "pveproxy still serves the old
 * certificate" fault: its restart after a certificate change did not take) keeps the PEM it had
 * until `systemctl restart|reload pveproxy` or a reboot.
 */
interface StalePin {
  pem: string;
  /** A reboot restarts pveproxy: the pin holds only within the boot it was made in. */
  bootId: string;
}

const stale = new WeakMap<SimNode, StalePin>();

/** What the certificate files make pveproxy serve once it (re)loads them. */
function loadedPem(node: SimNode): string | undefined {
  return node.fs.tryRead(`${LOCAL}/pveproxy-ssl.pem`) ?? node.fs.tryRead(`${LOCAL}/pve-ssl.pem`);
}

/** The PEM a TLS client gets from pveproxy now; undefined when nothing listens on 8006. */
export function servedPem(node: SimNode): string | undefined {
  if (unitState(node, 'pveproxy') !== 'active') return undefined;
  const pin = stale.get(node);
  if (pin && pin.bootId === node.bootId) return pin.pem;
  return loadedPem(node);
}

/** The fault: pveproxy keeps serving what it serves now, whatever the files say later. */
export function keepServedCertificate(node: SimNode): void {
  const pem = servedPem(node) ?? loadedPem(node);
  if (pem === undefined) throw new Error(`${node.name} has no certificate for pveproxy`);
  stale.set(node, { pem, bootId: node.bootId });
}

/** pveproxy started again (systemctl restart/reload, or the fault cleared): it loads the files. */
export function pveproxyReloaded(node: SimNode): void {
  stale.delete(node);
}

/** Whether the node's pveproxy serves a certificate other than its files' (the fault is in effect). */
export function servesStaleCertificate(node: SimNode): boolean {
  const pin = stale.get(node);
  return !!pin && pin.bootId === node.bootId && pin.pem !== loadedPem(node);
}
