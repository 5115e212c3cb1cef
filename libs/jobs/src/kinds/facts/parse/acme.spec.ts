import { describe, expect, it } from 'vitest';
import { splitSections, type FactSections } from '../facts-script';
import { parseAcme } from './acme';

const sections = (v: Partial<FactSections>): FactSections => ({ ...splitSections(''), ...v });

describe('parseAcme', () => {
  it('reads the simulator node config and account list', () => {
    expect(parseAcme(sections({ nodeConfig: 'acme: account=default,domains=pve1.pvefleet.test', acmeAccounts: 'default' }))).toEqual({
      account: 'default',
      domains: ['pve1.pvefleet.test'],
      accounts: ['default'],
    });
  });

  it('joins acme domains and acmedomainN domains as PVE does (notes §5.1)', () => {
    const nodeConfig =
      '#node notes\nacme: account=le-prod,domains=a.example.com;B.Example.com\nacmedomain0: pve1.example.com,plugin=mydns\nacmedomain2: domain=c.example.com,plugin=mydns,alias=_acme.example.net\nacmedomain1: a.example.com,plugin=mydns\nwakeonlan: 00:11:22:33:44:55\n';
    expect(parseAcme(sections({ nodeConfig, acmeAccounts: 'default\nle-prod\n' }))).toEqual({
      account: 'le-prod',
      domains: ['a.example.com', 'b.example.com', 'pve1.example.com', 'c.example.com'],
      accounts: ['default', 'le-prod'],
    });
  });

  it('uses the account "default" when domains are set without one, as PVE does', () => {
    expect(parseAcme(sections({ nodeConfig: 'acmedomain0: pve1.example.com,plugin=mydns' }))).toEqual({
      account: 'default',
      domains: ['pve1.example.com'],
      accounts: [],
    });
    expect(parseAcme(sections({ nodeConfig: 'acme: domains=pve1.example.com' }))?.account).toBe('default');
  });

  it('reads the last acme line when the simulator appended a second one', () => {
    const nodeConfig =
      'acme: account=default,domains=pve1.pvefleet.test\nacme: account=other,domains=a.pvefleet.test;b.pvefleet.test\nacmedomain0: x.pvefleet.test,plugin=dns1';
    expect(parseAcme(sections({ nodeConfig, acmeAccounts: 'default' }))).toEqual({
      account: 'other',
      domains: ['a.pvefleet.test', 'b.pvefleet.test', 'x.pvefleet.test'],
      accounts: ['default'],
    });
  });

  it('has no account and no domains on a PVE node without ACME', () => {
    expect(parseAcme(sections({ acmeAccounts: 'default' }))).toEqual({ account: null, domains: [], accounts: ['default'] });
    expect(parseAcme(sections({ nodeConfig: 'description: x\n' }))).toEqual({ account: null, domains: [], accounts: [] });
  });

  it('is null without PVE', () => {
    expect(parseAcme(sections({}))).toBeNull();
    expect(parseAcme(sections({ nodeConfig: '\n', acmeAccounts: '  ' }))).toBeNull();
  });
});
