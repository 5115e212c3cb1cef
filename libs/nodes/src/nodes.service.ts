import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, Prisma, PrismaService, type Node } from '@pvefleet/db';
import { SecretBox } from '@pvefleet/secrets';
import { sealCredential } from './credentials';
import type { CreateNode, UpdateNode } from './node.schemas';
import type { NodeSelector } from './node-selector';
import { SpecError } from '@pvefleet/jobs';
import { toNodeView, type NodeView } from './node.view';

@Injectable()
export class NodesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly box: SecretBox,
  ) {}

  async create(input: CreateNode): Promise<NodeView> {
    try {
      const node = await this.prisma.node.create({
        data: {
          name: input.name,
          host: input.host,
          port: input.port,
          sshUser: input.sshUser,
          ...sealCredential(this.box, input.name, input.credential),
          hostKeyFingerprint: input.hostKeyFingerprint ?? null,
          labels: input.labels,
        },
      });
      return toNodeView(node);
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new ConflictError(`node '${input.name}' already exists`);
      }
      throw err;
    }
  }

  async list(filter: { labels?: Record<string, string>; facts?: boolean } = {}): Promise<NodeView[]> {
    const nodes = await this.prisma.node.findMany({ orderBy: { name: 'asc' } });
    const wanted = Object.entries(filter.labels ?? {});
    return nodes
      .filter((n) => wanted.every(([k, v]) => (n.labels as Record<string, string>)[k] === v))
      .map((n) => toNodeView(n, { facts: filter.facts ?? false }));
  }

  /** The nodes a fleet request targets, by name order; names that do not exist are a 400 naming them. */
  async select(selector: NodeSelector, field = 'selector'): Promise<Node[]> {
    const all = await this.prisma.node.findMany({ orderBy: { name: 'asc' } });
    if (selector.nodes) {
      const known = new Set(all.map((n) => n.name));
      const missing = selector.nodes.map((name, i) => ({ name, i })).filter((m) => !known.has(m.name));
      if (missing.length) {
        throw new SpecError(missing.map((m) => ({ field: `${field}.nodes.${m.i}`, message: `node '${m.name}' does not exist` })));
      }
    }
    const names = selector.nodes ? new Set(selector.nodes) : undefined;
    const labels = Object.entries(selector.labels ?? {});
    const clusters = selector.clusters ? new Set(selector.clusters) : undefined;
    const chosen = all.filter(
      (n) =>
        (!names || names.has(n.name)) &&
        labels.every(([k, v]) => (n.labels as Record<string, string>)[k] === v) &&
        (!clusters || clusters.has((n.facts as { cluster?: { name?: string } } | null)?.cluster?.name ?? '')),
    );
    if (!chosen.length) throw new SpecError([{ field, message: 'matches no registered node' }]);
    return chosen;
  }

  async get(name: string): Promise<NodeView> {
    return toNodeView(await this.find(name));
  }

  async find(name: string): Promise<Node> {
    const node = await this.prisma.node.findUnique({ where: { name } });
    if (!node) throw new NotFoundError(`node '${name}' does not exist`);
    return node;
  }

  async update(name: string, input: UpdateNode): Promise<NodeView> {
    await this.find(name);
    const node = await this.prisma.node.update({
      where: { name },
      data: {
        host: input.host,
        port: input.port,
        sshUser: input.sshUser,
        labels: input.labels,
        ...(input.credential ? sealCredential(this.box, name, input.credential) : {}),
        // The pin survives an address change (same machine, same key); only an explicit null re-learns it.
        ...(input.hostKeyFingerprint !== undefined ? { hostKeyFingerprint: input.hostKeyFingerprint, hostKeyAlgorithm: null } : {}),
      },
    });
    return toNodeView(node);
  }

  async delete(name: string): Promise<void> {
    const { count } = await this.prisma.node.deleteMany({ where: { name } });
    if (!count) throw new NotFoundError(`node '${name}' does not exist`);
  }
}
