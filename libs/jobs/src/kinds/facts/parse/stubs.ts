// Placeholders until each section's parser lands with its tests (see facts.job.ts).
import type { AcmeFacts, CertificateFacts, ClusterFacts, DiskFacts, HaFacts, KernelFacts, PoolFacts, SourceFile, StorageFacts, TimeFacts, UpgradablePackage } from '../../../node-facts';
import type { FactSections } from '../facts-script';

export const parseKernels = (_s: FactSections): KernelFacts | null => null;
export const parseUpgradable = (_text: string): UpgradablePackage[] | null => null;
export const parseSourceFiles = (_text: string): SourceFile[] => [];
export const parseTime = (_s: FactSections): TimeFacts => ({
  daemon: null, synced: null, leapStatus: null, selectedSource: null, chronyConf: null, chronySources: [], timesyncdConf: null,
});
export const parseCertificate = (_text: string): CertificateFacts | null => null;
export const parseAcme = (_s: FactSections): AcmeFacts | null => null;
export const parseDisks = (_text: string): DiskFacts[] | null => null;
export const parsePools = (_s: FactSections): PoolFacts[] | null => null;
export const parseStorages = (_text: string): StorageFacts[] | null => null;
export const parseCluster = (_text: string): ClusterFacts | null => null;
export const parseHa = (_text: string, _node: string): HaFacts | null => null;
