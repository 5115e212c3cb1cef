import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';

/** Who is calling: a token's owner and name, written Proxmox-style as `user@realm!token`. */
export interface Identity {
  user: string;
  tokenName: string;
  /** e.g. `admin@pvefleet!ci`; recorded as the `user` of every task it starts. */
  id: string;
}

export const IS_PUBLIC = 'pvefleet:public';
/** Marks an endpoint that needs no token (only /health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const CurrentIdentity = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Identity => ctx.switchToHttp().getRequest<{ identity: Identity }>().identity,
);
