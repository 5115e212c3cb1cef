import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type Node } from '@pvefleet/db';
import { SpecError } from '@pvefleet/jobs';
import { SecretBox } from '@pvefleet/secrets';
import { sealCredential } from './credentials';
import type { CreateNode, UpdateNode } from './node.schemas';
import type { NodeSelector } from './node-selector';
import { NodeRepository, type NodeCriteria } from './node.repository';
import { toNodeView, type NodeView } from './node.view';

export interface NodeListQuery {
  labels?: Record<string, string>;
  cluster?: string;
  text?: string;
  facts?: boolean;
  start: number;
  limit: number;
}

@Injectable()
export class NodesService {
  constructor(
    @Inject(NodeRepository) private readonly repo: NodeRepository,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  async create(input: CreateNode): Promise<NodeView> {
    const node = await this.repo.insert({
      name: input.name,
      host: input.host,
      port: input.port,
      sshUser: input.sshUser,
      ...sealCredential(this.box, input.name, input.credential),
      hostKeyFingerprint: input.hostKeyFingerprint ?? null,
      labels: input.labels,
    });
    return toNodeView(node);
  }

  /** A page of the fleet by name; every filter runs in SQL. */
  async list(q: NodeListQuery): Promise<{ data: NodeView[]; total: number }> {
    const criteria: NodeCriteria = {
      ...(q.labels ? { labels: q.labels } : {}),
      ...(q.cluster ? { clusters: [q.cluster] } : {}),
      ...(q.text ? { text: q.text } : {}),
    };
    const { data, total } = await this.repo.page(criteria, q.start, q.limit);
    return { data: data.map((n) => toNodeView(n, { facts: q.facts ?? false })), total };
  }

  /** The nodes a fleet request targets, by name order; names that do not exist are a 400 naming them. */
  async select(selector: NodeSelector, field = 'selector'): Promise<Node[]> {
    if (selector.nodes) {
      const known = await this.repo.existing(selector.nodes);
      const missing = selector.nodes.map((name, i) => ({ name, i })).filter((m) => !known.has(m.name));
      if (missing.length) {
        throw new SpecError(missing.map((m) => ({ field: `${field}.nodes.${m.i}`, message: `node '${m.name}' does not exist` })));
      }
    }
    const chosen = await this.repo.all({
      ...(selector.nodes ? { names: selector.nodes } : {}),
      ...(selector.labels ? { labels: selector.labels } : {}),
      ...(selector.clusters ? { clusters: selector.clusters } : {}),
    });
    if (!chosen.length) throw new SpecError([{ field, message: 'matches no registered node' }]);
    return chosen;
  }

  async get(name: string): Promise<NodeView> {
    return toNodeView(await this.find(name));
  }

  async find(name: string): Promise<Node> {
    const node = await this.repo.findByName(name);
    if (!node) throw new NotFoundError(`node '${name}' does not exist`);
    return node;
  }

  async update(name: string, input: UpdateNode): Promise<NodeView> {
    const node = await this.repo.update(name, {
      host: input.host,
      port: input.port,
      sshUser: input.sshUser,
      labels: input.labels,
      ...(input.credential ? sealCredential(this.box, name, input.credential) : {}),
      // The pin survives an address change (same machine, same key); only an explicit null re-learns it.
      ...(input.hostKeyFingerprint !== undefined ? { hostKeyFingerprint: input.hostKeyFingerprint, hostKeyAlgorithm: null } : {}),
    });
    if (!node) throw new NotFoundError(`node '${name}' does not exist`);
    return toNodeView(node);
  }

  async delete(name: string): Promise<void> {
    if (!(await this.repo.deleteByName(name))) throw new NotFoundError(`node '${name}' does not exist`);
  }
}
