import { describe, expect, it } from 'vitest';
import { splitSections, type FactSections } from '../facts-script';
import { parseAcme, parsePluginList } from './acme';

const sections = (v: Partial<FactSections>): FactSections => ({ ...splitSections(''), ...v });
/** `pvenode acme plugin list --output-format json` as PVE prints it, `data` blanked by the facts script. */
const PLUGINS =
  '[{"api":"cf","data":"","digest":"0f3a","plugin":"mydns","type":"dns","validation-delay":30},{"digest":"0f3a","plugin":"standalone","type":"standalone"}]\n';

describe('parseAcme', () => {
  it('reads the simulator node config, account list and plugin list', () => {
    expect(
      parseAcme(
        sections({ nodeConfig: 'acme: account=default,domains=pve1.pvefleet.test', acmeAccounts: 'default', acmePlugins: PLUGINS }),
      ),
    ).toEqual({
      account: 'default',
      domains: ['pve1.pvefleet.test'],
      accounts: ['default'],
      domainConfig: [{ domain: 'pve1.pvefleet.test', plugin: 'standalone', key: 'acme' }],
      plugins: [
        { id: 'mydns', type: 'dns', api: 'cf' },
        { id: 'standalone', type: 'standalone' },
      ],
    });
  });

  it('joins acme domains and acmedomainN domains as PVE does (notes §5.1), each with its plugin', () => {
    const nodeConfig =
      '#node notes\nacme: account=le-prod,domains=a.example.com;B.Example.com\nacmedomain0: pve1.example.com,plugin=mydns\nacmedomain2: domain=c.example.com,plugin=mydns,alias=_acme.example.net\nacmedomain1: d.example.com\nacmedomain6: ignored.example.com,plugin=mydns\nwakeonlan: 00:11:22:33:44:55\n';
    const acme = parseAcme(sections({ nodeConfig, acmeAccounts: 'default\nle-prod\n' }));
    expect(acme).toMatchObject({
      account: 'le-prod',
      domains: ['a.example.com', 'b.example.com', 'pve1.example.com', 'd.example.com', 'c.example.com'],
      accounts: ['default', 'le-prod'],
      plugins: null,
    });
    expect(acme?.domainConfig).toEqual([
      { domain: 'a.example.com', plugin: 'standalone', key: 'acme' },
      { domain: 'b.example.com', plugin: 'standalone', key: 'acme' },
      { domain: 'pve1.example.com', plugin: 'mydns', key: 'acmedomain0' },
      { domain: 'd.example.com', plugin: 'standalone', key: 'acmedomain1' },
      { domain: 'c.example.com', plugin: 'mydns', alias: '_acme.example.net', key: 'acmedomain2' },
    ]);
  });

  it('uses the account "default" when domains are set without one, as PVE does', () => {
    expect(parseAcme(sections({ nodeConfig: 'acmedomain0: pve1.example.com,plugin=mydns' }))).toMatchObject({
      account: 'default',
      domains: ['pve1.example.com'],
      accounts: [],
    });
    expect(parseAcme(sections({ nodeConfig: 'acme: domains=pve1.example.com' }))?.account).toBe('default');
  });

  it('reads the last acme line when a key is repeated; a domain listed twice counts once', () => {
    const nodeConfig =
      'acme: account=default,domains=pve1.pvefleet.test\nacme: account=other,domains=a.pvefleet.test;b.pvefleet.test\nacmedomain0: x.pvefleet.test,plugin=dns1\nacmedomain1: A.pvefleet.test,plugin=dns1';
    expect(parseAcme(sections({ nodeConfig, acmeAccounts: 'default' }))).toMatchObject({
      account: 'other',
      domains: ['a.pvefleet.test', 'b.pvefleet.test', 'x.pvefleet.test'],
      accounts: ['default'],
    });
  });

  it('has no account and no domains on a PVE node without ACME', () => {
    expect(parseAcme(sections({ acmeAccounts: 'default', acmePlugins: PLUGINS }))).toMatchObject({
      account: null,
      domains: [],
      accounts: ['default'],
      domainConfig: [],
    });
    expect(parseAcme(sections({ nodeConfig: 'description: x\n' }))).toMatchObject({ account: null, domains: [], accounts: [] });
  });

  it('is null without PVE', () => {
    expect(parseAcme(sections({}))).toBeNull();
    expect(parseAcme(sections({ nodeConfig: '\n', acmeAccounts: '  ' }))).toBeNull();
  });
});

describe('parsePluginList', () => {
  it('keeps id, type and api, sorted; null when pvenode printed no JSON array', () => {
    expect(
      parsePluginList('[{"plugin":"zz","type":"dns","api":"ovh","data":"c2VjcmV0"},{"plugin":"aa","type":"dns"},{"type":"dns"}]'),
    ).toEqual([
      { id: 'aa', type: 'dns' },
      { id: 'zz', type: 'dns', api: 'ovh' },
    ]);
    expect(parsePluginList('')).toBeNull();
    expect(parsePluginList('{"plugin":"x"}')).toBeNull();
  });
});
