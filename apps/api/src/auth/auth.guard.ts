import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { IS_PUBLIC, type Identity } from './identity';
import { LoginFailures } from './login-failures';
import { TokenService } from './token.service';

/** Every endpoint needs `Authorization: Bearer <token>` unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly failures: LoginFailures,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<Request & { identity?: Identity }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const address = req.ip ?? '?';
    this.failures.check(address, res);
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    // A token of impossible length is just wrong, not missing: it never reaches the database.
    const secret = match && match[1].length >= 16 && match[1].length <= 512 ? match[1] : undefined;
    const identity = secret ? await this.tokens.verify(secret) : null;
    if (!identity) {
      await this.failures.failed(address, res);
      res.setHeader('WWW-Authenticate', 'Bearer realm="pvefleet"');
      throw new UnauthorizedException(match ? 'invalid or expired token' : 'missing "Authorization: Bearer <token>" header');
    }
    req.identity = identity;
    return true;
  }
}
